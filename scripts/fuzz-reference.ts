// Random schema-valid requests to the bundled reference, in sequences that
// each start from a fresh machine: every answer must be one the contract
// allows (the same checks the Client makes of any implementation), and the
// reference must never throw. A plain write that blocks for good ends its
// sequence, as it would end a real program.
//   npm run fuzz:reference -- [--requests 100000] [--seed 1]
import fc from 'fast-check';
import { parseArgs } from 'node:util';
import { answerShapeFault, describeZodError } from '../support/contract/client';
import { errnoArgFault, resultFault } from '../support/contract/answer-checks';
import { Request, RESULT_SCHEMAS, Response } from '../support/contract/protocol';
import { WireRequest } from '../support/adapter/envelope';
import { IOCTL } from '../support/uapi/vfio';
import { VFIO_DEVICE_SET_IRQS } from '../support/uapi/virtio';
import { BlockedForGood } from '../reference-impl/kernel/errno';
import { referenceFromEnvironment } from '../support/target';
import type { ReferenceImplementation } from '../reference-impl/server';

const SEQUENCE = 50;

// Paths worth hitting: the reference's own tree, walked from /sys, plus a few it does not have.
async function knownPaths(reference: ReferenceImplementation): Promise<string[]> {
  const found = ['/sys', '/sys/nowhere', '/dev/vfio/vfio', '/'];
  const work = ['/sys'];
  while (work.length && found.length < 600) {
    const dir = work.shift() as string;
    const listed = reference.answer({ op: 'sysfs_list', path: dir }) as { ok: boolean; result?: { entries: string[] } };
    if (!listed.ok || !listed.result) continue;
    for (const name of listed.result.entries) {
      const path = `${dir === '/' ? '' : dir}/${name}`;
      found.push(path);
      const stat = reference.answer({ op: 'sysfs_stat', path }) as { ok: boolean; result?: { type: string } };
      if (stat.ok && stat.result?.type === 'dir') work.push(path);
    }
  }
  return found;
}

function requests(paths: string[]): fc.Arbitrary<Request> {
  const path = fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...paths) }, { weight: 1, arbitrary: fc.string({ minLength: 0, maxLength: 12 }).map((s) => `/sys/${s}`) });
  const writeData = fc.oneof(
    fc.constantFrom('1', '0', '1\n', 'mtty-2', '83b8f4f2-509f-382f-3c1e-e6bfe0fa1004', '0000:00:04.0', 'vfio-pci', '').map((t) => Buffer.from(t).toString('hex')),
    fc.uint8Array({ maxLength: 16 }).map((b) => Buffer.from(b).toString('hex')),
  );
  const hex = (max: number) => fc.uint8Array({ maxLength: max }).map((b) => Buffer.from(b).toString('hex'));
  const fd = fc.integer({ min: 0, max: 12 });
  const u64 = fc.oneof(fc.constantFrom('0', '4096', '18446744073709551615', '140737488355328'), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map(String));
  const u32 = fc.oneof(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 0xffffffff }));
  const count = fc.oneof(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 0, max: 1 << 16 }));
  const ioctlRequest = fc.oneof(fc.constantFrom(...Object.values(IOCTL), VFIO_DEVICE_SET_IRQS), u32);
  const devicePath = fc.constantFrom(...paths.filter((p) => /^\/sys\/bus\/(pci|mdev)\/devices\/[^/]+$/.test(p)), ...paths.slice(0, 3));
  const arbitraries: fc.Arbitrary<Record<string, unknown>>[] = [
    fc.record({ op: fc.constant('begin_scenario'), name: fc.string({ maxLength: 8 }) }),
    fc.record({ op: fc.constant('mem_alloc'), length: fc.integer({ min: 1, max: 1 << 16 }) }),
    fc.record({ op: fc.constant('mem_read'), addr: u64, length: fc.integer({ min: 0, max: 256 }) }),
    fc.record({ op: fc.constant('mem_write'), addr: u64, data: hex(32) }),
    fc.record({ op: fc.constant('open_device'), path: devicePath }),
    fc.record({ op: fc.constant('close'), fd }),
    fc.record({ op: fc.constant('ioctl'), fd, request: ioctlRequest, arg: fc.option(hex(80), { nil: null }) }),
    fc.record({ op: fc.constant('read'), fd, count }),
    fc.record({ op: fc.constant('write'), fd, data: hex(64) }),
    fc.record({ op: fc.constant('pread'), fd, count, offset: u64 }),
    fc.record({ op: fc.constant('pwrite'), fd, data: hex(64), offset: u64 }),
    fc.record({ op: fc.constant('lseek'), fd, offset: fc.integer({ min: -10, max: 1 << 20 }), whence: fc.constantFrom('SEEK_SET', 'SEEK_CUR', 'SEEK_END') }),
    fc.record({ op: fc.constant('fcntl'), fd, cmd: fc.constantFrom('F_GETFD', 'F_GETFL') }),
    fc.record({ op: fc.constant('region_info'), fd, index: u32 }),
    fc.record({ op: fc.constant('region_read'), fd, index: u32, offset: u64, count }),
    fc.record({ op: fc.constant('region_write'), fd, index: u32, offset: u64, data: hex(16) }),
    fc.record({ op: fc.constant('dma_map'), fd, iova: u64, addr: u64, length: u64 }),
    fc.record({ op: fc.constant('device_dma'), fd, iova: u64, data: hex(16), peer: fc.boolean() }),
    fc.record({ op: fc.constant('migration_arcs'), fd }),
    fc.record({ op: fc.constant('sysfs_read'), path }),
    fc.record({ op: fc.constant('sysfs_write'), path, data: writeData }),
    fc.record({ op: fc.constant('sysfs_list'), path }),
    fc.record({ op: fc.constant('sysfs_readlink'), path }),
    fc.record({ op: fc.constant('sysfs_stat'), path }),
    fc.record({ op: fc.constant('sysfs_write_start'), path, data: writeData }),
    fc.record({ op: fc.constant('delete_module_start'), name: fc.constantFrom('mtty', 'mdpy', 'mbochs', 'vfio', 'x') }),
    fc.record({ op: fc.constant('pending_wait'), pending: fc.integer({ min: 0, max: 4 }), timeout_ms: fc.integer({ min: 0, max: 100 }) }),
    fc.record({ op: fc.constant('admin_command'), owner: devicePath, data: hex(48), writable_length: fc.integer({ min: 0, max: 64 }) }),
    fc.record({ op: fc.constant('admin_trace'), path: devicePath }),
    fc.record({ op: fc.constant('mmio_write'), path: devicePath, bar: fc.integer({ min: 0, max: 5 }), offset: u64, data: fc.constantFrom(1, 2, 4, 8).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })).map((b) => Buffer.from(b).toString('hex')) }),
  ];
  return fc.oneof(...arbitraries).map((raw) => raw as Request);
}

