// The VFIO part of the contract, answered by the reference machine.
import { fromHex, toHex } from '../../support/uapi/bytes';
import { POLL, pollNames, vfsIoctl, vfsPoll, vfsPread, vfsPwrite, vfsRead, vfsWrite } from '../kernel/file';
import { isKernelError } from './vfio_main';
import { fail } from '../kernel/errno';
import type { Handlers } from '../server';
import { MigrationDriver } from './migration';
import { VFIO_PCI_OFFSET_SHIFT, VfioDevice } from './vfio_main';

export function vfioHandlers(): Handlers {
  // Which device each open device fd belongs to, for region and DMA requests.
  const deviceOfFd = new WeakMap<object, VfioDevice>();
  const deviceFor = (m: Parameters<Handlers['close'] & {}>[0], fd: number) => {
    const device = deviceOfFd.get(m.process.file(fd));
    if (!device) fail('ENOTTY', 'not a VFIO device fd');
    return device;
  };

  return {
    open_device: (m, r) => {
      const device = m.vfioDevice(r.path);
      const file = device.open(m.process);
      deviceOfFd.set(file, device);
      return { fd: m.process.install(file, true) };
    },
    close: (m, r) => {
      m.process.close(r.fd);
      return {};
    },
    ioctl: (m, r) => {
      const out = vfsIoctl(m.process.file(r.fd), r.request, r.arg === null ? null : fromHex(r.arg));
      return { ret: out.ret, arg: out.arg === null ? null : toHex(out.arg) };
    },
    read: (m, r) => ({ data: toHex(vfsRead(m.process.file(r.fd), r.count)) }),
    write: (m, r) => ({ count: vfsWrite(m.process.file(r.fd), fromHex(r.data)) }),
    pread: (m, r) => ({ data: toHex(vfsPread(m.process.file(r.fd), r.count, BigInt(r.offset))) }),
    pwrite: (m, r) => ({ count: vfsPwrite(m.process.file(r.fd), fromHex(r.data), BigInt(r.offset)) }),
    lseek: (m, r) => {
      const file = m.process.file(r.fd);
      if (file.stream) fail('ESPIPE');
      fail('EINVAL', 'the reference does not track file positions');
    },
    fcntl: (m, r) => ({ value: m.process.fcntl(r.fd, r.cmd) }),
    poll: (m, r) => {
      let file;
      try {
        file = m.process.file(r.fd);
      } catch (error) {
        if (isKernelError(error) && error.errno === 'EBADF') return { revents: ['POLLNVAL' as const] };
        throw error;
      }
      return { revents: pollNames(vfsPoll(file, r.events.reduce((bits, name) => bits | POLL[name], 0))) };
    },
    region_info: (m, r) => {
      const info = deviceFor(m, r.fd).regionInfo(r.index);
      return { flags: info.flags, size: info.size.toString(), offset: info.offset.toString() };
    },
    region_read: (m, r) => {
      deviceFor(m, r.fd);
      const offset = (BigInt(r.index) << VFIO_PCI_OFFSET_SHIFT) + BigInt(r.offset);
      return { data: toHex(vfsPread(m.process.file(r.fd), r.count, offset)) };
    },
    region_write: (m, r) => {
      deviceFor(m, r.fd);
      const offset = (BigInt(r.index) << VFIO_PCI_OFFSET_SHIFT) + BigInt(r.offset);
      return { count: vfsPwrite(m.process.file(r.fd), fromHex(r.data), offset) };
    },
    dma_map: (m, r) => {
      const driver = deviceFor(m, r.fd).driver;
      if (!driver.dma_map) fail('ENOTTY', 'this device has no IO address space');
      driver.dma_map(m.process, BigInt(r.iova), BigInt(r.addr), BigInt(r.length));
      return {};
    },
    device_dma: (m, r) => {
      const driver = deviceFor(m, r.fd).driver;
      if (!driver.device_dma) return { unsupported: 'this device has no DMA engine the suite can drive' };
      driver.device_dma(BigInt(r.iova), fromHex(r.data), r.peer);
      return {} as Record<string, never>;
    },
    migration_arcs: (m, r) => {
      const driver = deviceFor(m, r.fd).driver;
      if (!(driver instanceof MigrationDriver)) fail('ENOTTY', 'not a migration device');
      return { arcs: driver.arcs.splice(0) };
    },
  };
}
