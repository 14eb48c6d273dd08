// refmig: the reference's own migratable PCI device, built the way the
// hardware variant drivers (mlx5, pds) behave. It has real state a scenario can
// observe: 256 bytes of registers in BAR0, 64 KiB of device memory in BAR2, and a
// DMA engine that writes into memory mapped at IOVAs. Its migration stream is a
// sequence of checksummed records; pre-copy sends memory while the device runs
// and re-sends pages written meanwhile; DMA logging reports the pages the
// device really wrote. The flag set is chosen at creation (0x1, 0x3, 0x5, 0x7).
import { fail } from '../kernel/errno';
import { FileOps } from '../kernel/file';
import { Mutations } from '../kernel/mutations';
import { Process } from '../kernel/process';
import { concatBytes, StructReader, StructWriter } from '../../support/uapi/bytes';
import { POLL } from '../../support/uapi/poll';
import { MIG_FLAG, STATE_VALUE } from '../../support/uapi/vfio';
import { MigrationDriver, PrecopyCounters, ResumingFile, SavingFile } from './migration';
import { PciConfig } from './pci_config';
import { combineIovaRanges, IovaBitmap, LogOps, LogRange, REGION_FLAG, RegionInfo, VfioDriver } from './vfio_main';

const S = STATE_VALUE;
export const REFMIG = {
  PAGE: 4096,
  PAGES: 16,
  REGS: 256,
  MAGIC: 0x31474d4b43544656n, // "VFTCKMG1" little-endian
  VERSION: 1,
  RECORD_HEADER: 16,
  TAG: { HEADER: 1, PAGE: 2, REGS: 3, END: 4 },
  BAR_REGS: 0,
  BAR_MEM: 2,
  CONFIG: 7,
  VENDOR: 0x1b36,
  DEVICE: 0x10f0,
} as const;
const T = REFMIG.TAG;

function checksum(data: Uint8Array): number {
  let sum = 0;
  for (const b of data) sum = (sum * 31 + b) >>> 0;
  return sum;
}

function record(tag: number, index: number, data: Uint8Array): Uint8Array {
  const head = new StructWriter(REFMIG.RECORD_HEADER).u32(0, tag).u32(4, index).u32(8, data.length).u32(12, checksum(data));
  return concatBytes([head.bytes, data]);
}

const RUNNING_STATES = new Set<number>([S.RUNNING, S.RUNNING_P2P, S.PRE_COPY, S.PRE_COPY_P2P]);
const P2P_QUIESCED = new Set<number>([S.RUNNING_P2P, S.PRE_COPY_P2P]);

interface DmaMapping { iova: bigint; length: bigint; process: Process; addr: bigint }

class RefmigSavingFile extends SavingFile {
  pending: Uint8Array = new Uint8Array(0);
  initialLeft = 0;
  readonly dirtyPages = new Set<number>();
  stopCopy = false;

  constructor(private readonly device: RefmigDevice, mutations: Mutations) {
    super(device, mutations);
  }

  queue(data: Uint8Array, initial: boolean): void {
    this.pending = concatBytes([this.pending, data]);
    if (initial) this.initialLeft += data.length;
  }

  read(count: number): Uint8Array {
    this.live();
    if (this.pending.length === 0 && !this.stopCopy) {
      for (const page of [...this.dirtyPages].sort((a, b) => a - b)) this.queue(this.device.pageRecord(page), false);
      this.dirtyPages.clear();
    }
    if (this.pending.length === 0) {
      if (this.stopCopy && !this.mutations.on('enomsg-in-stopcopy')) return new Uint8Array(0);
      fail('ENOMSG', 'no pre-copy data available now');
    }
    const out = this.pending.slice(0, count);
    this.pending = this.pending.subarray(out.length);
    this.initialLeft = Math.max(0, this.initialLeft - out.length);
    return out;
  }

  // As mlx5vf_save_poll(): readable while data is queued and once the image is
  // complete (STOP_COPY); an ended fd is readable with POLLRDHUP; at a
  // pre-copy temporary end nothing is ready. Never writable.
  poll(): number {
    const readable = POLL.POLLIN | POLL.POLLRDNORM;
    if (this.disabled) return readable | (this.mutations.on('ended-fd-poll-without-rdhup') ? 0 : POLL.POLLRDHUP);
    const queued = this.pending.length > 0 || (!this.stopCopy && this.dirtyPages.size > 0);
    const complete = this.stopCopy && !this.mutations.on('stopcopy-poll-not-readable');
    if (queued || complete || this.mutations.on('precopy-poll-readable-at-end')) return readable;
    return 0;
  }

