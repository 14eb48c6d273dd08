// Everything the migration steps do, in the kernel's vocabulary: choosing and
// opening devices by what they advertise, VFIO_DEVICE_FEATURE calls built from
// the uAPI layouts, state changes, data fds, streams, pre-copy info, DMA
// logging and the device's DMA. Steps stay one line; the logic lives here.
import { NotSupportedByImplementation, type Outcome } from '../contract/client';
import type { DeclaredDevice } from '../contract/protocol';
import { pollMask, pollNames } from '../uapi/poll';
import { fromHex, toHex } from '../uapi/bytes';
import {
  bitmapWords, encodeFeature, FEATURE, FEATURE_FLAG, FEATURE_HEADER_SIZE, flagsName, IOCTL, loggingControl, LoggingRange,
  loggingRanges, loggingReport, migState, MigStatePayload, PrecopyInfo, precopyInfo, PRECOPY_INFO_SIZE, SAVING_STATES,
  STATE_VALUE, stateName, u64Payload,
  DEVICE_FLAG, DEVICE_INFO_SIZE, DeviceInfo, deviceInfo, VFIO_PCI_CONFIG_REGION_INDEX,
} from '../uapi/vfio';
import { describeOutcome, expect } from '../world/assert';
import { NotApplicable } from '../world/skip';
import type { TckWorld } from '../world/world';

export interface OpenDevice { name: string; declared: DeclaredDevice; fd: number; flags: number }
export type FdRef = 'the data fd' | 'the previous data fd';

const UNWRITTEN_FD = 0x5a5a5a5a;

// Migration flags and DMA logging support never change for a device within a
// run: learn them once per run (keyed by the run's start answer, since one
// process may run the suite against several implementations).
const facts = new WeakMap<object, { flags: Map<string, number>; logging: Map<string, boolean> }>();
function factsOf(info: object) {
  if (!facts.has(info)) facts.set(info, { flags: new Map(), logging: new Map() });
  return facts.get(info) as { flags: Map<string, number>; logging: Map<string, boolean> };
}

export interface FeatureCall { ret: number; payload: Uint8Array }

export class VfioSession {
  readonly devices = new Map<string, OpenDevice>();
  // The migration flags of every declared device this scenario opened (0: no
  // migration): the reports count scenarios per flag set from them.
  readonly flagSetsOpened = new Set<number>();
  private dataFd: number | undefined;
  private previousDataFd: number | undefined;
  savedStream: Uint8Array = new Uint8Array(0);
  // The length of each read that made up savedStream, for writing it back block by block.
  savedBlocks: number[] = [];
  // The payload as the last feature ioctl left it (also after a failure, where the kernel wrote one back).
  lastPayload: Uint8Array | undefined;
  private failedPayload: Uint8Array | undefined;
  lastRead: Uint8Array | undefined;
  lastPrecopy: PrecopyInfo | undefined;
  lastPoll: number | undefined; // the revents mask of the last poll
  previousPrecopy: PrecopyInfo | undefined;
  lastReport: bigint[] | undefined;
  private loggingPageSize: bigint | undefined;

  constructor(private readonly world: TckWorld) {}

  private get client() {
    return this.world.client;
  }

  // --- devices --------------------------------------------------------------
  private migrationDevices(): DeclaredDevice[] {
    const all = this.world.info.devices.filter((d) => d.roles.includes('vfio-migration'));
    const chosen = process.env.TCK_DEVICE;
    if (!chosen) return all;
    return [...all.filter((d) => d.path === chosen), ...all.filter((d) => d.path !== chosen)];
  }

  // Close the device fd (the last one: close_device runs) and open the device again.
  async reopen(name: string): Promise<void> {
    const device = this.device(name);
    await this.client.must('close', { fd: device.fd });
    device.fd = (await this.client.must('open_device', { path: device.declared.path })).fd;
  }

  device(name: string): OpenDevice {
    const device = this.devices.get(name);
    if (!device) throw new Error(`no device named "${name}" was opened in this scenario`);
    return device;
  }

