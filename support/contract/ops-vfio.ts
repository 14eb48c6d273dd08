// VFIO device operations: the system calls a user of a VFIO device makes.
import { z } from 'zod';
import { Count, ErrnoName, Fd, Hex, Path, U32, U64 } from './wire';

const Whence = z.enum(['SEEK_SET', 'SEEK_CUR', 'SEEK_END']);
export const PollEventName = z.enum(['POLLIN', 'POLLPRI', 'POLLOUT', 'POLLERR', 'POLLHUP', 'POLLNVAL', 'POLLRDNORM', 'POLLRDBAND', 'POLLWRNORM', 'POLLWRBAND', 'POLLRDHUP']);

export const vfioRequests = [
  z.object({ op: z.literal('open_device'), path: Path })
    .describe('open the VFIO device at this sysfs path, ready for ioctls (cdev + iommufd, or group + container)'),
  z.object({ op: z.literal('close'), fd: Fd }),
  z.object({ op: z.literal('ioctl'), fd: Fd, request: U32, arg: Hex.nullable() })
    .describe('ioctl(fd, request, arg): arg is the bytes the pointer argument points to, or null for a NULL/absent argument'),
  z.object({ op: z.literal('read'), fd: Fd, count: Count }),
  z.object({ op: z.literal('write'), fd: Fd, data: Hex }),
  z.object({ op: z.literal('pread'), fd: Fd, count: Count, offset: U64 }),
  z.object({ op: z.literal('pwrite'), fd: Fd, data: Hex, offset: U64 }),
  z.object({ op: z.literal('lseek'), fd: Fd, offset: z.number().int(), whence: Whence }),
  z.object({ op: z.literal('fcntl'), fd: Fd, cmd: z.enum(['F_GETFD', 'F_GETFL']) }),
  z.object({ op: z.literal('poll'), fd: Fd, events: z.array(PollEventName) })
    .describe('poll(2) on one fd with a zero timeout: events are the bits asked for; the answer is revents (POLLERR and POLLHUP come unasked, a closed fd answers POLLNVAL)'),
  z.object({ op: z.literal('region_info'), fd: Fd, index: U32 })
    .describe('VFIO_DEVICE_GET_REGION_INFO for one region index'),
  z.object({ op: z.literal('region_read'), fd: Fd, index: U32, offset: U64, count: Count })
    .describe('pread on the device fd at the region offset plus offset'),
  z.object({ op: z.literal('region_write'), fd: Fd, index: U32, offset: U64, data: Hex }),
  z.object({ op: z.literal('dma_map'), fd: Fd, iova: U64, addr: U64, length: U64 })
    .describe("map user memory at an IOVA of the device's IO address space (IOMMU_IOAS_MAP or VFIO_IOMMU_MAP_DMA)"),
  z.object({ op: z.literal('device_dma'), fd: Fd, iova: U64, data: Hex, peer: z.boolean().default(false) })
    .describe('test hook (capability device_dma): ask the device to write these bytes at this IOVA by DMA; peer marks the IOVA as another device (peer-to-peer DMA)'),
  z.object({ op: z.literal('migration_arcs'), fd: Fd })
    .describe('test hook (capability migration_arcs): the single arcs the driver performed since the last call, oldest first'),
] as const;

export const vfioResults = {
  open_device: z.object({ fd: Fd }),
  close: z.object({}),
  ioctl: z.object({ ret: z.number().int(), arg: Hex.nullable() }),
  read: z.object({ data: Hex }),
  write: z.object({ count: Count }),
  pread: z.object({ data: Hex }),
  pwrite: z.object({ count: Count }),
  lseek: z.object({ offset: z.number().int() }),
  fcntl: z.object({ value: z.number().int() }),
  poll: z.object({ revents: z.array(PollEventName).describe('the revents bits, by name') }),
  region_info: z.object({ flags: U32, size: U64, offset: U64 }),
  region_read: z.object({ data: Hex }),
  region_write: z.object({ count: Count }),
  dma_map: z.object({}),
  device_dma: z.object({}),
  migration_arcs: z.object({ arcs: z.array(z.tuple([U32, U32])).describe('[from, to] state values') }),
};

export { ErrnoName };