  protected precopyCounters(): PrecopyCounters {
    const perPage = REFMIG.RECORD_HEADER + REFMIG.PAGE;
    const queuedDirty = this.pending.length - this.initialLeft;
    return { initial: BigInt(this.initialLeft), dirty: BigInt(queuedDirty + this.dirtyPages.size * perPage) };
  }
}

export class RefmigResumingFile extends ResumingFile {
  private buffer: Uint8Array = new Uint8Array(0);
  headerSeen = false;
  complete = false;
  poisoned = false;

  constructor(private readonly device: RefmigDevice) {
    super();
  }

  write(data: Uint8Array): number {
    this.live();
    if (this.poisoned) fail('EIO', 'the stream was already found corrupt');
    if (this.complete && data.length > 0) fail('EINVAL', 'bytes after the end record');
    const pending = concatBytes([this.buffer, data]);
    let at = 0;
    const r = new StructReader(pending);
    while (pending.length - at >= REFMIG.RECORD_HEADER && !this.complete) {
      const tag = r.u32(at);
      const index = r.u32(at + 4);
      const length = r.u32(at + 8);
      const sum = r.u32(at + 12);
      if (!this.headerSeen && (tag !== T.HEADER || length !== 16)) fail('EINVAL', 'the stream does not start with a header record');
      if (pending.length - at < REFMIG.RECORD_HEADER + length) break;
      const body = pending.slice(at + REFMIG.RECORD_HEADER, at + REFMIG.RECORD_HEADER + length);
      if (tag === T.HEADER) {
        const h = new StructReader(body);
        if (h.u64(0) !== REFMIG.MAGIC || h.u32(8) !== REFMIG.VERSION || h.u32(12) !== REFMIG.PAGES) {
          fail('EINVAL', 'header names another device or version');
        }
        this.headerSeen = true;
      } else if (checksum(body) !== sum || !this.device.loadRecord(tag, index, body)) {
        // Records already loaded changed the device: it cannot go back.
        this.poisoned = true;
        fail('EIO', 'corrupt record');
      }
      if (tag === T.END) this.complete = true;
      at += REFMIG.RECORD_HEADER + length;
    }
    if (this.complete && at < pending.length) fail('EINVAL', 'bytes after the end record');
    this.buffer = pending.slice(at);
    return data.length;
  }
}

export class RefmigDevice extends MigrationDriver implements VfioDriver, LogOps {
  readonly pci_core = true;
  readonly mig_ops = this;
  readonly log_ops = this;
  private regs = new Uint8Array(REFMIG.REGS);
  private readonly mem = new Uint8Array(REFMIG.PAGES * REFMIG.PAGE);
  private readonly config: PciConfig;
  private saving: RefmigSavingFile | null = null;
  protected resuming: ResumingFile | null = null;
  private readonly mappings: DmaMapping[] = [];
  private logging: { ranges: LogRange[]; dirty: Set<bigint> } | null = null;

  constructor(flags: number, mutations: Mutations) {
    super(flags, mutations);
    this.config = new PciConfig(REFMIG.VENDOR, REFMIG.DEVICE, [
      { index: REFMIG.BAR_REGS, size: REFMIG.REGS },
      { index: REFMIG.BAR_MEM, size: REFMIG.PAGES * REFMIG.PAGE },
    ], undefined, { flr: true, onFlr: () => this.reset_done(), mutations });
  }

  // The PCI core's reset_done callback after a function reset (an FLR written
  // to config space), as mlx5vf_pci_aer_reset_done() has it: the reset is
  // marked deferred and applied when the state lock is released; nothing else
  // holds that lock here, so at once (mlx5vf_state_mutex_unlock()).
  private deferredReset = false;
  reset_done(): void {
    this.deferredReset = true;
    this.stateUnlock();
  }