  // The device's migration flags, or 0 when GET of MIGRATION answers ENOTTY.
  async flagsOf(declared: DeclaredDevice): Promise<number> {
    const known = factsOf(this.world.info).flags.get(declared.path);
    if (known !== undefined) return known;
    const fd = (await this.client.must('open_device', { path: declared.path })).fd;
    const out = await this.feature(fd, FEATURE_FLAG.GET | FEATURE.MIGRATION, 16);
    await this.client.must('close', { fd });
    expect(out.ok || out.errno === 'ENOTTY', `GET of VFIO_DEVICE_FEATURE_MIGRATION on ${declared.path} failed with ${out.ok ? '' : out.errno}`);
    const flags = out.ok ? Number(u64Payload.decode(out.value.payload)) : 0;
    factsOf(this.world.info).flags.set(declared.path, flags);
    return flags;
  }

  // Whether the device has DMA logging: a PROBE of DMA_LOGGING_START succeeds (ENOTTY: none).
  async loggingOf(declared: DeclaredDevice): Promise<boolean> {
    const known = factsOf(this.world.info).logging.get(declared.path);
    if (known !== undefined) return known;
    const fd = (await this.client.must('open_device', { path: declared.path })).fd;
    const out = await this.feature(fd, FEATURE_FLAG.PROBE | FEATURE_FLAG.SET | FEATURE.DMA_LOGGING_START, FEATURE_HEADER_SIZE);
    await this.client.must('close', { fd });
    expect(out.ok || out.errno === 'ENOTTY', `PROBE of DMA_LOGGING_START on ${declared.path} failed with ${out.ok ? '' : out.errno}; only ENOTTY says a device has no logging`);
    factsOf(this.world.info).logging.set(declared.path, out.ok);
    return out.ok;
  }

  // Open the first declared device the predicate accepts (flags 0: no migration).
  async open(
    name: string, pick: (d: DeclaredDevice, flags: number) => boolean | Promise<boolean>, wanted: string, resetToRunning = true,
    confirm?: (fd: number) => Promise<boolean>, // a check that needs the open device
    opener: (declared: DeclaredDevice) => Promise<number> = async (d) => (await this.client.must('open_device', { path: d.path })).fd,
  ): Promise<OpenDevice> {
    const candidates = this.migrationDevices().filter((d) => ![...this.devices.values()].some((o) => o.declared.path === d.path));
    const seen: string[] = [];
    for (const declared of candidates) {
      const flags = await this.flagsOf(declared);
      seen.push(`${declared.path} (${declared.driver}${declared.mdev_type ? ` ${declared.mdev_type}` : ''}, ${flags ? flagsName(flags) : 'no migration'})`);
      if (!(await pick(declared, flags))) continue;
      const fd = await opener(declared);
      if (confirm && !(await confirm(fd))) {
        await this.client.must('close', { fd });
        continue;
      }
      const device = { name, declared, fd, flags };
      this.devices.set(name, device);
      this.flagSetsOpened.add(flags);
      if (flags && resetToRunning) {
        // A device may keep its state across close (mtty does): start from RUNNING.
        await this.client.must('ioctl', { fd, request: IOCTL.VFIO_DEVICE_RESET, arg: null });
        await this.arcs(name);
      }
      return device;
    }
    throw new NotApplicable(`no declared device is ${wanted}; declared: ${seen.join(', ') || 'none with the vfio-migration role'}`);
  }

  openAny(name: string) {
    return this.open(name, (_d, f) => f !== 0, 'migratable');
  }

  openAdvertising(name: string, flags: number) {
    return this.open(name, (_d, f) => f === flags, `advertising exactly ${flagsName(flags)}`);
  }

  // A device the suite can make write memory: the implementation offers the
  // device_dma hook and this device, once open, answers an empty DMA request
  // (the hook may be one driver's only: another device answers unsupported).
  private async doesDma(fd: number): Promise<boolean> {
    return this.perDeviceHook(async () => (await this.client.call('device_dma', { fd, iova: '0', data: '', peer: false })).ok, false);
  }

  // A test hook the implementation offers for some of its devices only.
  private async perDeviceHook<T>(ask: () => Promise<T>, without: T): Promise<T> {
    try {
      return await ask();
    } catch (error) {
      if (error instanceof NotSupportedByImplementation) return without;
      throw error;
    }
  }

