// The migration model's device side: VFIO_DEVICE_FEATURE header checks, DMA
// dirty logging (START, STOP, REPORT) over the device's own DMA, an FLR
// written to config space, and poll on the data fds. Each command acts through
// the migration session as its step does, records that step and checks the
// answer against the uAPI (in the core's check order) or against the declared
// driver's profile, naming the clause.
import fc from 'fast-check';
import { checks } from '../vfio/checks';
import { FEATURE, FEATURE_FLAG, STATE_VALUE, MigState } from '../uapi/vfio';
import { pollMask } from '../uapi/poll';
import { describeOutcome, expect } from '../world/assert';
import {
  Command, DataFdModel, DeviceModel, DeviceName, endFds, failsWith, flagsPhrase, isSaving, LogModel, MigrationModel, MigrationReal,
  PAGES, phrase, refOf, unknownLog,
} from './migration';

const BASE = 0x100000n;
const PAGE = 0x1000n;
const U64_END = 1n << 64n;
const hex = (v: bigint) => `0x${v.toString(16)}`;
const RUNS = new Set<MigState>(['RUNNING', 'RUNNING_P2P', 'PRE_COPY', 'PRE_COPY_P2P']);
const P2P_QUIET = new Set<MigState>(['RUNNING_P2P', 'PRE_COPY_P2P']);

// --- VFIO_DEVICE_FEATURE header -------------------------------------------------

// The operations each feature offers and the payload it needs (vfio_check_feature()).
const OFFERED: Record<number, { ops: number; minsz: number; logging?: boolean }> = {
  [FEATURE.MIGRATION]: { ops: FEATURE_FLAG.GET, minsz: 8 },
  [FEATURE.MIG_DEVICE_STATE]: { ops: FEATURE_FLAG.GET | FEATURE_FLAG.SET, minsz: 8 },
  [FEATURE.MIG_DATA_SIZE]: { ops: FEATURE_FLAG.GET, minsz: 8 },
  [FEATURE.DMA_LOGGING_START]: { ops: FEATURE_FLAG.SET, minsz: 24, logging: true },
  [FEATURE.DMA_LOGGING_STOP]: { ops: FEATURE_FLAG.SET, minsz: 0, logging: true },
  [FEATURE.DMA_LOGGING_REPORT]: { ops: FEATURE_FLAG.GET, minsz: 32, logging: true },
};
const UNKNOWN_FEATURE = 99;
const OPS = [FEATURE_FLAG.GET, FEATURE_FLAG.SET, FEATURE_FLAG.PROBE];
const NAMES: Record<number, string> = Object.fromEntries(Object.entries(FEATURE).map(([n, v]) => [v, n]));

type HeaderVerdict = { errno: string; clause: string } | { probe: true } | { run: true };

function headerVerdict(m: MigrationModel, id: number, ops: number, reserved: number, argsz: number): HeaderVerdict {
  const { GET, SET, PROBE } = FEATURE_FLAG;
  if (argsz < 8) return { errno: 'EINVAL', clause: 'C-MIG-048' };
  if (reserved) return { errno: 'EINVAL', clause: 'C-MIG-049' };
  if (ops & GET && ops & SET && !(ops & PROBE)) return { errno: 'EINVAL', clause: 'C-MIG-050' };
  const offered = OFFERED[id];
  if (!offered) return { errno: 'ENOTTY', clause: 'C-MIG-054' };
  if (offered.logging && !m.facts.logging) return { errno: 'ENOTTY', clause: 'C-MIG-053' };
  if (ops & (GET | SET) & ~offered.ops) return { errno: 'EINVAL', clause: 'C-MIG-055' };
  if (ops & PROBE) return { probe: true };
  if (!(ops & (GET | SET))) return { errno: 'EINVAL', clause: 'C-MIG-051' };
  if (argsz - 8 < offered.minsz) return { errno: 'EINVAL', clause: 'C-MIG-057' };
  return { run: true };
}