  private stateUnlock(): void {
    if (!this.deferredReset || this.mutations.on('deferred-reset-left-pending')) return;
    this.deferredReset = false;
    this.state = S.RUNNING;
    this.endTransfers();
    this.regs = new Uint8Array(REFMIG.REGS);
  }

  // --- migration arcs -------------------------------------------------------
  protected step(from: number, to: number): FileOps | null {
    if (from === S.ERROR) fail('EIO');
    const arc = `${from}>${to}`;
    switch (arc) {
      case `${S.STOP}>${S.STOP_COPY}`: {
        const f = this.newSavingFile();
        f.queue(this.fullInitialData(), false);
        this.finishStopCopy(f);
        return f;
      }
      case `${S.RUNNING}>${S.PRE_COPY}`:
      case `${S.RUNNING_P2P}>${S.PRE_COPY_P2P}`: {
        const f = this.newSavingFile();
        f.queue(this.fullInitialData(), true);
        return f;
      }
      case `${S.PRE_COPY}>${S.PRE_COPY_P2P}`:
      case `${S.PRE_COPY_P2P}>${S.PRE_COPY}`:
        if (this.mutations.on('precopy-p2p-new-fd')) {
          const f = this.newSavingFile();
          f.queue(this.fullInitialData(), true);
          return f;
        }
        return null;
      case `${S.PRE_COPY}>${S.STOP_COPY}`:
      case `${S.PRE_COPY_P2P}>${S.STOP_COPY}`:
        if (this.saving) this.finishStopCopy(this.saving);
        return null;
      case `${S.STOP_COPY}>${S.STOP}`:
      case `${S.PRE_COPY}>${S.RUNNING}`:
      case `${S.PRE_COPY_P2P}>${S.RUNNING_P2P}`:
        if (!(this.mutations.on('fd-not-ended-on-leaving-stopcopy') && from === S.STOP_COPY)) this.endTransfers();
        return null;
      case `${S.STOP}>${S.RESUMING}`:
        this.endTransfers();
        this.resuming = this.newResumingFile();
        return this.resuming;
      case `${S.RESUMING}>${S.STOP}`:
        return this.finishResume();
      case `${S.RUNNING}>${S.STOP}`:
      case `${S.STOP}>${S.RUNNING}`:
      case `${S.RUNNING}>${S.RUNNING_P2P}`:
      case `${S.RUNNING_P2P}>${S.RUNNING}`:
      case `${S.RUNNING_P2P}>${S.STOP}`:
      case `${S.STOP}>${S.RUNNING_P2P}`:
        return null;
      default:
        fail('EINVAL', `no arc ${arc}`);
    }
  }

  override migration_set_state(target: number): FileOps | null {
    if (this.state === S.ERROR && !this.mutations.on('error-state-settable')) fail('EIO', 'device is in ERROR; reset it');
    return super.migration_set_state(target);
  }

  protected newResumingFile(): ResumingFile {
    return new RefmigResumingFile(this);
  }

  // RESUMING -> STOP: the stream must have been complete and intact.
  protected finishResume(): null {
    const f = this.resuming as RefmigResumingFile | null;
    if (f?.poisoned) {
      this.endTransfers();
      this.state = S.ERROR;
      fail('EIO', 'the stream was corrupt; the device is left in ERROR');
    }
    if (f && !f.complete && !this.mutations.on('resume-truncated-accepted')) {
      fail('EINVAL', 'the stream is incomplete');
    }
    this.endTransfers();
    return null;
  }

  private newSavingFile(): RefmigSavingFile {
    this.endTransfers();
    this.saving = new RefmigSavingFile(this, this.mutations);
    return this.saving;
  }

  private finishStopCopy(f: RefmigSavingFile): void {
    for (const page of [...f.dirtyPages].sort((a, b) => a - b)) f.queue(this.pageRecord(page), false);
    f.dirtyPages.clear();
    f.queue(record(T.REGS, 0, this.regs.slice()), false);
    f.queue(record(T.END, 0, new Uint8Array(0)), false);
    f.stopCopy = true;
  }

  protected endTransfers(): void {
    this.saving?.end();
    this.resuming?.end();
    this.saving = null;
    this.resuming = null;
  }