  private dmaWanted(what: string): string {
    const hook = this.world.info.capabilities.includes('device_dma');
    return `${what} with a DMA engine the suite can drive (capability device_dma${hook ? '' : ', which the implementation does not offer'})`;
  }

  openOfferingWithDma(name: string, flags: number) {
    const hook = this.world.info.capabilities.includes('device_dma');
    return this.open(name, (_d, f) => hook && (f & flags) === flags, this.dmaWanted(`offering ${flagsName(flags)}`),
      true, (fd) => this.doesDma(fd));
  }

  // DMA logging's report path needs a device that logs and really writes memory.
  openWithLoggingAndDma(name: string) {
    const hook = this.world.info.capabilities.includes('device_dma');
    return this.open(name, async (d, f) => hook && f !== 0 && (await this.loggingOf(d)),
      this.dmaWanted('migratable and offering DMA logging'), true, (fd) => this.doesDma(fd));
  }

  openOffering(name: string, flags: number) {
    return this.open(name, (_d, f) => (f & flags) === flags, `offering ${flagsName(flags)}`);
  }

  openDrivenBy(name: string, driver: string) {
    return this.open(name, (d, f) => f !== 0 && d.driver === driver, `migratable and driven by ${driver}`);
  }

  openNotDrivenBy(name: string, driver: string) {
    return this.open(name, (d, f) => f !== 0 && d.driver !== driver, `migratable and driven by another driver than ${driver}`);
  }

  openOfMdevType(name: string, type: string) {
    return this.open(name, (d, f) => f !== 0 && d.mdev_type === type, `migratable and of mdev type ${type}`);
  }

  openWithoutMigration(name: string) {
    return this.open(name, (_d, f) => f === 0, 'a VFIO device without migration support');
  }

  openWithLogging(name: string) {
    return this.open(name, async (d, f) => f !== 0 && (await this.loggingOf(d)), 'migratable and offering DMA logging (PROBE of DMA_LOGGING_START succeeds)');
  }

  openLike(name: string, model: string) {
    const first = this.device(model);
    const like = (d: DeclaredDevice, f: number) =>
      d.driver === first.declared.driver && d.mdev_type === first.declared.mdev_type && f === first.flags;
    return this.open(name, like, `a second device like ${first.declared.path} (${first.declared.driver}, ${flagsName(first.flags)})`);
  }

  requireFlags(name: string, flags: number): void {
    const device = this.device(name);
    if ((device.flags & flags) !== flags) {
      throw new NotApplicable(`the device advertises ${flagsName(device.flags)}; this needs ${flagsName(flags)}`);
    }
  }

  // --- VFIO_DEVICE_FEATURE ---------------------------------------------------
  // The payload buffer is argsz - 8 bytes (at least what the caller gives).
  async feature(fd: number, flags: number, argsz: number, payload?: Uint8Array): Promise<Outcome<FeatureCall>> {
    const body = payload ?? new Uint8Array(Math.max(0, argsz - FEATURE_HEADER_SIZE));
    const out = await this.client.call('ioctl', { fd, request: IOCTL.VFIO_DEVICE_FEATURE, arg: toHex(encodeFeature({ argsz, flags }, body)) });
    this.failedPayload = !out.ok && out.arg !== undefined ? fromHex(out.arg).subarray(FEATURE_HEADER_SIZE) : undefined;
    if (!out.ok) return out;
    expect(out.value.arg !== null, 'VFIO_DEVICE_FEATURE must return its argument buffer');
    return { ok: true, value: { ret: out.value.ret, payload: fromHex(out.value.arg).subarray(FEATURE_HEADER_SIZE) } };
  }

  async featureStep(name: string, flags: number, argsz: number, payload?: Uint8Array): Promise<void> {
    const out = this.world.record(await this.feature(this.device(name).fd, flags, argsz, payload));
    this.lastPayload = out.ok ? out.value.payload : this.failedPayload;
  }

  // --- device state ------------------------------------------------------------
  async getState(name: string): Promise<number> {
    const out = await this.feature(this.device(name).fd, FEATURE_FLAG.GET | FEATURE.MIG_DEVICE_STATE, 16);
    expect(out.ok, `GET of MIG_DEVICE_STATE must succeed, got ${out.ok ? '' : out.errno}`);
    const payload = migState.decode(out.value.payload);
    expect(payload.data_fd === -1, `GET of MIG_DEVICE_STATE must return data_fd -1, got ${payload.data_fd}`);
    return payload.device_state;
  }