class FeatureHeader implements Command {
  constructor(readonly id: number, readonly ops: number, readonly reserved: number, readonly argsz: number) {}
  check(m: MigrationModel): boolean {
    if (this.id === UNKNOWN_FEATURE && !m.facts.enotty) return false; // EINVAL before the 2025 change on some drivers
    // Only GETs of the migration features really run: the others would change the device.
    return !('run' in headerVerdict(m, this.id, this.ops, this.reserved, this.argsz)) || (this.ops === FEATURE_FLAG.GET && !OFFERED[this.id].logging);
  }
  async run(m: MigrationModel, r: MigrationReal): Promise<void> {
    const j = r.journal;
    const flags = (this.id | this.ops | this.reserved) >>> 0;
    const verdict = headerVerdict(m, this.id, this.ops, this.reserved, this.argsz);
    if (this.id === UNKNOWN_FEATURE) j.tags.add('@since:feature-enotty');
    const payload = new Uint8Array(Math.max(0, this.argsz - 8)).fill(0xa5);
    await j.act('C-MIG-047', 'When', `VFIO_DEVICE_FEATURE "${this.text()}" is issued on the device with argsz ${this.argsz}`, () => r.world.vfio.featureStep('device', flags, this.argsz, payload));
    if ('errno' in verdict) {
      await j.expect(verdict.clause, `the call fails with ${verdict.errno}`, () => failsWith(r, verdict.errno));
    } else if ('probe' in verdict) {
      await j.expect('C-MIG-056', 'the payload is left untouched', () => checks.payloadUntouched(r.world as never));
    } else if (this.id === FEATURE.MIGRATION) {
      const f = (m.devices.device as DeviceModel).flags;
      await j.expect('C-MIG-002', `the payload holds migration flags ${flagsPhrase(f)}`, () => checks.payloadU64(r.world as never, BigInt(f)));
    } else {
      await j.expect(this.id === FEATURE.MIG_DATA_SIZE ? 'C-MIG-058' : 'C-MIG-015', 'the call succeeds', () => expect(r.world.last?.ok === true, `expected success, got ${describeOutcome(r.world.last)}`));
    }
  }
  private text(): string {
    const ops = OPS.filter((o) => this.ops & o).map((o) => (o === FEATURE_FLAG.GET ? 'GET' : o === FEATURE_FLAG.SET ? 'SET' : 'PROBE'));
    const feature = NAMES[this.id] ?? `feature ${this.id}`;
    const bit = this.reserved ? [`bit ${Math.log2(this.reserved)}`] : [];
    return [...ops, feature, ...bit].join('+');
  }
  toString(): string {
    return `feature(${this.text()}, argsz ${this.argsz})`;
  }
}

// --- DMA dirty logging ---------------------------------------------------------

interface RangeSet { ranges: [bigint, bigint][]; num?: number }
const RANGE_SETS: RangeSet[] = [
  { ranges: [[0x100000n, 0x10000n]] }, // the whole window
  { ranges: [[0x104000n, 0x8000n]] }, // its middle half
  { ranges: [[0x100000n, 0x10000n], [0x110000n, 0x1000n]] }, // touching after
  { ranges: [[0x100000n, 0x10000n], [0x0ff000n, 0x1000n]] }, // touching before
  { ranges: [[0x100000n, 0x10000n], [0x108000n, 0x10000n]] }, // overlapping
  { ranges: [[0x100000n, 0x10000n], [0x10f000n, 0x1000n]] }, // the second inside the first
  { ranges: [[0x1000n, 0x1000n], [0xfffffffffffff000n, 0x2000n]] }, // ending past 2^64
  { ranges: [[0x100800n, 0x1000n]] }, // unaligned
  { ranges: [], num: 0 },
  { ranges: [], num: 100000 }, // more than a page of ranges holds on any host
];

