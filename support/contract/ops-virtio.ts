// Virtio group administration: the owner (an SR-IOV PF) executes admin commands
// for its members; the translator (virtio-vfio-pci) is reached through the
// VFIO operations. Bytes are exactly what travels on the admin virtqueue or
// the PCI bus; decoding them is the suite's business (support/uapi/virtio.ts).
import { z } from 'zod';
import { Count, Hex, Path, U32, U64 } from './wire';

export const virtioRequests = [
  z.object({
    op: z.literal('admin_command'),
    owner: Path.describe('sysfs path of the owner PF'),
    data: Hex.describe('the device-readable part: the 24-byte header, then the command-specific data'),
    writable_length: U32.describe('size of the device-writable part the driver supplies'),
  }).describe('submit one command on the owner\'s admin virtqueue and wait for it to be used'),
  z.object({
    op: z.literal('admin_trace'),
    path: Path.describe('sysfs path of a PF or VF bound to a host driver'),
  }).describe('test hook: what the host driver bound to this function sent to its virtio owner since the last call, oldest first (for a PF: the owner driver\'s own admin commands; for a VF: the admin commands sent on its behalf and the accesses to its notify address)'),
  z.object({
    op: z.literal('mmio_write'),
    path: Path.describe('sysfs path of the PCI function'),
    bar: z.number().int().min(0).max(5),
    offset: U64,
    data: Hex.describe('1, 2, 4 or 8 bytes stored by one access'),
  }).describe('one store into a memory BAR through an mmap of the function\'s sysfs resource<bar> file'),
] as const;

const AdminEvent = z.object({
  kind: z.literal('admin'),
  data: Hex.describe('the device-readable part as sent'),
  writable_length: U32,
  written: Hex.describe('what the owner wrote into the device-writable part (used_length bytes)'),
  used_length: U32,
});

const NotifyEvent = z.object({
  kind: z.literal('notify'),
  access: z.enum(['read', 'write']),
  function: Path.describe('the PCI function whose BAR holds the notify address'),
  bar: z.number().int().min(0).max(5),
  offset: U64,
  data: Hex.describe('the bytes on the bus, in address order'),
});

export const TraceEvent = z.discriminatedUnion('kind', [AdminEvent, NotifyEvent]);
export type TraceEvent = z.infer<typeof TraceEvent>;

export const virtioResults = {
  admin_command: z.object({
    written: Hex.describe('the device-writable part as the device left it, used_length bytes long'),
    used_length: Count.describe('bytes the device reports as written'),
  }),
  admin_trace: z.object({ events: z.array(TraceEvent) }),
  mmio_write: z.object({}),
};