  async set(name: string, target: number): Promise<Outcome<MigStatePayload>> {
    // data_fd is output only: a value of our own shows whether it was written back.
    const out = await this.feature(this.device(name).fd, FEATURE_FLAG.SET | FEATURE.MIG_DEVICE_STATE, 16,
      migState.encode({ device_state: target, data_fd: UNWRITTEN_FD }));
    if (!out.ok) return out;
    const payload = migState.decode(out.value.payload);
    if (payload.data_fd >= 0) {
      this.previousDataFd = this.dataFd;
      this.dataFd = payload.data_fd;
    }
    return { ok: true, value: payload };
  }

  async setStep(name: string, target: number): Promise<void> {
    await this.arcs(name); // forget arcs of earlier steps
    const out = this.world.record(await this.set(name, target));
    this.lastPayload = out.ok ? migState.encode(out.value) : this.failedPayload;
  }

  // Bring a device to a state the scenario starts from, and prove it got there.
  // A device brought to RESUMING is fed a complete stream saved from itself
  // (as a migration would), so that leaving RESUMING afterwards is valid.
  async driveTo(name: string, state: number): Promise<void> {
    if (state === STATE_VALUE.RESUMING) {
      await this.driveTo(name, STATE_VALUE.STOP_COPY);
      const stream = await this.readAll('the data fd');
      await this.setAndConfirm(name, STATE_VALUE.RESUMING);
      await this.writeStream('the data fd', 4096, stream);
      expect(this.world.last?.ok === true, `writing the device's own saved stream in RESUMING failed: ${describeOutcome(this.world.last)}`);
      return;
    }
    // STOP_COPY has no path to a pre-copy state: go through STOP.
    const preCopy = state === STATE_VALUE.PRE_COPY || state === STATE_VALUE.PRE_COPY_P2P;
    if (preCopy && (await this.getState(name)) === STATE_VALUE.STOP_COPY) await this.setAndConfirm(name, STATE_VALUE.STOP);
    await this.setAndConfirm(name, state);
  }

  private async setAndConfirm(name: string, state: number): Promise<void> {
    const out = await this.set(name, state);
    expect(out.ok, `setting ${stateName(state)} to prepare the scenario failed with ${out.ok ? '' : out.errno}`);
    const now = await this.getState(name);
    expect(now === state, `after setting ${stateName(state)} the device reports ${stateName(now)}`);
    await this.arcs(name);
  }

  // --- VFIO_DEVICE_GET_INFO ------------------------------------------------------
  lastDeviceInfo: DeviceInfo | undefined;

  // A 24-byte struct vfio_device_info whose argsz field says argsz.
  async getInfo(name: string, argsz: number): Promise<void> {
    const arg = deviceInfo.encode({ argsz, flags: 0, num_regions: 0, num_irqs: 0 }, DEVICE_INFO_SIZE);
    const out = this.world.record(await this.client.call('ioctl', { fd: this.device(name).fd, request: IOCTL.VFIO_DEVICE_GET_INFO, arg: toHex(arg) }));
    this.lastDeviceInfo = out.ok && out.value.arg ? deviceInfo.decode(fromHex(out.value.arg)) : undefined;
  }

  async reportsReset(name: string): Promise<boolean> {
    const arg = deviceInfo.encode({ argsz: DEVICE_INFO_SIZE, flags: 0, num_regions: 0, num_irqs: 0 }, DEVICE_INFO_SIZE);
    const out = await this.client.must('ioctl', { fd: this.device(name).fd, request: IOCTL.VFIO_DEVICE_GET_INFO, arg: toHex(arg) });
    expect(out.arg !== null, 'VFIO_DEVICE_GET_INFO returned no struct');
    return (deviceInfo.decode(fromHex(out.arg)).flags & DEVICE_FLAG.RESET) !== 0;
  }

  openAnyDrivenBy(name: string, driver: string) {
    return this.open(name, (d) => d.driver === driver, `driven by ${driver}`);
  }

  async reset(name: string): Promise<void> {
    this.world.record(await this.client.call('ioctl', { fd: this.device(name).fd, request: IOCTL.VFIO_DEVICE_RESET, arg: null }));
  }

