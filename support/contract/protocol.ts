// The contract between the suite and an implementation under test, as messages.
// In-process (the bundled reference) and over stdio (any adapter) the same
// schemas check every request and every answer: an answer that does not fit is
// a broken implementation, never a pass.
import { z } from 'zod';
import { ErrnoName, Fd, Hex, Path, U64 } from './wire';
import { vfioRequests, vfioResults } from './ops-vfio';
import { sysfsRequests, sysfsResults } from './ops-sysfs';
import { virtioRequests, virtioResults } from './ops-virtio';

export const PROTOCOL_VERSION = 1;

export const Role = z.enum(['vfio-migration', 'mdev', 'virtio-owner', 'virtio-translator']);
export type Role = z.infer<typeof Role>;

export const Platform = z.object({
  arch: z.string().min(1).describe('machine architecture as uname -m prints it, e.g. x86_64, aarch64, ppc64, s390x'),
  byte_order: z.enum(['little', 'big']),
  kernel: z.string().regex(/^\d+\.\d+(\.\d+)?/, 'kernel release starts with MAJOR.MINOR').describe('kernel release, e.g. 6.12.117'),
});
export type Platform = z.infer<typeof Platform>;

export const DeclaredDevice = z.object({
  path: Path.describe('sysfs path of the device, e.g. /sys/bus/pci/devices/0000:00:04.0'),
  roles: z.array(Role).min(1),
  driver: z.string().min(1).describe('the bound driver, e.g. mtty, mlx5_vfio_pci, virtio_vfio_pci'),
  mdev_type: z.string().optional().describe('for a mediated device, its type id (e.g. mtty-2)'),
  owner_driver: z.string().min(1).optional().describe('for a virtio-translator VF: the driver of its PF (the group owner), e.g. virtio_pci'),
  description: z.string().optional(),
});
export type DeclaredDevice = z.infer<typeof DeclaredDevice>;

export const DeclaredMdevType = z.object({
  id: z.string().min(1).describe('the type directory name under mdev_supported_types, e.g. mtty-2'),
  count: z.enum(['core', 'driver']).describe('who counts its instances: the mdev core (one counter per parent, started at max_instances, EUSERS when empty) or the driver itself (get_available; it refuses in probe)'),
  max_instances: z.number().int().min(0).optional().describe('for count "core": where the parent\'s counter starts'),
});
export type DeclaredMdevType = z.infer<typeof DeclaredMdevType>;

export const DeclaredMdevParent = z.object({
  name: z.string().min(1).describe('the parent\'s device name, as linked from /sys/class/mdev_bus/<name>'),
  driver: z.string().min(1).describe('the mdev driver its mdevs are bound to (/sys/bus/mdev/drivers/<driver>), e.g. mtty, nvidia-vgpu-vfio'),
  module: z.string().min(1).optional().describe('the module whose unloading unregisters this parent, if it can be unloaded'),
  types: z.array(DeclaredMdevType).min(1),
});
export type DeclaredMdevParent = z.infer<typeof DeclaredMdevParent>;

export const ImplementationInfo = z.object({
  protocol: z.literal(PROTOCOL_VERSION),
  name: z.string().min(1),
  version: z.string().min(1),
  platform: Platform,
  roles: z.array(Role),
  devices: z.array(DeclaredDevice),
  mdev_parents: z.array(DeclaredMdevParent).optional()
    .describe('for the mdev role: the parents the generic mdev scenarios may use, in the order to try them; the rest is read from sysfs'),
  capabilities: z.array(z.string()).describe('optional test hooks the implementation offers, e.g. device_dma'),
  options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
});
export type ImplementationInfo = z.infer<typeof ImplementationInfo>;

const sessionRequests = [
  z.object({ op: z.literal('begin_scenario'), name: z.string() })
    .describe('close every fd opened so far and return every device to the state it had at start'),
  z.object({ op: z.literal('mem_alloc'), length: z.number().int().min(1).max(1 << 26) })
    .describe('anonymous user memory (mmap), for structures an ioctl reaches through a pointer'),
  z.object({ op: z.literal('mem_read'), addr: U64.describe('a user address mem_alloc answered, as a decimal string'), length: z.number().int().min(0).max(1 << 26) }),
  z.object({ op: z.literal('mem_write'), addr: U64.describe('a user address mem_alloc answered, as a decimal string'), data: Hex }),
] as const;

const sessionResults = {
  begin_scenario: z.object({}),
  mem_alloc: z.object({ addr: U64.describe('user address as a decimal string') }),
  mem_read: z.object({ data: Hex }),
  mem_write: z.object({}),
};

export const Request = z.discriminatedUnion('op', [
  ...sessionRequests, ...vfioRequests, ...sysfsRequests, ...virtioRequests,
]);
export type Request = z.infer<typeof Request>;
export type Op = Request['op'];

export const RESULT_SCHEMAS = { ...sessionResults, ...vfioResults, ...sysfsResults, ...virtioResults } satisfies Record<Op, z.ZodTypeAny>;
export type ResultOf<O extends Op> = z.infer<(typeof RESULT_SCHEMAS)[O]>;

export const Unsupported = z.object({
  reason: z.string().min(1),
  issue: z.string().url().optional().describe('a link to where the missing support is tracked'),
});

// An answer: a result, an errno, or "this implementation does not do that".
export const Response = z.union([
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({
    ok: z.literal(false),
    errno: ErrnoName,
    arg: Hex.optional().describe('ioctl only: the argument buffer as the failed call left it'),
  }),
  z.object({ ok: z.literal(false), unsupported: Unsupported }),
]);
export type Response = z.infer<typeof Response>;

export { Fd, Hex, ErrnoName };

// What every implementation, in-process or behind an adapter, offers.
export interface Implementation {
  hello(): Promise<unknown>;
  request(request: Request): Promise<unknown>;
  shutdown(): Promise<void>;
}