// The core's checks of vfio_ioctl_device_feature_logging_start(), in its order.
function startVerdict(pageSize: bigint, set: RangeSet): { errno: string; clause: string } | undefined {
  const count = set.num ?? set.ranges.length;
  if (count === 0) return { errno: 'EINVAL', clause: 'C-MIG-060' };
  if (count > 4096) return { errno: 'E2BIG', clause: 'C-MIG-061' };
  const seen: [bigint, bigint][] = [];
  for (const [iova, length] of set.ranges) {
    if (iova % pageSize || length % pageSize) return { errno: 'EINVAL', clause: 'C-MIG-062' };
    if (iova + length >= U64_END) return { errno: 'EOVERFLOW', clause: 'C-MIG-063' };
    const last = iova + length - 1n;
    if (seen.some(([s, l]) => s <= last && iova <= l)) return { errno: 'EINVAL', clause: 'C-MIG-064' };
    seen.push([iova, last]);
  }
  return undefined;
}

// What a driver's profile says of a second START while logging runs.
const RESTART_PROFILE: Record<string, { clause: string; refused: boolean }> = {
  refmig: { clause: 'C-MIG-066', refused: true },
  tckmig: { clause: 'C-MIG-099', refused: true },
  mtty: { clause: 'C-MIG-071', refused: false },
};
// Drivers whose profile says a report never sets a bit.
const NEVER_DIRTY: Record<string, string> = { mtty: 'C-MIG-071' };

const freshLog = (granule: bigint, set: RangeSet): LogModel => ({
  status: 'on', granule,
  inRange: Array.from({ length: PAGES }, (_, p) => set.ranges.some(([iova, length]) => BASE + BigInt(p) * PAGE >= iova && BASE + BigInt(p) * PAGE < iova + length)),
  marks: Array(PAGES).fill('clean'),
});

class LoggingStart implements Command {
  constructor(readonly device: DeviceName, readonly pageSize: bigint, readonly set: number) {}
  check(m: MigrationModel): boolean {
    const d = m.devices[this.device];
    return m.facts.logging && d !== undefined && d.state !== 'ERROR';
  }
  async run(m: MigrationModel, r: MigrationReal): Promise<void> {
    const d = m.devices[this.device] as DeviceModel;
    const set = RANGE_SETS[this.set];
    const j = r.journal;
    const v = r.world.vfio;
    const ranges = set.ranges.map(([iova, length]) => ({ iova, length }));
    if (set.num !== undefined) {
      await j.act('C-MIG-060', 'When', `DMA logging is started on ${phrase(this.device)} with page size ${this.pageSize} and num_ranges ${set.num}`, () => v.loggingStart(this.device, this.pageSize, [], set.num));
    } else {
      const table = [['iova', 'length'], ...set.ranges.map(([iova, length]) => [hex(iova), hex(length)])];
      await j.act('C-MIG-065', 'When', `DMA logging is started on ${phrase(this.device)} with page size ${this.pageSize} over:`, () => v.loggingStart(this.device, this.pageSize, ranges), table);
    }
    const ok = r.world.last?.ok === true;
    const refused = startVerdict(this.pageSize, set);
    if (refused) {
      await j.expect(refused.clause, `the call fails with ${refused.errno}`, () => failsWith(r, refused.errno));
      return;
    }
    const profile = RESTART_PROFILE[m.facts.driver];
    if (d.log.status === 'on' && profile) {
      await j.expect(profile.clause, profile.refused ? 'the call fails with EINVAL' : 'the call succeeds', () => (profile.refused ? failsWith(r, 'EINVAL') : expect(ok, `a second START must succeed on this driver, got ${describeOutcome(r.world.last)}`)));
      if (!profile.refused) d.log = freshLog(v.startedPageSize, set);
      return;
    }
    if (d.log.status === 'off') {
      await j.expect('C-MIG-065', 'the call succeeds', () => expect(ok, `DMA_LOGGING_START must succeed while logging is off, got ${describeOutcome(r.world.last)}`));
    }
    if (!ok) {
      // A second START the uAPI leaves to the driver, refused: the log runs on or not.
      d.log = unknownLog(d.log);
      return;
    }
    await j.expect('C-MIG-065', 'the page size written back is a power of two', () => checks.startedPageSizePowerOfTwo(r.world as never));
    const before = d.log.status;
    d.log = freshLog(v.startedPageSize, set);
    // Accepted while it ran or may have run: what the log then holds is the driver's.
    if (before !== 'off' && !(profile?.refused)) d.log.marks = d.log.marks.map(() => 'maybe');
  }
  toString(): string {
    return `logStart(${this.device}, ${this.pageSize}, set ${this.set})`;
  }
}