  private fullInitialData(): Uint8Array {
    const header = new StructWriter(16).u64(0, REFMIG.MAGIC).u32(8, REFMIG.VERSION).u32(12, REFMIG.PAGES).bytes;
    const parts = [record(T.HEADER, 0, header)];
    for (let page = 0; page < REFMIG.PAGES; page++) parts.push(this.pageRecord(page));
    return concatBytes(parts);
  }

  pageRecord(page: number): Uint8Array {
    return record(T.PAGE, page, this.mem.slice(page * REFMIG.PAGE, (page + 1) * REFMIG.PAGE));
  }

  loadRecord(tag: number, index: number, body: Uint8Array): boolean {
    if (tag === T.PAGE && index < REFMIG.PAGES && body.length === REFMIG.PAGE) {
      this.mem.set(body, index * REFMIG.PAGE);
      return true;
    }
    if (tag === T.REGS && body.length === REFMIG.REGS) {
      this.regs.set(body);
      return true;
    }
    return tag === T.END && body.length === 0;
  }

  migration_get_data_size(): bigint {
    if (this.mutations.on('data-size-zero')) return 0n; // an estimate of nothing: QEMU cannot size its buffer
    const records = 1 + REFMIG.PAGES + 1 + 1;
    return BigInt(records * REFMIG.RECORD_HEADER + 16 + REFMIG.PAGES * REFMIG.PAGE + REFMIG.REGS);
  }

  // --- device life ----------------------------------------------------------
  // As mlx5vf_pci_open_device(): every open starts in RUNNING.
  open_device(): void {
    if (!this.mutations.on('reopen-keeps-state')) this.state = S.RUNNING;
  }

  close_device(): void {
    if (this.mutations.on('close-ends-only-saving-fd')) {
      this.saving?.end();
      this.saving = null;
    } else if (!this.mutations.on('close-keeps-transfers')) {
      this.endTransfers();
    }
    if (!this.mutations.on('reopen-keeps-state')) this.state = S.RUNNING;
    // As mlx5vf_cmd_close_migratable(): the tracker goes with the last close.
    if (!this.mutations.on('logging-survives-close')) this.logging = null;
  }

  reset(): void {
    this.endTransfers();
    if (!this.mutations.on('reset-keeps-state')) this.state = S.RUNNING;
    this.regs = new Uint8Array(REFMIG.REGS);
  }

  // --- regions --------------------------------------------------------------
  region_info(index: number): RegionInfo {
    const rw = REGION_FLAG.READ | REGION_FLAG.WRITE;
    if (index === REFMIG.BAR_REGS) return { flags: rw, size: BigInt(REFMIG.REGS) };
    if (index === REFMIG.BAR_MEM) return { flags: rw | REGION_FLAG.MMAP, size: BigInt(this.mem.length) };
    if (index === REFMIG.CONFIG) return { flags: rw, size: 256n };
    if (index < 9) return { flags: 0, size: 0n };
    fail('EINVAL', 'no such region');
  }

  private regionBytes(index: number): Uint8Array {
    if (index === REFMIG.BAR_REGS) return this.regs;
    if (index === REFMIG.BAR_MEM) return this.mem;
    fail('EINVAL', 'region has no data');
  }

  region_read(index: number, offset: bigint, count: number): Uint8Array {
    if (index === REFMIG.CONFIG) return this.config.read(Number(offset), count);
    const bytes = this.regionBytes(index);
    if (offset + BigInt(count) > BigInt(bytes.length)) fail('EINVAL', 'access beyond the region');
    return bytes.slice(Number(offset), Number(offset) + count);
  }

  region_write(index: number, offset: bigint, data: Uint8Array): number {
    if (index === REFMIG.CONFIG) return this.config.write(Number(offset), data);
    const bytes = this.regionBytes(index);
    if (offset + BigInt(data.length) > BigInt(bytes.length)) fail('EINVAL', 'access beyond the region');
    // A stopped device changes no state: the write is accepted and dropped.
    if (!this.running() && !this.mutations.on('stopped-device-changes-state')) return data.length;
    bytes.set(data, Number(offset));
    if (index === REFMIG.BAR_MEM) this.memoryWritten(Number(offset), data.length);
    return data.length;
  }

  private running(): boolean {
    return RUNNING_STATES.has(this.state);
  }

