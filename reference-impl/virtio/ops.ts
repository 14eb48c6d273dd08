// The virtio part of the contract, answered by the reference machine: admin
// commands to the owner under test, what the host drivers sent (admin_trace),
// stores into BARs, and the sysfs attributes of the virtio PFs and VFs.
import { fromHex, toHex } from '../../support/uapi/bytes';
import { fail } from '../kernel/errno';
import type { Handlers } from '../server';
import { sysfsText } from './topology';

export function virtioHandlers(): Handlers {
  return {
    admin_command: (m, r) => {
      const owner = m.virtio.owner(r.owner);
      if ('unsupported' in owner) return owner;
      const answer = owner.execute(fromHex(r.data), r.writable_length);
      return { written: toHex(answer.written), used_length: answer.used_length };
    },
    admin_trace: (m, r) => ({ events: m.virtio.trace(r.path) }),
    mmio_write: (m, r) => {
      m.virtio.mmioWrite(r.path, r.bar, BigInt(r.offset), fromHex(r.data));
      return {};
    },
    sysfs_read: (m, r) => ({ data: toHex(new Uint8Array(Buffer.from(m.virtio.sysfsRead(r.path), 'latin1'))) }),
    sysfs_readlink: (m, r) => ({ target: m.virtio.sysfsReadlink(r.path) }),
    sysfs_write: (m, r) => {
      if (!m.virtio.handles(r.path)) fail('ENOENT', `${r.path} does not exist`);
      return { count: m.virtio.sysfsWrite(r.path, sysfsText(r.data)) };
    },
  };
}
