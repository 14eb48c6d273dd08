// The migration suite's checks: each Then step is one call here, so the
// expectations a scenario states are spelled out in one readable place.
import { pollNames } from '../uapi/poll';
import { DEVICE_FLAG, FEATURE, FEATURE_FLAG, migState, STATE_VALUE, stateName, u64Payload, VFIO_PCI_CONFIG_REGION_INDEX } from '../uapi/vfio';
import { VFIO_REGION_INFO_FLAG } from '../uapi/virtio';
import { NotApplicable } from '../world/skip';
import { describeOutcome, expect, expectEqual, show } from '../world/assert';
import type { TckWorld } from '../world/world';
import { parsePath, showPath } from './phrases';
import type { FdRef } from './session';
import type { LoggingRange } from '../uapi/vfio';

const O_ACCMODE = 3;

export const checks = {
  async state(w: TckWorld, device: string, state: number) {
    const now = await w.vfio.getState(device);
    expect(now === state, `expected device_state ${stateName(state)}, the device reports ${stateName(now)}`);
  },

  async oneOfStates(w: TckWorld, device: string, states: number[]) {
    const now = await w.vfio.getState(device);
    expect(states.includes(now), `expected device_state ${states.map(stateName).join(' or ')}, the device reports ${stateName(now)}`);
  },

  // ERROR is optional: a device that did not enter it makes the rest of the scenario not apply.
  pciDeviceInfo(w: TckWorld, regions: number, irqs: number) {
    const info = w.vfio.lastDeviceInfo;
    expect(info !== undefined, `VFIO_DEVICE_GET_INFO returned no struct (${describeOutcome(w.last)})`);
    expect((info.flags & DEVICE_FLAG.PCI) !== 0, `flags 0x${info.flags.toString(16)} lack VFIO_DEVICE_FLAGS_PCI`);
    expect(info.num_regions >= regions, `num_regions is ${info.num_regions}, fewer than the ${regions} fixed PCI region indexes`);
    expect(info.num_irqs >= irqs, `num_irqs is ${info.num_irqs}, fewer than the ${irqs} PCI interrupt indexes`);
  },

  async requireResetFlag(w: TckWorld, device: string, wanted: boolean) {
    const reports = await w.vfio.reportsReset(device);
    if (reports !== wanted) {
      throw new NotApplicable(`the device ${reports ? 'reports' : 'does not report'} VFIO_DEVICE_FLAGS_RESET; this scenario is about one that ${wanted ? 'does' : 'does not'}`);
    }
  },

  async requireError(w: TckWorld, device: string) {
    // Whether a bad stream must fail the SET is C-MIG-037's business (06-stream-round-trip);
    // this premise only selects devices that did fail it and went to ERROR.
    if (w.last?.ok !== false) throw new NotApplicable(`the SET did not fail (${describeOutcome(w.last)}), so the device did not enter ERROR; this scenario is about a device in ERROR`);
    const now = await w.vfio.getState(device);
    if (now !== STATE_VALUE.ERROR) {
      throw new NotApplicable(`the failed SET left the device in ${stateName(now)}, not ERROR; the uAPI allows that (ERROR is optional), and this scenario is about a device in ERROR`);
    }
  },

  async arcs(w: TckWorld, device: string, path: string) {
    const arcs = await w.vfio.arcs(device);
    if (arcs === undefined) {
      await w.attach(`The path ${path} is not observable: the implementation offers no migration_arcs hook; the other checks of this scenario still apply.`, 'text/plain');
      return;
    }
    expectEqual(showPath(arcs), showPath(parsePath(path)), 'the arcs the driver performed');
  },

  dataFd(w: TckWorld, expectNew: boolean) {
    expect(w.last?.ok === true, `the SET should have succeeded, got ${describeOutcome(w.last)}`);
    const { data_fd } = w.vfio.lastSetPayload();
    if (expectNew) expect(data_fd >= 0, `expected a new data fd, got data_fd ${data_fd}`);
    else expect(data_fd === -1, `expected data_fd -1, got ${data_fd}`);
  },

  // "a new data fd", "data_fd -1", or the errno the SET must fail with.
  setResult(w: TckWorld, result: string) {
    if (result === 'a new data fd' || result === 'data_fd -1') {
      checks.dataFd(w, result === 'a new data fd');
      return;
    }
    expect(w.last?.ok === false && w.last.errno === result, `expected the SET to fail with ${result}, got ${describeOutcome(w.last)}`);
  },

  failedSetPayload(w: TckWorld, state: number) {
    expect(w.last?.ok === false, `the SET should have failed, got ${describeOutcome(w.last)}`);
    const payload = w.vfio.lastPayload;
    expect(payload !== undefined, 'the failed SET left no payload behind: it must write device_state and data_fd = -1 back');
    expectEqual(migState.decode(payload), { device_state: state, data_fd: -1 }, 'the payload after the failed SET');
  },

  payloadUntouched(w: TckWorld) {
    expect(w.last?.ok === true, `expected success, got ${describeOutcome(w.last)}`);
    const payload = w.vfio.lastPayload ?? new Uint8Array(0);
    expect(payload.every((b) => b === 0xa5), `the payload must not be written, it now holds ${show(payload)}`);
  },

  payloadU64(w: TckWorld, value: bigint) {
    expect(w.last?.ok === true, `expected success, got ${describeOutcome(w.last)}`);
    expectEqual(u64Payload.decode(w.vfio.lastPayload ?? new Uint8Array(8)), value, 'the u64 in the payload');
  },

  async dataSize(w: TckWorld, device: string, size: bigint) {
    expectEqual(await w.vfio.dataSize(device), size, 'MIG_DATA_SIZE');
  },

  async dataSizeAnswers(w: TckWorld, device: string) {
    await w.vfio.dataSize(device);
  },

  async dataSizeIsStream(w: TckWorld, device: string) {
    expectEqual(await w.vfio.dataSize(device), BigInt(w.vfio.savedStream.length), 'MIG_DATA_SIZE against the saved stream length');
  },

  // Calls a data fd must refuse: the result is recorded for the Then step.
  async misuse(w: TckWorld, fd: FdRef, syscall: string) {
    const handle = w.vfio.fd(fd);
    const calls: Record<string, () => Promise<unknown>> = {
      read: () => w.client.call('read', { fd: handle, count: 1 }),
      write: () => w.client.call('write', { fd: handle, data: '00' }),
      pread: () => w.client.call('pread', { fd: handle, count: 1, offset: '0' }),
      pwrite: () => w.client.call('pwrite', { fd: handle, data: '00', offset: '0' }),
      lseek: () => w.client.call('lseek', { fd: handle, offset: 0, whence: 'SEEK_SET' }),
    };
    const call = calls[syscall];
    if (!call) throw new Error(`"${syscall}" is not one of ${Object.keys(calls).join(', ')}`);
    w.record((await call()) as never);
  },

  async close(w: TckWorld, fd: FdRef) {
    w.record(await w.client.call('close', { fd: w.vfio.fd(fd) }));
  },

  async otherIoctl(w: TckWorld, fd: FdRef, request: number) {
    w.record(await w.client.call('ioctl', { fd: w.vfio.fd(fd), request, arg: '00'.repeat(64) }));
  },

  truncateStream(w: TckWorld, count: number) {
    expect(w.vfio.savedStream.length > count, 'the saved stream is too short to lose that many bytes');
    w.vfio.savedStream = w.vfio.savedStream.slice(0, w.vfio.savedStream.length - count);
  },

  keepStreamStart(w: TckWorld, count: number) {
    expect(w.vfio.savedStream.length > count, `the saved stream has ${w.vfio.savedStream.length} bytes, not more than ${count}`);
    w.vfio.savedStream = w.vfio.savedStream.slice(0, count);
  },

  corruptStream(w: TckWorld, at: number) {
    expect(w.vfio.savedStream.length > at, `the saved stream has no byte ${at}`);
    w.vfio.savedStream = w.vfio.savedStream.slice();
    w.vfio.savedStream[at] ^= 0xff;
  },

  readLength(w: TckWorld, count: number) {
    expect(w.last?.ok === true, `expected the read to succeed, got ${describeOutcome(w.last)}`);
    expectEqual(w.vfio.lastRead?.length, count, 'bytes returned by read');
  },

  async fdFlags(w: TckWorld, fd: FdRef, access: string) {
    const handle = w.vfio.fd(fd);
    const fdFlags = await w.client.must('fcntl', { fd: handle, cmd: 'F_GETFD' });
    expect((fdFlags.value & 1) === 1, `F_GETFD gives ${fdFlags.value}: FD_CLOEXEC is not set`);
    const flFlags = await w.client.must('fcntl', { fd: handle, cmd: 'F_GETFL' });
    const wanted = { 'read-only': 0, 'write-only': 1 }[access];
    if (wanted === undefined) throw new Error(`"${access}" is not read-only or write-only`);
    expectEqual(flFlags.value & O_ACCMODE, wanted, `the access mode (F_GETFL & O_ACCMODE) of a ${access} fd`);
  },

  // After its transfer ended a data fd gives no more device data.
  // An ended saving fd gives no more device data; an ended resuming fd takes
  // no more (a read of a write-only fd proves nothing, so it is written to).
  async ended(w: TckWorld, fd: FdRef) {
    const handle = w.vfio.fd(fd);
    const mode = (await w.client.must('fcntl', { fd: handle, cmd: 'F_GETFL' })).value & O_ACCMODE;
    if (mode === 1) {
      const out = await w.client.call('write', { fd: handle, data: '00' });
      expect(!out.ok, `an ended resuming fd must refuse more data, write gave ${describeOutcome(out)}`);
      return;
    }
    const out = await w.client.call('read', { fd: handle, count: 4096 });
    const noData = out.ok ? out.value.data.length === 0 : out.errno !== 'ENOMSG';
    expect(noData, `an ended data fd must give no device data, read gave ${describeOutcome(out)}`);
  },

  async flrBitClear(w: TckWorld, device: string) {
    const devctl = await w.vfio.devctl(device);
    expect((devctl & 0x8000) === 0, `Device Control reads 0x${devctl.toString(16)}: Initiate FLR (bit 15) must read 0`);
  },

  async temporaryEnd(w: TckWorld, fd: FdRef) {
    const out = await w.client.call('read', { fd: w.vfio.fd(fd), count: 4096 });
    const atEnd = out.ok ? out.value.data.length === 0 : out.errno === 'ENOMSG';
    expect(atEnd, `a pre-copy read with nothing available must give 0 bytes or ENOMSG, got ${describeOutcome(out)}`);
  },

  async permanentEnd(w: TckWorld, fd: FdRef) {
    for (let i = 0; i < 2; i++) {
      const out = await w.client.call('read', { fd: w.vfio.fd(fd), count: 4096 });
      expect(out.ok && out.value.data.length === 0, `the end of a STOP_COPY stream is read() = 0, every time; got ${describeOutcome(out)}`);
    }
  },

  precopy(w: TckWorld, expected: Record<string, string>) {
    expect(w.last?.ok === true, `VFIO_MIG_GET_PRECOPY_INFO should succeed, got ${describeOutcome(w.last)}`);
    const info = w.vfio.lastPrecopy;
    expect(info !== undefined, 'no pre-copy info was returned');
    for (const [field, rule] of Object.entries(expected)) {
      const actual = BigInt((info as unknown as Record<string, bigint | number>)[field] ?? NaN);
      const m = /^(above|at most|)\s*(\d+)$/.exec(rule.trim());
      if (!m) throw new Error(`"${rule}" is not N, "above N" or "at most N"`);
      const bound = BigInt(m[2]);
      const holds = m[1] === 'above' ? actual > bound : m[1] === 'at most' ? actual <= bound : actual === bound;
      expect(holds, `pre-copy info ${field} is ${actual}, expected ${rule}`);
    }
  },

  // poll(2) answered, and every event of `wanted` is (all), none is (none), or
  // the answer is exactly `wanted` (exactly).
  poll(w: TckWorld, wanted: number, how: 'all' | 'none' | 'exactly') {
    expect(w.last?.ok === true && w.vfio.lastPoll !== undefined, `poll should answer, got ${describeOutcome(w.last)}`);
    const got = w.vfio.lastPoll;
    const show = (mask: number) => (mask ? pollNames(mask).join('+') : 'nothing');
    const holds = how === 'all' ? (got & wanted) === wanted : how === 'none' ? (got & wanted) === 0 : got === wanted;
    const rule = how === 'all' ? `all of ${show(wanted)}` : how === 'none' ? `none of ${show(wanted)}` : `exactly ${show(wanted)}`;
    expect(holds, `poll reported ${show(got)}, expected ${rule}`);
  },

  twoEqualHalves(w: TckWorld) {
    const stream = w.vfio.savedStream;
    const half = stream.length / 2;
    expect(stream.length > 0 && Number.isInteger(half), `the two streams together are ${stream.length} bytes: not two of one length`);
    expectEqual(stream.subarray(half), stream.subarray(0, half), 'the second stream against the first');
  },

  initialShrunk(w: TckWorld, less: bigint) {
    const [previous, latest] = [w.vfio.previousPrecopy, w.vfio.lastPrecopy];
    expect(previous !== undefined && latest !== undefined, 'two pre-copy answers are needed');
    expect(latest.initial_bytes <= previous.initial_bytes - less,
      `initial_bytes went from ${previous.initial_bytes} to ${latest.initial_bytes} after reading ${less} bytes`);
  },

  // vfio_pci_ioctl_get_region_info(): config space is READ|WRITE at its fixed
  // offset, 256 bytes, or 4096 where the device has an extended config space
  // (only a PCI Express or PCI-X 2.0 device can have one).
  async configRegion(w: TckWorld, device: string) {
    const index = VFIO_PCI_CONFIG_REGION_INDEX;
    const info = await w.vfio.regionInfo(device, index);
    const rw = VFIO_REGION_INFO_FLAG.READ | VFIO_REGION_INFO_FLAG.WRITE;
    expectEqual({ flags: info.flags, offset: info.offset }, { flags: rw, offset: BigInt(index) << 40n }, `region ${index} (config space) info`);
    const sizes = (await w.vfio.pcieCapability(device)) === undefined ? [256n] : [256n, 4096n];
    expect(sizes.includes(info.size), `the config region is ${info.size} bytes; expected ${sizes.join(' or ')}`);
  },

  // Each BAR region against its BAR register: an empty one has flags 0; one
  // with a size is READ|WRITE at index << 40, as large as the register's
  // all-ones probe says (32-bit BARs), mappable when it is memory of a page or
  // more and never when it is I/O; the upper half of a 64-bit BAR is empty.
  async barRegions(w: TckWorld, device: string) {
    const rw = VFIO_REGION_INFO_FLAG.READ | VFIO_REGION_INFO_FLAG.WRITE;
    let upperHalf = false;
    for (let bar = 0; bar < 6; bar++) {
      const info = await w.vfio.regionInfo(device, bar);
      if (upperHalf) {
        expectEqual({ flags: info.flags, size: info.size }, { flags: 0, size: 0n }, `region ${bar}, the upper half of a 64-bit BAR`);
        upperHalf = false;
        continue;
      }
      const register = await w.vfio.configDword(device, 0x10 + 4 * bar);
      const io = (register & 0x1) !== 0;
      upperHalf = !io && (register & 0x6) === 0x4;
      if (info.size === 0n) {
        expectEqual(info.flags, 0, `flags of the empty region ${bar}`);
        continue;
      }
      expectEqual({ rw: info.flags & rw, offset: info.offset }, { rw, offset: BigInt(bar) << 40n }, `region ${bar} (BAR${bar}) info`);
      if (!upperHalf) expectEqual(info.size, BigInt(await w.vfio.barProbeSize(device, bar)), `size of region ${bar} against the BAR${bar} probe`);
      const mmap = (info.flags & VFIO_REGION_INFO_FLAG.MMAP) !== 0;
      if (io) expect(!mmap, `region ${bar} is an I/O BAR but offers mmap`);
      else if (info.size >= 4096n) expect(mmap, `region ${bar} is a memory BAR of ${info.size} bytes but does not offer mmap`);
    }
  },

  // The VGA region exists only for a display controller (class 0x03) with VGA support.
  async requireNotVga(w: TckWorld, device: string) {
    const classCode = (await w.vfio.configDword(device, 0x08)) >>> 24;
    if (classCode === 0x03) throw new NotApplicable('the device is a display controller, which may have a VGA region');
  },

  async configAnswers(w: TckWorld, device: string) {
    const vendor = Buffer.from(await w.vfio.regionRead(device, VFIO_PCI_CONFIG_REGION_INDEX, 0, 2)).readUInt16LE(0);
    expect(vendor !== 0xffff && vendor !== 0, `config space reads vendor id 0x${vendor.toString(16)}: the device does not answer`);
  },

  streamLength(w: TckWorld, length: number) {
    expectEqual(w.vfio.savedStream.length, length, 'length of the saved stream');
  },

  // | offset | size | value |  (size 1, 2, 4 or 8 bytes, little-endian value)
  streamLayout(w: TckWorld, rows: Record<string, string>[]) {
    const stream = Buffer.from(w.vfio.savedStream);
    for (const row of rows) {
      const offset = Number(row.offset);
      const size = Number(row.size);
      expect(stream.length >= offset + size, `the saved stream (${stream.length} bytes) ends before offset ${offset}+${size}`);
      const actual = readLE(stream, offset, size);
      expectEqual(`0x${actual.toString(16)}`, `0x${BigInt(row.value).toString(16)}`, `${row.field ?? 'value'} at offset ${offset}`);
    }
  },

  async region(w: TckWorld, device: string, index: number, offset: number, data: Uint8Array) {
    expectEqual(await w.vfio.regionRead(device, index, offset, data.length), data, `region ${index} at ${offset}`);
  },

  async regionBytewise(w: TckWorld, device: string, index: number, offset: number, reads: number, data: Uint8Array) {
    const got: number[] = [];
    for (let i = 0; i < reads; i++) got.push((await w.vfio.regionRead(device, index, offset, 1))[0]);
    expectEqual(new Uint8Array(got), data, `${reads} reads of region ${index} at ${offset}`);
  },

  async memory(w: TckWorld, device: string, iova: bigint, data: Uint8Array) {
    expectEqual(await w.vfio.memoryAt(device, iova, data.length), data, `memory at IOVA 0x${iova.toString(16)}`);
  },

  async loggingRuns(w: TckWorld, device: string, pageSize: bigint, ranges: LoggingRange[]) {
    await w.vfio.loggingStart(device, pageSize, ranges);
    expect(w.last?.ok === true, `DMA_LOGGING_START must succeed to set up this scenario, got ${describeOutcome(w.last)}`);
  },

  async loggingStop(w: TckWorld, device: string) {
    await w.vfio.featureStep(device, FEATURE_FLAG.SET | FEATURE.DMA_LOGGING_STOP, 8);
  },

  dirtyPages(w: TckWorld, pages: string) {
    expect(w.last?.ok === true, `the report should succeed, got ${describeOutcome(w.last)}`);
    const wanted = pages.trim() === 'none' ? [] : pages.split(',').map((p) => Number(p.trim()));
    expectEqual(w.vfio.reportedPages(), wanted, 'dirty pages (bit numbers) in the report bitmap');
  },

  // Where the uAPI leaves some bits to the driver: these must be set, those must not.
  dirtyPagesWithin(w: TckWorld, set: string, clear: string) {
    expect(w.last?.ok === true, `the report should succeed, got ${describeOutcome(w.last)}`);
    const list = (text: string) => (text.trim() === 'none' ? [] : text.split(',').map((p) => Number(p.trim())));
    const got = w.vfio.reportedPages();
    const missing = list(set).filter((p) => !got.includes(p));
    const extra = list(clear).filter((p) => got.includes(p));
    expect(missing.length === 0 && extra.length === 0, `the report set pages ${got.join(', ') || 'none'}: ${missing.length ? `${missing.join(', ')} missing` : ''}${missing.length && extra.length ? '; ' : ''}${extra.length ? `${extra.join(', ')} set though clean` : ''}`);
  },

  startedPageSizePowerOfTwo(w: TckWorld) {
    const size = w.vfio.startedPageSize;
    expect(size > 0n && (size & (size - 1n)) === 0n, `DMA_LOGGING_START wrote back page_size ${size}, which is no power of two`);
  },

  // VMM client scenarios: a client's recovery path only runs after a failure.
  requireFailure(w: TckWorld) {
    if (w.last?.ok !== false) throw new NotApplicable(`the call succeeded on this device (${describeOutcome(w.last)}), so there is no failure to recover from`);
  },

  payloadHasFlags(w: TckWorld, flags: number) {
    expect(w.last?.ok === true, `expected success, got ${describeOutcome(w.last)}`);
    const got = u64Payload.decode(w.vfio.lastPayload ?? new Uint8Array(8));
    expect((got & BigInt(flags)) === BigInt(flags), `the migration flags are 0x${got.toString(16)}, without 0x${flags.toString(16)}`);
  },

  // A failed GET is allowed (the client falls back); a 0 answer is not.
  async dataSizeAboveZeroWhereAnswered(w: TckWorld, device: string) {
    const size = await w.vfio.dataSizeOutcome(device);
    expect(size === undefined || size > 0n, 'GET of MIG_DATA_SIZE answered 0: a read buffer of that size cannot be allocated');
  },

  startedPageSize(w: TckWorld, pageSize: bigint) {
    expectEqual(w.vfio.startedPageSize, pageSize, 'page_size written back by DMA_LOGGING_START');
  },
};

function readLE(buffer: Buffer, offset: number, size: number): bigint {
  let value = 0n;
  for (let i = size - 1; i >= 0; i--) value = (value << 8n) | BigInt(buffer[offset + i]);
  return value;
}

