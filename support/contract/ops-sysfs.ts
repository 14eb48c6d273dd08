// sysfs operations, as a program reads and writes /sys. Some writes block in the
// kernel (remove while the device is open): *_start begins one and pending_wait
// observes it, so a scenario can act while the write is still in flight.
import { z } from 'zod';
import { Count, ErrnoName, Hex, Path } from './wire';

const PendingId = z.number().int().min(0);

export const sysfsRequests = [
  z.object({ op: z.literal('sysfs_read'), path: Path }),
  z.object({ op: z.literal('sysfs_write'), path: Path, data: Hex }),
  z.object({ op: z.literal('sysfs_list'), path: Path }),
  z.object({ op: z.literal('sysfs_readlink'), path: Path }),
  z.object({ op: z.literal('sysfs_stat'), path: Path }),
  z.object({ op: z.literal('sysfs_write_start'), path: Path, data: Hex })
    .describe('begin a write that may block; answer at once with a pending id'),
  z.object({ op: z.literal('delete_module_start'), name: z.string().min(1) })
    .describe('begin unloading the module that registered a parent (rmmod); may block'),
  z.object({ op: z.literal('pending_wait'), pending: PendingId, timeout_ms: z.number().int().min(0).max(60000) }),
] as const;

const PendingOutcome = z.union([
  z.object({ ok: z.literal(true), count: Count }),
  z.object({ ok: z.literal(false), errno: ErrnoName }),
]);

export const sysfsResults = {
  sysfs_read: z.object({ data: Hex }),
  sysfs_write: z.object({ count: Count }),
  sysfs_list: z.object({ entries: z.array(z.string()) }),
  sysfs_readlink: z.object({ target: z.string() }),
  sysfs_stat: z.object({ type: z.enum(['file', 'dir', 'link']), mode: z.number().int().min(0).max(0o7777) }),
  sysfs_write_start: z.object({ pending: PendingId }),
  delete_module_start: z.object({ pending: PendingId }),
  pending_wait: z.union([
    z.object({ done: z.literal(false) }),
    z.object({ done: z.literal(true), outcome: PendingOutcome }),
  ]),
};