// What is wrong with one answer, or undefined.
export function answerFault(request: Request, answer: unknown): string | undefined {
  const text = JSON.stringify(answer);
  const response = Response.safeParse(JSON.parse(text));
  if (!response.success) return answerShapeFault(answer, 'the answer') ?? describeZodError(response.error, 'the answer');
  const parsed = response.data;
  if (parsed.ok) {
    const result = RESULT_SCHEMAS[request.op].safeParse(parsed.result);
    if (!result.success) return describeZodError(result.error, `the result of ${request.op}`);
    return resultFault(request, result.data as Record<string, unknown>);
  }
  return 'errno' in parsed ? errnoArgFault(request, parsed.arg) : undefined;
}

export interface FuzzReport { requests: number; sequences: number; blocked: number; byOp: Record<string, number> }

// Runs `total` requests in sequences of SEQUENCE; throws on the first crash or
// answer outside the contract, with the request that caused it.
export function fuzzReference(total: number, seed: number): Promise<FuzzReport> {
  return (async () => {
    const probe = referenceFromEnvironment({});
    const paths = await knownPaths(probe);
    const report: FuzzReport = { requests: 0, sequences: 0, blocked: 0, byOp: {} };
    const runs = Math.ceil(total / SEQUENCE);
    fc.assert(
      fc.property(fc.array(requests(paths), { minLength: SEQUENCE, maxLength: SEQUENCE }), (sequence) => {
        const reference = referenceFromEnvironment({});
        report.sequences++;
        for (const [i, request] of sequence.entries()) {
          const wire = WireRequest.safeParse({ id: i + 1, ...request });
          if (!wire.success) throw new Error(`the generator made a request the schema refuses: ${describeZodError(wire.error, JSON.stringify(request))}`);
          report.requests++;
          report.byOp[request.op] = (report.byOp[request.op] ?? 0) + 1;
          let answer: unknown;
          try {
            answer = reference.answer(request);
          } catch (error) {
            throw new Error(`the reference threw on request ${i} ${JSON.stringify(request)}: ${(error as Error).stack}`);
          }
          if (answer instanceof BlockedForGood) {
            report.blocked++;
            return;
          }
          const fault = answerFault(request, answer);
          if (fault) throw new Error(`request ${i} ${JSON.stringify(request)} got ${JSON.stringify(answer)}: ${fault}`);
        }
      }),
      { seed, numRuns: runs, endOnFailure: true },
    );
    return report;
  })();
}

if (require.main === module) {
  const { values } = parseArgs({ options: { requests: { type: 'string', default: '100000' }, seed: { type: 'string', default: '1' } } });
  const total = Number(values.requests);
  const seed = Number(values.seed);
  if (!Number.isSafeInteger(total) || total <= 0) throw new Error(`--requests must be a positive integer, not ${JSON.stringify(values.requests)}`);
  if (!Number.isSafeInteger(seed)) throw new Error(`--seed must be an integer, not ${JSON.stringify(values.seed)}`);
  fuzzReference(total, seed).then(
    (r) => console.log(`${r.requests} requests in ${r.sequences} sequences (seed ${seed}): no crash, every answer within the contract; ${r.blocked} sequence(s) ended in a write that blocks for good`),
    (error: Error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