  private memoryWritten(offset: number, length: number): void {
    const f = this.saving;
    if (!f || f.stopCopy || this.mutations.on('precopy-dirty-not-tracked')) return;
    for (let page = Math.floor(offset / REFMIG.PAGE); page <= Math.floor((offset + length - 1) / REFMIG.PAGE); page++) {
      f.dirtyPages.add(page);
    }
  }

  // --- DMA ------------------------------------------------------------------
  dma_map(process: Process, iova: bigint, addr: bigint, length: bigint): void {
    if (length === 0n || iova % 4096n !== 0n || length % 4096n !== 0n) fail('EINVAL', 'mapping must be page aligned');
    if (this.mappings.some((m) => iova < m.iova + m.length && m.iova < iova + length)) fail('EEXIST', 'IOVA already mapped');
    process.copyFromUser(addr, Number(length)); // the memory must exist
    this.mappings.push({ iova, length, process, addr });
  }

  device_dma(iova: bigint, data: Uint8Array, peer: boolean): void {
    const allowed = this.running() && !(peer && P2P_QUIESCED.has(this.state));
    if (!allowed && !this.mutations.on('stopped-device-dmas')) return; // the request waits; nothing is written
    const end = iova + BigInt(data.length);
    const m = this.mappings.find((x) => iova >= x.iova && end <= x.iova + x.length);
    if (!m) return; // an IOMMU fault: nothing lands
    m.process.copyToUser(m.addr + (iova - m.iova), data);
    if (this.logging && !this.mutations.on('dma-not-logged')) {
      for (let unit = iova / 4096n; unit * 4096n < end; unit++) {
        if (this.logging.ranges.some((r) => unit * 4096n >= r.start && unit * 4096n <= r.last)) this.logging.dirty.add(unit);
      }
    }
  }

  // --- DMA logging ----------------------------------------------------------
  // The device's tracker takes at most this many ranges; more are combined by
  // the core's helper, as mlx5vf_create_tracker() does with pg_track_max_num_range.
  protected readonly maxTrackedRanges: number = 4;

  log_start(ranges: LogRange[], pageSize: bigint): bigint {
    if (this.logging && !this.mutations.on('logging-restart-accepted')) fail('EINVAL', 'logging already started');
    const limit = this.maxTrackedRanges + (this.mutations.on('logging-range-limit-off-by-one') ? 1 : 0);
    const tracked = ranges.length > limit ? combineIovaRanges(ranges, limit, this.mutations) : ranges;
    this.logging = { ranges: tracked, dirty: new Set() };
    const written = this.trackedPageSize(pageSize);
    return this.mutations.on('logging-page-size-not-written-back') ? pageSize : written;
  }

  // The page size the device tracks at for a hint: refmig keeps a power of two
  // of 4096 or more and tracks at 4096 otherwise.
  protected trackedPageSize(pageSize: bigint): bigint {
    const usable = pageSize >= 4096n && (pageSize & (pageSize - 1n)) === 0n;
    return usable ? pageSize : 4096n;
  }

  // The ranges the tracker follows while logging runs (null when it does not).
  protected trackedRanges(): LogRange[] | null {
    return this.logging ? this.logging.ranges : null;
  }

  // As mlx5vf_stop_page_tracker(): a STOP with nothing started is 0.
  log_stop(): void {
    if (!this.logging && this.mutations.on('logging-stop-before-start-fails')) fail('EINVAL', 'logging not started');
    this.logging = null;
  }

  log_read_and_clear(iova: bigint, length: bigint, bitmap: IovaBitmap): void {
    if (!this.logging) fail('EINVAL', 'logging not started');
    for (const unit of [...this.logging.dirty]) {
      const at = unit * 4096n;
      if (at + 4096n <= iova || at >= iova + length) continue;
      bitmap.setDirty(at, 4096n);
      if (!this.mutations.on('report-not-cleared')) this.logging.dirty.delete(unit);
    }
    if (this.mutations.on('report-clears-outside-window')) this.logging.dirty.clear();
  }
}

export const REFMIG_FLAG_SETS = [
  MIG_FLAG.STOP_COPY,
  MIG_FLAG.STOP_COPY | MIG_FLAG.P2P,
  MIG_FLAG.STOP_COPY | MIG_FLAG.PRE_COPY,
  MIG_FLAG.STOP_COPY | MIG_FLAG.P2P | MIG_FLAG.PRE_COPY,
];