class LoggingStop implements Command {
  constructor(readonly device: DeviceName) {}
  check(m: MigrationModel): boolean {
    const d = m.devices[this.device];
    return m.facts.logging && d !== undefined && d.state !== 'ERROR';
  }
  async run(m: MigrationModel, r: MigrationReal): Promise<void> {
    const d = m.devices[this.device] as DeviceModel;
    await r.journal.act('C-MIG-084', 'When', `DMA logging is stopped on ${phrase(this.device)}`, () => checks.loggingStop(r.world as never, this.device));
    if (d.log.status === 'on') {
      await r.journal.expect('C-MIG-084', 'the call succeeds', () => expect(r.world.last?.ok === true, `DMA_LOGGING_STOP while logging runs must succeed, got ${describeOutcome(r.world.last)}`));
    }
    d.log = { ...d.log, status: 'off', marks: d.log.marks.map(() => 'clean') };
  }
  toString(): string {
    return `logStop(${this.device})`;
  }
}

// Report windows inside the explorer's 16 pages, and windows the core refuses.
interface Window { first: number; pages: number; pageSize: bigint; preset: number[]; iova?: bigint; length?: bigint }
const WINDOWS: Window[] = [
  { first: 0, pages: 16, pageSize: 4096n, preset: [] },
  { first: 0, pages: 16, pageSize: 4096n, preset: [0, 5] },
  { first: 0, pages: 8, pageSize: 4096n, preset: [] },
  { first: 8, pages: 8, pageSize: 4096n, preset: [] },
  { first: 0, pages: 16, pageSize: 16384n, preset: [] },
  { first: 8, pages: 8, pageSize: 16384n, preset: [1] },
  { first: 0, pages: 16, pageSize: 2048n, preset: [] }, // EINVAL: below 4096
  { first: 0, pages: 16, pageSize: 12288n, preset: [] }, // EINVAL: no power of two
  { first: 0, pages: 2, pageSize: 4096n, preset: [], iova: 0xfffffffffffff000n, length: 0x2000n }, // EOVERFLOW
];

