// The sysfs part of the contract, answered from the emulated sysfs of the mdev
// core and its modules. Other subsystems answer sysfs paths of their own (the
// virtio PCI functions); the mdev tree is laid over theirs, so a path it does
// not have goes on to the handlers registered before it.
import { fromHex, toHex } from '../../support/uapi/bytes';
import { BlockedForGood, KernelError } from '../kernel/errno';
import type { Handler, Handlers } from '../server';
import type { Op } from '../../support/contract/protocol';
import { Completion } from './kernfs';

export function mdevHandlers(below: Handlers = {}): Handlers {
  const mine: Handlers = {
    sysfs_read: (m, r) => ({ data: toHex(m.mdev.sysfs.read(r.path)) }),
    sysfs_write: (m, r) => {
      const completion = Completion.of(() => m.mdev.sysfs.write(r.path, fromHex(r.data)));
      // A plain write that blocks hangs its caller for good (the suite uses
      // sysfs_write_start for every write that may wait).
      if (!completion.done) throw new BlockedForGood(`write(2) to ${r.path} sleeps until the device is closed, which this process, waiting in the write, never does`);
      const outcome = completion.result();
      if (!outcome.ok) throw new KernelError(outcome.errno);
      return { count: outcome.count };
    },
    sysfs_list: (m, r) => ({ entries: m.mdev.sysfs.list(r.path) }),
    sysfs_readlink: (m, r) => ({ target: m.mdev.sysfs.readlink(r.path) }),
    sysfs_stat: (m, r) => m.mdev.sysfs.stat(r.path),
    sysfs_write_start: (m, r) => {
      const other = below.sysfs_write;
      const write = () => {
        if (!m.mdev.sysfs.exists(r.path) && other) {
          const answer = other(m, { op: 'sysfs_write', path: r.path, data: r.data });
          if ('unsupported' in answer) throw new KernelError('ENOENT', answer.unsupported);
          return answer.count;
        }
        return m.mdev.sysfs.write(r.path, fromHex(r.data));
      };
      return { pending: m.mdev.pending.start(write) };
    },
    delete_module_start: (m, r) => ({ pending: m.mdev.pending.start(() => m.mdev.delete_module(r.name)) }),
    pending_wait: (m, r) => m.mdev.pending.wait(r.pending),
  };
  for (const op of ['sysfs_read', 'sysfs_write', 'sysfs_list', 'sysfs_readlink', 'sysfs_stat'] as const) {
    (mine as Record<Op, unknown>)[op] = overlay(mine[op] as Handler<typeof op>, below[op] as Handler<typeof op> | undefined);
  }
  return mine;
}

// Answer from the mdev tree; where it has no such path, from the layer below.
function overlay<O extends Op>(upper: Handler<O>, lower: Handler<O> | undefined): Handler<O> {
  if (!lower) return upper;
  return (m, r) => {
    try {
      return upper(m, r);
    } catch (error) {
      if (error instanceof KernelError && error.errno === 'ENOENT') return lower(m, r);
      throw error;
    }
  };
}