  // The arcs the driver performed since the last call, when the implementation can show them.
  async arcs(name: string): Promise<[number, number][] | undefined> {
    if (!this.world.info.capabilities.includes('migration_arcs')) return undefined;
    const fd = this.device(name).fd;
    return this.perDeviceHook(async () => (await this.client.must('migration_arcs', { fd })).arcs, undefined);
  }

  lastSetPayload(): MigStatePayload {
    expect(this.lastPayload !== undefined, 'the last call returned no payload');
    return migState.decode(this.lastPayload);
  }

  // --- data fds ------------------------------------------------------------------
  fd(ref: FdRef): number {
    const fd = ref === 'the data fd' ? this.dataFd : this.previousDataFd;
    expect(fd !== undefined, `the scenario has no ${ref.replace('the ', '')} yet`);
    return fd;
  }

  get hasDataFd(): boolean {
    return this.dataFd !== undefined;
  }

  async read(ref: FdRef, count: number): Promise<void> {
    const out = this.world.record(await this.client.call('read', { fd: this.fd(ref), count }));
    this.lastRead = out.ok ? fromHex(out.value.data) : undefined;
  }

  // Read until the stream says there is nothing more: 0 bytes, or (pre-copy only) ENOMSG.
  async readAll(ref: FdRef, chunk = 4096): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    for (let reads = 0; reads < 100_000; reads++) {
      const out = this.world.record(await this.client.call('read', { fd: this.fd(ref), count: chunk }));
      if (!out.ok) {
        expect(out.errno === 'ENOMSG', `reading the data fd failed with ${out.errno}`);
        break;
      }
      const data = fromHex(out.value.data);
      if (data.length === 0) break;
      parts.push(data);
    }
    this.lastBlocks = parts.map((p) => p.length);
    return new Uint8Array(Buffer.concat(parts));
  }

  private lastBlocks: number[] = [];

  // The scenario's saved stream grows by what each read-to-the-end returns.
  async saveFrom(ref: FdRef, chunk?: number): Promise<void> {
    this.savedStream = new Uint8Array(Buffer.concat([this.savedStream, await this.readAll(ref, chunk)]));
    this.savedBlocks.push(...this.lastBlocks);
  }

  // As QEMU sizes its read buffer: MIG_DATA_SIZE, at most cap, and cap when the GET fails.
  async saveInDataSizeReads(ref: FdRef, name: string, cap: number): Promise<void> {
    const size = await this.dataSizeOutcome(name);
    const chunk = size === undefined ? cap : Math.min(cap, Number(size));
    expect(chunk > 0, 'GET of MIG_DATA_SIZE answered 0, so there is no read buffer to read the stream with');
    await this.saveFrom(ref, chunk);
  }

  // Write the saved stream back exactly as it was read, one write per read.
  async writeBlocks(ref: FdRef): Promise<void> {
    const total = this.savedBlocks.reduce((a, b) => a + b, 0);
    expect(total === this.savedStream.length, `the saved blocks hold ${total} bytes, the saved stream ${this.savedStream.length}`);
    let at = 0;
    for (const length of this.savedBlocks) {
      await this.writeStream(ref, length, this.savedStream.subarray(at, at + length));
      if (this.world.last?.ok !== true) return;
      at += length;
    }
  }

  // How much of the saved stream has been written, for "the rest of" it.
  private streamWritten = 0;

  async writeStreamPart(ref: FdRef, length: number | 'rest'): Promise<void> {
    const end = length === 'rest' ? this.savedStream.length : this.streamWritten + length;
    await this.writeStream(ref, 4096, this.savedStream.subarray(this.streamWritten, end));
    this.streamWritten = end;
  }

  async writeStream(ref: FdRef, chunk: number, stream = this.savedStream): Promise<void> {
    let at = 0;
    do {
      const part = stream.subarray(at, at + chunk);
      const out = this.world.record(await this.client.call('write', { fd: this.fd(ref), data: toHex(part) }));
      if (!out.ok) return;
      expect(out.value.count > 0 || part.length === 0, 'a write of stream bytes accepted none of them');
      at += out.value.count;
    } while (at < stream.length);
  }

  async precopyInfo(ref: FdRef, argsz = PRECOPY_INFO_SIZE, flags = 0): Promise<void> {
    const arg = precopyInfo.encode({ argsz, flags, initial_bytes: 0n, dirty_bytes: 0n });
    const out = this.world.record(await this.client.call('ioctl', { fd: this.fd(ref), request: IOCTL.VFIO_MIG_GET_PRECOPY_INFO, arg: toHex(arg) }));
    this.previousPrecopy = this.lastPrecopy;
    this.lastPrecopy = out.ok && out.value.arg ? precopyInfo.decode(fromHex(out.value.arg)) : undefined;
  }

  async poll(ref: FdRef, events: number): Promise<void> {
    const out = this.world.record(await this.client.call('poll', { fd: this.fd(ref), events: pollNames(events) }));
    this.lastPoll = out.ok ? pollMask(out.value.revents) : undefined;
  }

  // Read pre-copy data until VFIO_MIG_GET_PRECOPY_INFO reports initial_bytes and dirty_bytes 0.
  async readUntilPrecopyDrained(ref: FdRef, chunk = 4096): Promise<void> {
    for (let reads = 0; reads < 100_000; reads++) {
      await this.precopyInfo(ref);
      const info = this.lastPrecopy;
      expect(this.world.last?.ok === true && info !== undefined, `VFIO_MIG_GET_PRECOPY_INFO failed: ${describeOutcome(this.world.last)}`);
      if (info.initial_bytes === 0n && info.dirty_bytes === 0n) return;
      const out = await this.client.call('read', { fd: this.fd(ref), count: chunk });
      expect(out.ok, `reading pre-copy data while the info reports ${info.initial_bytes} initial and ${info.dirty_bytes} dirty bytes failed with ${describeOutcome(out)}`);
      expect(out.value.data.length > 0, `the info reports ${info.initial_bytes} initial and ${info.dirty_bytes} dirty bytes, yet read() returned none`);
      this.savedStream = new Uint8Array(Buffer.concat([this.savedStream, fromHex(out.value.data)]));
      this.savedBlocks.push(fromHex(out.value.data).length);
    }
    expect(false, 'the pre-copy info never reached 0 and 0 in 100000 reads');
  }

  // MIG_DATA_SIZE, or undefined when the GET fails.
  async dataSizeOutcome(name: string): Promise<bigint | undefined> {
    const out = await this.feature(this.device(name).fd, FEATURE_FLAG.GET | FEATURE.MIG_DATA_SIZE, 16);
    return out.ok ? u64Payload.decode(out.value.payload) : undefined;
  }

  // --- the PCI Express capability in config space ---------------------------------
  // Walk the capability list (status bit 4, pointer at 0x34) to the PCI Express
  // capability (id 0x10); undefined when the device has none.
  async pcieCapability(name: string): Promise<number | undefined> {
    const config = VFIO_PCI_CONFIG_REGION_INDEX;
    const status = Buffer.from(await this.regionRead(name, config, 0x06, 2)).readUInt16LE(0);
    if (!(status & 0x10)) return undefined;
    let at = (await this.regionRead(name, config, 0x34, 1))[0] & 0xfc;
    for (let caps = 0; at >= 0x40 && caps < 48; caps++) {
      const [id, next] = await this.regionRead(name, config, at, 2);
      if (id === 0x10) return at;
      at = next & 0xfc;
    }
    return undefined;
  }

  async requirePcie(name: string, flr: boolean): Promise<number> {
    const cap = await this.pcieCapability(name);
    if (cap === undefined) throw new NotApplicable('the device\'s config space has no PCI Express capability');
    const devcap = Buffer.from(await this.regionRead(name, VFIO_PCI_CONFIG_REGION_INDEX, cap + 4, 4)).readUInt32LE(0);
    if (flr && !(devcap & (1 << 28))) throw new NotApplicable('the device\'s PCI Express capability does not offer Function Level Reset (DEVCAP bit 28)');
    return cap;
  }

  // Set Initiate FLR (bit 15) in Device Control, keeping the register's other bits.
  async writeFlr(name: string): Promise<void> {
    const at = (await this.requirePcie(name, false)) + 8;
    const devctl = Buffer.from(await this.regionRead(name, VFIO_PCI_CONFIG_REGION_INDEX, at, 2)).readUInt16LE(0);
    const value = Buffer.alloc(2);
    value.writeUInt16LE(devctl | 0x8000);
    await this.regionWrite(name, VFIO_PCI_CONFIG_REGION_INDEX, at, new Uint8Array(value));
  }

  async devctl(name: string): Promise<number> {
    const at = (await this.requirePcie(name, false)) + 8;
    return Buffer.from(await this.regionRead(name, VFIO_PCI_CONFIG_REGION_INDEX, at, 2)).readUInt16LE(0);
  }

  async dataSize(name: string): Promise<bigint> {
    const out = await this.feature(this.device(name).fd, FEATURE_FLAG.GET | FEATURE.MIG_DATA_SIZE, 16);
    expect(out.ok, `GET of MIG_DATA_SIZE failed with ${out.ok ? '' : out.errno}`);
    return u64Payload.decode(out.value.payload);
  }

  // --- regions and DMA -----------------------------------------------------------
  // VFIO_DEVICE_GET_REGION_INFO of one index, recorded as the call's outcome.
  async regionInfoStep(name: string, index: number | 'past-last'): Promise<void> {
    const at = index === 'past-last' ? await this.numRegions(name) : index;
    this.world.record(await this.client.call('region_info', { fd: this.device(name).fd, index: at }));
  }

  async regionInfo(name: string, index: number): Promise<{ flags: number; size: bigint; offset: bigint }> {
    const out = await this.client.call('region_info', { fd: this.device(name).fd, index });
    expect(out.ok, `VFIO_DEVICE_GET_REGION_INFO of region ${index} failed with ${out.ok ? '' : out.errno}`);
    return { flags: out.value.flags, size: BigInt(out.value.size), offset: BigInt(out.value.offset) };
  }

  async numRegions(name: string): Promise<number> {
    const arg = deviceInfo.encode({ argsz: DEVICE_INFO_SIZE, flags: 0, num_regions: 0, num_irqs: 0 }, DEVICE_INFO_SIZE);
    const out = await this.client.must('ioctl', { fd: this.device(name).fd, request: IOCTL.VFIO_DEVICE_GET_INFO, arg: toHex(arg) });
    expect(out.arg !== null, 'VFIO_DEVICE_GET_INFO returned no struct');
    return deviceInfo.decode(fromHex(out.arg)).num_regions;
  }

  async configDword(name: string, offset: number): Promise<number> {
    return Buffer.from(await this.regionRead(name, VFIO_PCI_CONFIG_REGION_INDEX, offset, 4)).readUInt32LE(0);
  }

  // The size a 32-bit BAR register reports to the all-ones probe (its value is restored).
  async barProbeSize(name: string, bar: number): Promise<number> {
    const at = 0x10 + 4 * bar;
    const saved = await this.configDword(name, at);
    const write = async (value: number) => {
      const bytes = Buffer.alloc(4);
      bytes.writeUInt32LE(value >>> 0);
      const out = await this.client.call('region_write', { fd: this.device(name).fd, index: VFIO_PCI_CONFIG_REGION_INDEX, offset: `${at}`, data: toHex(new Uint8Array(bytes)) });
      expect(out.ok, `writing BAR${bar} failed with ${out.ok ? '' : out.errno}`);
    };
    await write(0xffffffff);
    const probed = await this.configDword(name, at);
    await write(saved);
    const mask = saved & 0x1 ? ~0x3 : ~0xf;
    return ((~(probed & mask) >>> 0) + 1) >>> 0;
  }

  async regionWrite(name: string, index: number, offset: number, data: Uint8Array): Promise<void> {
    this.world.record(await this.client.call('region_write', { fd: this.device(name).fd, index, offset: `${offset}`, data: toHex(data) }));
  }

  // One region_write per byte, all at the same offset, as a driver feeds a FIFO register (the
  // mtty UART); only the last write's outcome stays recorded.
  async regionWriteBytewise(name: string, index: number, offset: number, data: Uint8Array): Promise<void> {
    for (const byte of data) await this.regionWrite(name, index, offset, Uint8Array.of(byte));
  }

  async regionRead(name: string, index: number, offset: number, count: number): Promise<Uint8Array> {
    const out = await this.client.call('region_read', { fd: this.device(name).fd, index, offset: `${offset}`, count });
    expect(out.ok, `reading region ${index} failed with ${out.ok ? '' : out.errno}`);
    return fromHex(out.value.data);
  }

  private readonly guestMemory = new Map<string, { iova: bigint; addr: bigint; length: number }>();

  async mapMemory(name: string, iova: bigint, length: number): Promise<void> {
    const { addr } = await this.client.must('mem_alloc', { length });
    await this.client.must('dma_map', { fd: this.device(name).fd, iova: `${iova}`, addr, length: `${length}` });
    this.guestMemory.set(name, { iova, addr: BigInt(addr), length });
  }

  async deviceDma(name: string, iova: bigint, data: Uint8Array, peer: boolean): Promise<void> {
    if (!this.world.info.capabilities.includes('device_dma')) {
      throw new NotApplicable('the implementation offers no device_dma hook, so the suite cannot make the device write memory');
    }
    await this.client.must('device_dma', { fd: this.device(name).fd, iova: `${iova}`, data: toHex(data), peer });
  }

  async memoryAt(name: string, iova: bigint, length: number): Promise<Uint8Array> {
    const m = this.guestMemory.get(name);
    expect(m !== undefined, `no memory was mapped for ${name}`);
    const { data } = await this.client.must('mem_read', { addr: `${m.addr + (iova - m.iova)}`, length });
    return fromHex(data);
  }

  // --- DMA logging -------------------------------------------------------------
  async loggingStart(name: string, pageSize: bigint, ranges: LoggingRange[], numRanges = ranges.length): Promise<void> {
    const table = loggingRanges.encode(ranges);
    const { addr } = await this.client.must('mem_alloc', { length: Math.max(16, table.length) });
    if (table.length) await this.client.must('mem_write', { addr, data: toHex(table) });
    const control = loggingControl.encode({ page_size: pageSize, num_ranges: numRanges, reserved: 0, ranges: BigInt(addr) });
    await this.featureStep(name, FEATURE_FLAG.SET | FEATURE.DMA_LOGGING_START, 8 + 24, control);
    this.loggingPageSize = this.lastPayload ? loggingControl.decode(this.lastPayload).page_size : undefined;
  }

  get startedPageSize(): bigint {
    expect(this.loggingPageSize !== undefined, 'DMA logging was not started successfully');
    return this.loggingPageSize;
  }

  async loggingReport(name: string, iova: bigint, length: bigint, pageSize: bigint, presetBits: number[] = []): Promise<void> {
    const words = Math.max(1, bitmapWords(length, pageSize > 0n ? pageSize : 4096n));
    const bitmap = Array<bigint>(words).fill(0n);
    for (const bit of presetBits) bitmap[Math.floor(bit / 64)] |= 1n << BigInt(bit % 64);
    const { addr } = await this.client.must('mem_alloc', { length: words * 8 });
    await this.client.must('mem_write', { addr, data: toHex(u64Words(bitmap)) });
    const report = loggingReport.encode({ iova, length, page_size: pageSize, bitmap: BigInt(addr) });
    await this.featureStep(name, FEATURE_FLAG.GET | FEATURE.DMA_LOGGING_REPORT, 8 + 32, report);
    const { data } = await this.client.must('mem_read', { addr, length: words * 8 });
    const bytes = fromHex(data);
    this.lastReport = Array.from({ length: words }, (_, i) => Buffer.from(bytes).readBigUInt64LE(i * 8));
  }

  reportedPages(): number[] {
    expect(this.lastReport !== undefined, 'no dirty report was read');
    const pages: number[] = [];
    this.lastReport.forEach((word, w) => {
      for (let bit = 0; bit < 64; bit++) if (word & (1n << BigInt(bit))) pages.push(w * 64 + bit);
    });
    return pages;
  }
}

function u64Words(words: bigint[]): Uint8Array {
  const out = Buffer.alloc(words.length * 8);
  words.forEach((w, i) => out.writeBigUInt64LE(w, i * 8));
  return new Uint8Array(out);
}

export function isSavingState(state: number): boolean {
  return SAVING_STATES.some((s) => STATE_VALUE[s] === state);
}