class LoggingReport implements Command {
  constructor(readonly device: DeviceName, readonly window: number) {}
  check(m: MigrationModel): boolean {
    const d = m.devices[this.device];
    return m.facts.logging && d !== undefined && d.state !== 'ERROR';
  }
  async run(m: MigrationModel, r: MigrationReal): Promise<void> {
    const d = m.devices[this.device] as DeviceModel;
    const w = WINDOWS[this.window];
    const j = r.journal;
    const iova = w.iova ?? BASE + BigInt(w.first) * PAGE;
    const length = w.length ?? BigInt(w.pages) * PAGE;
    const into = w.preset.length ? ` into a bitmap with bits "${w.preset.join(', ')}" set` : '';
    await j.act('C-MIG-069', 'When', `the dirty pages of ${phrase(this.device)} are reported for IOVA ${hex(iova)} length ${hex(length)} at page size ${w.pageSize}${into}`,
      () => r.world.vfio.loggingReport(this.device, iova, length, w.pageSize, w.preset));
    const p = w.pageSize;
    if (p < 4096n || (p & (p - 1n)) !== 0n) return j.expect('C-MIG-067', 'the call fails with EINVAL', () => failsWith(r, 'EINVAL'));
    if (iova + length >= U64_END) return j.expect('C-MIG-068', 'the call fails with EOVERFLOW', () => failsWith(r, 'EOVERFLOW'));
    const ok = r.world.last?.ok === true;
    const log = d.log;
    const never = NEVER_DIRTY[m.facts.driver];
    if (log.status === 'off') {
      if (m.departures.has('C-MIG-084')) {
        await j.expect('C-MIG-083', `the reported dirty pages are "${pagesText(w.preset)}"`, () => checks.dirtyPages(r.world as never, pagesText(w.preset)));
      } else {
        await j.expect('C-MIG-084', 'the call fails', () => expect(!ok, `a report while logging is off must fail, got ${describeOutcome(r.world.last)}`));
      }
      return;
    }
    if (log.status === 'on') {
      await j.expect('C-MIG-069', 'the call succeeds', () => expect(ok, `a report while logging runs must succeed, got ${describeOutcome(r.world.last)}`));
    }
    if (!ok) return;
    // Bit k covers the report page k of the window: it must be set when a page in it is dirty or the caller set it.
    const per = Number(p / PAGE);
    const bits = Math.ceil(w.pages / per);
    const must: number[] = [];
    const may: number[] = [];
    for (let k = 0; k < bits; k++) {
      const marks = log.status === 'on' ? log.marks.slice(w.first + k * per, w.first + (k + 1) * per) : ['maybe'];
      if (w.preset.includes(k) || (!never && marks.includes('dirty'))) must.push(k);
      else if (!never && marks.includes('maybe')) may.push(k);
    }
    // Bits it must set are C-MIG-069's; bits a cleared log must not set again, C-MIG-070's.
    const clause = never ?? (must.length ? 'C-MIG-069' : 'C-MIG-070');
    if (may.length === 0) {
      await j.expect(clause, `the reported dirty pages are "${pagesText(must)}"`, () => checks.dirtyPages(r.world as never, pagesText(must)));
    } else {
      const none = Array.from({ length: bits }, (_, k) => k).filter((k) => !must.includes(k) && !may.includes(k));
      await j.expect(clause, `the reported dirty pages include "${pagesText(must)}" and none of "${pagesText(none)}"`, () => checks.dirtyPagesWithin(r.world as never, pagesText(must), pagesText(none)));
    }
    if (log.status === 'on') clearWindow(d, w.first, w.pages);
  }
  toString(): string {
    return `logReport(${this.device}, window ${this.window})`;
  }
}

const pagesText = (pages: number[]) => (pages.length ? pages.join(', ') : 'none');

// The report cleared the log of its window: pages of a tracked page wholly
// inside it are clean, those of one it only cut are the driver's.
function clearWindow(d: DeviceModel, first: number, pages: number): void {
  const per = Math.max(1, Number(d.log.granule / PAGE));
  for (let start = 0; start < PAGES; start += per) {
    const end = start + per;
    if (end <= first || start >= first + pages) continue;
    const whole = start >= first && end <= first + pages;
    for (let q = start; q < Math.min(end, PAGES); q++) d.log.marks[q] = whole && !d.tainted.has(q) ? 'clean' : 'maybe';
  }
}

// --- the device's DMA --------------------------------------------------------------

class MapMemory implements Command {
  check(m: MigrationModel): boolean {
    return m.facts.dma && m.devices.device?.mapped === 'no';
  }
  async run(m: MigrationModel, r: MigrationReal): Promise<void> {
    await r.journal.act('C-MIG-043', 'Given', '64 KiB of memory is mapped at IOVA 0x100000 for the device', () => r.world.vfio.mapMemory('device', BASE, 64 * 1024));
    (m.devices.device as DeviceModel).mapped = 'yes';
  }
  toString(): string {
    return 'map()';
  }
}

