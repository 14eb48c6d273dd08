// sysfs operations, as a program (running as root) reads and writes /sys: each
// is one or two system calls, nothing more. Some writes block in the kernel
// (remove while the device is open, unbind of a bound device): *_start begins
// one and pending_wait observes it, so a scenario can act while the write is
// still in flight and then see it complete with its own result.
import { z } from 'zod';
import { Count, ErrnoName, Hex, Path } from './wire';

const PendingId = z.number().int().min(0).describe('a write or unload still in flight, named by the answer that began it');

export const sysfsRequests = [
  z.object({ op: z.literal('sysfs_read'), path: Path })
    .describe('open(path, O_RDONLY), read until end of file, close: the whole content'),
  z.object({ op: z.literal('sysfs_write'), path: Path, data: Hex })
    .describe('open(path, O_WRONLY), one write(2) of exactly these bytes (possibly none), close'),
  z.object({ op: z.literal('sysfs_list'), path: Path })
    .describe('the names in a directory (getdents), without . and .., in any order; the path may pass through links'),
  z.object({ op: z.literal('sysfs_readlink'), path: Path })
    .describe('readlink(2): the target text of a symbolic link, exactly as stored (usually relative)'),
  z.object({ op: z.literal('sysfs_stat'), path: Path })
    .describe('lstat(2): what the path names, without following a final link (also for /dev nodes)'),
  z.object({ op: z.literal('sysfs_write_start'), path: Path, data: Hex })
    .describe('begin the same open + write + close in a separate task that holds no other file of the session (a task that inherited the device fd would wait on itself); answer at once with a pending id'),
  z.object({ op: z.literal('delete_module_start'), name: z.string().min(1) })
    .describe('begin delete_module(2) of a loaded module (rmmod), which unregisters the parents it registered; answer unsupported when the module cannot be unloaded at all (built in, or unloading disabled)'),
  z.object({ op: z.literal('pending_wait'), pending: PendingId, timeout_ms: z.number().int().min(0).max(60000) })
    .describe('wait up to timeout_ms for a pending call to finish; once it has reported done, its id is forgotten'),
] as const;

const PendingOutcome = z.union([
  z.object({ ok: z.literal(true), count: Count.describe('what write(2) returned; 0 for delete_module') }),
  z.object({ ok: z.literal(false), errno: ErrnoName }),
]);

export const sysfsResults = {
  sysfs_read: z.object({ data: Hex }),
  sysfs_write: z.object({ count: Count.describe('what write(2) returned') }),
  sysfs_list: z.object({ entries: z.array(z.string().min(1)) }),
  sysfs_readlink: z.object({ target: z.string().min(1) }),
  sysfs_stat: z.object({
    type: z.enum(['file', 'dir', 'link', 'char']).describe('char: a character device node such as /dev/vfio/0'),
    mode: z.number().int().min(0).max(0o7777).describe('the permission bits, e.g. 0o200 for a write-only attribute'),
  }),
  sysfs_write_start: z.object({ pending: PendingId }),
  delete_module_start: z.object({ pending: PendingId }),
  pending_wait: z.union([
    z.object({ done: z.literal(false) }).describe('still blocked when the wait ended'),
    z.object({ done: z.literal(true), outcome: PendingOutcome }),
  ]),
};