class DeviceDma implements Command {
  constructor(readonly page: number, readonly value: number, readonly peer: boolean) {}
  check(m: MigrationModel): boolean {
    const d = m.devices.device;
    return d !== undefined && d.mapped === 'yes' && d.state !== 'ERROR';
  }
  async run(m: MigrationModel, r: MigrationReal): Promise<void> {
    const d = m.devices.device as DeviceModel;
    const j = r.journal;
    const iova = BASE + BigInt(this.page) * PAGE;
    const byte = `0x${this.value.toString(16).padStart(2, '0')}`;
    await j.act('C-MIG-043', 'When', `the device writes ${byte} to IOVA ${hex(iova)} by ${this.peer ? 'peer-to-peer ' : ''}DMA`, () => r.world.vfio.deviceDma('device', iova, Uint8Array.of(this.value), this.peer));
    const lands = RUNS.has(d.state) && !(this.peer && P2P_QUIET.has(d.state));
    const clause = lands ? (P2P_QUIET.has(d.state) ? 'C-MIG-044' : 'C-MIG-045') : this.peer && P2P_QUIET.has(d.state) ? 'C-MIG-044' : d.state === 'STOP_COPY' ? 'C-MIG-046' : 'C-MIG-043';
    const expected = lands ? this.value : d.memory[this.page];
    // In RESUMING the uAPI only says the device is stopped; what it writes later is not checked.
    if (expected !== undefined && d.state !== 'RESUMING') {
      const want = `0x${expected.toString(16).padStart(2, '0')}`;
      await j.expect(clause, `memory at IOVA ${hex(iova)} of the device reads ${want}`, () => checks.memory(r.world as never, 'device', iova, Uint8Array.of(expected)));
    }
    if (lands) {
      d.memory[this.page] = this.value;
      if (d.log.status === 'on') markDirty(d, this.page);
    } else {
      // A stopped device may hold the request and do it once running again.
      d.memory[this.page] = undefined;
      d.tainted.add(this.page);
      d.log.marks[this.page] = 'maybe';
    }
  }
  toString(): string {
    return `dma(${this.page}, ${this.value}${this.peer ? ', peer' : ''})`;
  }
}

function markDirty(d: DeviceModel, page: number): void {
  const log = d.log;
  if (!log.inRange[page]) {
    log.marks[page] = log.marks[page] === 'dirty' ? 'dirty' : 'maybe'; // outside the ranges: the driver's
    return;
  }
  log.marks[page] = 'dirty';
  const per = Math.max(1, Number(log.granule / PAGE));
  const start = Math.floor(page / per) * per;
  for (let q = start; q < Math.min(start + per, PAGES); q++) if (log.marks[q] === 'clean') log.marks[q] = 'maybe';
}

// --- an FLR written to config space ----------------------------------------------

class Flr implements Command {
  check(m: MigrationModel): boolean {
    return m.facts.flr && m.devices.device !== undefined;
  }
  async run(m: MigrationModel, r: MigrationReal): Promise<void> {
    const d = m.devices.device as DeviceModel;
    const j = r.journal;
    if (!d.flrOffered) {
      await j.act('C-MIG-120', 'Given', 'the device offers Function Level Reset in its PCI Express capability', () => r.world.vfio.requirePcie('device', true));
      d.flrOffered = true;
    }
    await j.act('C-MIG-120', 'When', 'Initiate FLR is written to the PCI Express Device Control register of the device', () => r.world.vfio.writeFlr('device'));
    await j.expect('C-MIG-121', 'the Initiate FLR bit of the device reads 0', () => checks.flrBitClear(r.world as never, 'device'));
    await j.expect('C-MIG-120', 'the device is in state RUNNING', () => checks.state(r.world as never, 'device', STATE_VALUE.RUNNING));
    d.state = 'RUNNING';
    d.log = unknownLog(d.log);
    endFds(m, 'device', 'C-MIG-120');
    r.visited.add('RUNNING');
  }
  toString(): string {
    return 'flr()';
  }
}

// --- poll on a data fd ---------------------------------------------------------------

// Drivers whose profile says how the saving fd polls (mlx5vf_save_poll() and refmig after it).
const POLL_PROFILE: Record<string, string> = { refmig: 'C-MIG-118', mlx5_vfio_pci: 'C-MIG-117' };
const ALL_EVENTS = 'POLLIN+POLLOUT+POLLRDNORM+POLLWRNORM+POLLRDHUP';

class Poll implements Command {
  constructor(readonly which: 'fd' | 'previous') {}
  private what(m: MigrationModel): { events: string; expect: string; exactly: boolean; clause: string } | undefined {
    const f: DataFdModel | undefined = m[this.which];
    if (!f || f.direction !== 'save') return undefined;
    const state = m.devices[f.owner]?.state;
    const profile = POLL_PROFILE[m.facts.driver];
    if (f.status === 'live' && state === 'STOP_COPY') {
      return profile ? { events: ALL_EVENTS, expect: 'POLLIN+POLLRDNORM', exactly: true, clause: profile } : { events: 'POLLIN', expect: 'POLLIN', exactly: false, clause: 'C-MIG-115' };
    }
    if (!profile) return undefined;
    if (f.status === 'ended') return { events: ALL_EVENTS, expect: 'POLLIN+POLLRDNORM+POLLRDHUP', exactly: true, clause: profile };
    if (f.status === 'live' && f.drained && state !== undefined && isSaving(state)) return { events: ALL_EVENTS, expect: 'nothing', exactly: true, clause: profile };
    return undefined;
  }
  check(m: MigrationModel): boolean {
    return this.what(m) !== undefined;
  }
  async run(m: MigrationModel, r: MigrationReal): Promise<void> {
    const w = this.what(m) as NonNullable<ReturnType<Poll['what']>>;
    const ref = refOf(this.which);
    const events = w.events === 'nothing' ? 0 : pollMask(w.events.split('+'));
    await r.journal.act(w.clause, 'When', `${ref} is polled for ${w.events}`, () => r.world.vfio.poll(ref, events));
    const wanted = w.expect === 'nothing' ? 0 : pollMask(w.expect.split('+'));
    await r.journal.expect(w.clause, `the poll reports ${w.exactly ? 'exactly ' : ''}${w.expect}`, () => checks.poll(r.world as never, wanted, w.exactly ? 'exactly' : 'all'));
  }
  toString(): string {
    return `poll(${this.which})`;
  }
}

export function dmaCommands(): fc.Arbitrary<Command>[] {
  const device = fc.constantFrom<DeviceName>('device', 'device', 'device', 'dst');
  const which = fc.constantFrom<'fd' | 'previous'>('fd', 'fd', 'previous');
  const feature = fc.constantFrom(FEATURE.MIGRATION, FEATURE.MIG_DEVICE_STATE, FEATURE.MIG_DATA_SIZE, FEATURE.DMA_LOGGING_START, FEATURE.DMA_LOGGING_STOP, FEATURE.DMA_LOGGING_REPORT, UNKNOWN_FEATURE);
  const ops = fc.subarray(OPS).map((o) => o.reduce((a, b) => a | b, 0));
  const reserved = fc.constantFrom(0, 0, 0, 0, 1 << 19, 2 ** 31);
  const argsz = fc.constantFrom(0, 7, 8, 15, 16, 16, 31, 32, 39, 40);
  return [
    ...Array(2).fill(fc.tuple(feature, ops, reserved, argsz).map(([f, o, res, a]) => new FeatureHeader(f, o, res, a))),
    ...Array(3).fill(fc.tuple(device, fc.constantFrom(4096n, 4096n, 8192n), fc.constantFrom(0, 0, 0, 0, 1, ...RANGE_SETS.keys())).map(([d, p, s]) => new LoggingStart(d, p, s))),
    device.map((d) => new LoggingStop(d)),
    ...Array(3).fill(fc.tuple(device, fc.constantFrom(0, 0, 0, 2, 3, ...WINDOWS.keys())).map(([d, w]) => new LoggingReport(d, w))),
    ...Array(3).fill(fc.constant(new MapMemory())),
    ...Array(4).fill(fc.tuple(fc.constantFrom(0, 1, 7, 8, 10, 15), fc.integer({ min: 1, max: 255 }), fc.boolean()).map(([p, v, peer]) => new DeviceDma(p, v, peer))),
    fc.constant(new Flr()),
    ...Array(2).fill(which.map((w) => new Poll(w))),
  ];
}
