// The VFIO core as Linux 6.12 has it: the migration state machine's next-step
// helper, the VFIO_DEVICE_FEATURE dispatcher with its checks in the kernel's
// order, DMA logging argument checks, and the device file. Drivers plug in
// through VfioDriver, the way vfio_device_ops, vfio_migration_ops and
// vfio_log_ops do in the kernel.
import { fail, KernelError } from '../kernel/errno';
import { FileOps } from '../kernel/file';
import { Mutations } from '../kernel/mutations';
import { Process } from '../kernel/process';
import { IommufdFile } from './iommufd';
import { StructReader, StructWriter } from '../../support/uapi/bytes';
import {
  FEATURE, FEATURE_FLAG, FEATURE_HEADER_SIZE, IOCTL, LOGGING_RANGE_SIZE, loggingControl, loggingRanges, loggingReport,
  migState, MIG_FLAG, STATE_VALUE, u64Payload, VFIO_DEVICE_STATE_NR,
  DEVICE_FLAG, DEVICE_INFO_MINSZ, DEVICE_INFO_SIZE, deviceInfo, VFIO_PCI_NUM_IRQS, VFIO_PCI_NUM_REGIONS,
  ATTACH_PT_SIZE, attachPt, BIND_IOMMUFD_SIZE, bindIommufd, DETACH_PT_SIZE,
} from '../../support/uapi/vfio';

const S = STATE_VALUE;
const { ERROR, STOP, RUNNING, STOP_COPY, RESUMING, RUNNING_P2P, PRE_COPY, PRE_COPY_P2P } = S;

// Flags each state needs; ERROR needs everything, so it is never a legal target.
const STATE_FLAGS: number[] = [];
STATE_FLAGS[ERROR] = ~0 >>> 0;
STATE_FLAGS[STOP] = MIG_FLAG.STOP_COPY;
STATE_FLAGS[RUNNING] = MIG_FLAG.STOP_COPY;
STATE_FLAGS[STOP_COPY] = MIG_FLAG.STOP_COPY;
STATE_FLAGS[RESUMING] = MIG_FLAG.STOP_COPY;
STATE_FLAGS[RUNNING_P2P] = MIG_FLAG.STOP_COPY | MIG_FLAG.P2P;
STATE_FLAGS[PRE_COPY] = MIG_FLAG.STOP_COPY | MIG_FLAG.PRE_COPY;
STATE_FLAGS[PRE_COPY_P2P] = MIG_FLAG.STOP_COPY | MIG_FLAG.P2P | MIG_FLAG.PRE_COPY;

// NEXT[current][target] for a device with every feature; ERROR marks "no path".
const NEXT: number[][] = [];
NEXT[STOP] = [ERROR, STOP, RUNNING_P2P, STOP_COPY, RESUMING, RUNNING_P2P, RUNNING_P2P, RUNNING_P2P];
NEXT[RUNNING] = [ERROR, RUNNING_P2P, RUNNING, RUNNING_P2P, RUNNING_P2P, RUNNING_P2P, PRE_COPY, RUNNING_P2P];
NEXT[STOP_COPY] = [ERROR, STOP, STOP, STOP_COPY, STOP, STOP, ERROR, ERROR];
NEXT[RESUMING] = [ERROR, STOP, STOP, STOP, RESUMING, STOP, STOP, STOP];
NEXT[RUNNING_P2P] = [ERROR, STOP, RUNNING, STOP, STOP, RUNNING_P2P, RUNNING, PRE_COPY_P2P];
NEXT[PRE_COPY] = [ERROR, RUNNING, RUNNING, PRE_COPY_P2P, RUNNING, RUNNING, PRE_COPY, PRE_COPY_P2P];
NEXT[PRE_COPY_P2P] = [ERROR, RUNNING_P2P, RUNNING_P2P, STOP_COPY, RUNNING_P2P, RUNNING_P2P, PRE_COPY, PRE_COPY_P2P];
NEXT[ERROR] = Array(VFIO_DEVICE_STATE_NR).fill(ERROR);

function supported(state: number, flags: number): boolean {
  return state < VFIO_DEVICE_STATE_NR && (STATE_FLAGS[state] & flags) === STATE_FLAGS[state];
}

// vfio_mig_get_next_state(): one arc toward the target, skipping states the
// device lacks. Stops at ERROR (the June 2026 fix) instead of spinning.
export function vfio_mig_get_next_state(flags: number, current: number, target: number, mutations: Mutations): number {
  if (!supported(current, flags)) fail('EINVAL', 'current state is not legal for this device');
  if (!supported(target, flags)) {
    const unchecked = mutations.on('fsm-target-flags-unchecked') && target > ERROR && target < VFIO_DEVICE_STATE_NR;
    if (unchecked) return target;
    fail('EINVAL', 'target state not supported');
  }
  if (mutations.on('fsm-combination-through-saving') && current === PRE_COPY && target === STOP && (flags & MIG_FLAG.P2P)) {
    return PRE_COPY_P2P;
  }
  let next = NEXT[current][target];
  for (let hops = 0; next !== ERROR && !supported(next, flags); hops++) {
    if (hops > VFIO_DEVICE_STATE_NR) throw new Error('the next-step table does not converge');
    next = NEXT[next][target];
  }
  if (next === ERROR) fail('EINVAL', 'no path to the target state');
  return next;
}

export interface MigrationOps {
  migration_set_state(target: number): FileOps | null;
  migration_get_state(): number;
  migration_get_data_size(): bigint;
  // struct vfio_device's precopy_info_v2: set by the PRECOPY_INFOv2 opt-in,
  // cleared at the last close; the saving fd's PRECOPY_INFO reads it.
  precopy_info_v2: boolean;
}

export interface LogRange { start: bigint; last: bigint }

// vfio_combine_iova_ranges(): the helper a driver calls when its device
// tracks fewer ranges than were asked. Asked for one, it spans from the first
// start to the last end; otherwise it closes the smallest gap (the lowest one
// among equals) until `want` ranges are left. Ranges only grow: no asked page
// is ever dropped. Returns a new sorted list.
export function combineIovaRanges(ranges: LogRange[], want: number, mutations: Mutations): LogRange[] {
  const out = [...ranges].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0)).map((r) => ({ ...r }));
  if (out.length === 0) return out;
  if (want === 1) return [{ start: out[0].start, last: out[out.length - 1].last }];
  while (out.length > want) {
    let at = -1;
    let best = 0n;
    for (let i = 1; i < out.length; i++) {
      const gap = out[i].start - out[i - 1].last;
      const better = mutations.on('logging-combine-widest-gap') ? gap > best : gap < best;
      if (at < 0 || better) { at = i; best = gap; }
    }
    if (!mutations.on('logging-combine-drops-range')) out[at - 1].last = out[at].last;
    out.splice(at, 1);
  }
  return out;
}

export interface LogOps {
  // Returns the page size the device will track at.
  log_start(ranges: LogRange[], pageSize: bigint): bigint;
  log_stop(): void;
  log_read_and_clear(iova: bigint, length: bigint, bitmap: IovaBitmap): void;
}

export interface RegionInfo { flags: number; size: bigint }
export const REGION_FLAG = { READ: 1, WRITE: 2, MMAP: 4 } as const;
export const VFIO_PCI_OFFSET_SHIFT = 40n;

export interface VfioDriver {
  readonly migration_flags: number;
  readonly mig_ops?: MigrationOps;
  readonly log_ops?: LogOps;
  // vfio-pci-core variants answer unknown features ENOTTY; drivers without a
  // device_feature hook get the core's default, which changed with the kernel.
  readonly pci_core: boolean;
  region_info(index: number): RegionInfo;
  region_read(index: number, offset: bigint, count: number): Uint8Array;
  region_write(index: number, offset: bigint, data: Uint8Array): number;
  reset(): void;
  // pci-core devices only: whether the PCI device can be reset at all (vdev->reset_works).
  readonly reset_works?: boolean;
  open_device(): void;
  close_device(): void;
  dma_map?(process: Process, iova: bigint, addr: bigint, length: bigint): void;
  device_dma?(iova: bigint, data: Uint8Array, peer: boolean): void;
}

export interface CoreConfig {
  // Kernel releases before 6.6 answered EINVAL for an unknown feature on a
  // driver without a device_feature hook; 6.12 answers ENOTTY.
  unknownFeatureErrno: 'EINVAL' | 'ENOTTY';
  pageSize: number;
  // Linux 7.1 knows VFIO_DEVICE_FEATURE_MIG_PRECOPY_INFOv2 (feature 12).
  precopyInfoV2: boolean;
}

// The user's dirty bitmap: bits are OR-ed into user memory, never cleared.
export class IovaBitmap {
  constructor(
    private readonly process: Process,
    readonly iova: bigint,
    readonly length: bigint,
    readonly pageSize: bigint,
    private readonly bitmapAddr: bigint,
    private readonly mutations: Mutations,
  ) {}

  setDirty(iova: bigint, length: bigint): void {
    const end = iova + length;
    const windowEnd = this.iova + this.length;
    const from = iova > this.iova ? iova : this.iova;
    const to = end < windowEnd ? end : windowEnd;
    if (from >= to) return;
    for (let page = (from - this.iova) / this.pageSize; page <= (to - 1n - this.iova) / this.pageSize; page++) {
      const wordAddr = this.bitmapAddr + (page / 64n) * 8n;
      const word = new StructReader(this.process.copyFromUser(wordAddr, 8)).u64(0);
      const bit = 1n << (page % 64n);
      const value = this.mutations.on('dirty-bitmap-overwritten') ? bit : word | bit;
      this.process.copyToUser(wordAddr, new StructWriter(8).u64(0, value).bytes);
    }
  }

  // A stand-in: 6.12 pins the bitmap page by page inside iova_bitmap_set() and
  // skips a page it cannot pin without an error; the contract only hands over
  // bitmaps it allocated, so the difference cannot be asked for.
  checkWritable(): void {
    const words = (((this.length + this.pageSize - 1n) / this.pageSize) + 63n) / 64n;
    if (words > 0n) this.process.copyFromUser(this.bitmapAddr, Number(words) * 8);
  }
}

// vfio_check_feature(): 1 = go on, 0 = PROBE answered, or throws.
function checkFeature(flags: number, payloadSize: number, offered: number, minsz: number, mutations: Mutations): 0 | 1 {
  if (flags & (FEATURE_FLAG.GET | FEATURE_FLAG.SET) & ~offered) fail('EINVAL', 'operation not offered by this feature');
  if (flags & FEATURE_FLAG.PROBE) return 0;
  if (!(flags & (FEATURE_FLAG.GET | FEATURE_FLAG.SET))) fail('EINVAL', 'neither GET nor SET');
  if (payloadSize < minsz && !mutations.on('feature-argsz-unchecked')) fail('EINVAL', 'argsz too small for the payload');
  return 1;
}

// How a device fd was opened: through its group (ready at once; several may be
// open), or through its cdev, which grants nothing until VFIO_DEVICE_BIND_IOMMUFD
// (device_cdev.c) and admits one bound user at a time (vfio_df_open()).
export type OpenVia = 'group' | 'cdev';

interface DeviceFileState { via: OpenVia; granted: boolean; iommufd?: IommufdFile; attached?: number }

export class VfioDevice {
  private openCount = 0; // device->open_count: bound cdev fds and group fds
  private groupFds = 0; // fds opened through the group: while any is open the group is open
  private boundCdevFds = 0; // group->cdev_device_open_cnt
  private readonly states = new WeakMap<FileOps, DeviceFileState>();
  // vfio-pci-core's vdev->pm_runtime_engaged: low power asked by the user, until EXIT or the last close.
  private lowPower = false;
  constructor(
    readonly path: string,
    readonly driver: VfioDriver,
    private readonly config: CoreConfig,
    private readonly mutations: Mutations,
  ) {}

  // open_device: through the group unless asked otherwise; a cdev open with
  // `bound` is bound to a fresh iommufd with an IOAS attached, as users do.
  open(process: Process, via: OpenVia = 'group', bound = true): FileOps {
    const state: DeviceFileState = { via, granted: false };
    if (via === 'group') {
      // vfio_group_fops_open(): EBUSY while a cdev fd of the group is bound.
      if (this.boundCdevFds > 0 && !this.mutations.on('cdev-group-not-blocked')) fail('EBUSY', 'a cdev fd of this device is bound, so its group cannot be opened');
      this.dfOpen(state);
      this.groupFds++;
      state.granted = true;
    } else if (bound) {
      const iommufd = new IommufdFile();
      this.bind(state, iommufd);
      state.attached = iommufd.allocIoas();
    }
    let released = false;
    const granted = () => this.checkAccess(file);
    const file: FileOps = {
      mode: 'readwrite',
      stream: false,
      ioctl: (request, arg) => {
        if (request === IOCTL.VFIO_DEVICE_BIND_IOMMUFD) return this.bindIoctl(process, state, arg);
        granted();
        if (via === 'cdev' && request === IOCTL.VFIO_DEVICE_ATTACH_IOMMUFD_PT) return this.attachIoctl(state, arg);
        if (via === 'cdev' && request === IOCTL.VFIO_DEVICE_DETACH_IOMMUFD_PT) return this.detachIoctl(state, arg);
        return this.ioctl(process, request, arg);
      },
      pread: (count, offset) => { granted(); return this.regionAccess(offset, (index, off) => this.driver.region_read(index, off, count)); },
      pwrite: (data, offset) => { granted(); return this.regionAccess(offset, (index, off) => this.driver.region_write(index, off, data)); },
      release: () => {
        if (released) return;
        released = true;
        if (via === 'group') this.groupFds--;
        else if (state.granted) this.boundCdevFds--;
        if (state.granted) this.dfClose();
      },
    };
    this.states.set(file, state);
    return file;
  }

  // Every call on a device fd but BIND needs access (df->access_granted): EINVAL before BIND.
  checkAccess(file: FileOps): void {
    if (this.states.get(file)?.granted === false && !this.mutations.on('cdev-unbound-ioctl-allowed')) fail('EINVAL', 'the cdev fd is not bound to an iommufd');
  }

  // vfio_df_open(): only the group path may open a device that is open already.
  private dfOpen(state: DeviceFileState): void {
    if (this.openCount !== 0 && state.via === 'cdev' && !this.mutations.on('cdev-second-bind-accepted')) {
      fail('EINVAL', 'the device is already open');
    }
    if (this.openCount++ === 0) {
      this.driver.open_device();
      this.firstOpened();
    }
  }

  private dfClose(): void {
    if (--this.openCount === 0) {
      this.driver.close_device();
      // vfio_pci_core_disable() leaves the low power the user asked for.
      if (!this.mutations.on('low-power-kept-after-close')) this.lowPower = false;
      // vfio_df_device_last_close(): the next user starts without the opt-in.
      if (this.driver.mig_ops && !this.mutations.on('precopy-v2-kept-after-close')) this.driver.mig_ops.precopy_info_v2 = false;
      this.lastClosed();
    }
  }

  // What a subclass does at the first open and the last close (a module reference, say).
  protected firstOpened(): void {}
  protected lastClosed(): void {}

  // vfio_df_ioctl_bind_iommufd(), in its order of checks.
  private bindIoctl(process: Process, state: DeviceFileState, arg: Uint8Array | null): { ret: number; arg: Uint8Array | null } {
    if (!arg || arg.length < BIND_IOMMUFD_SIZE) fail('EFAULT', 'struct vfio_device_bind_iommufd unreadable');
    const bind = bindIommufd.decode(arg.subarray(0, BIND_IOMMUFD_SIZE));
    if (bind.argsz < BIND_IOMMUFD_SIZE || bind.flags || bind.iommufd < 0) fail('EINVAL', 'argsz, flags or iommufd');
    if (bind.argsz !== BIND_IOMMUFD_SIZE && this.mutations.on('iommufd-argsz-exact')) fail('EINVAL', 'argsz is not the struct size');
    if (state.via === 'group') fail('EINVAL', 'BIND_IOMMUFD is for cdev fds only');
    if (this.groupFds > 0 && !this.mutations.on('cdev-group-not-blocked')) fail('EBUSY', 'the group of this device is open');
    if (state.granted && !this.mutations.on('cdev-rebind-accepted')) fail('EINVAL', 'this fd is bound already');
    // iommufd_ctx_from_fd()
    if (!process.isOpen(bind.iommufd)) fail('EBADF', 'iommufd is not an open fd');
    const iommufd = process.file(bind.iommufd);
    if (!(iommufd instanceof IommufdFile)) fail('EBADFD', 'iommufd is not an iommufd');
    const devid = this.bind(state, iommufd);
    const out = arg.slice();
    out.set(bindIommufd.encode({ ...bind, out_devid: devid }).subarray(12, 16), 12);
    return { ret: 0, arg: out };
  }

  private bind(state: DeviceFileState, iommufd: IommufdFile): number {
    if (!state.granted) this.dfOpen(state);
    state.iommufd = iommufd;
    state.granted = true;
    this.boundCdevFds++;
    return iommufd.newObject();
  }

  // vfio_df_ioctl_attach_pt(): the driver's attach_ioas looks the id up in the bound iommufd.
  private attachIoctl(state: DeviceFileState, arg: Uint8Array | null): { ret: number; arg: Uint8Array | null } {
    if (!arg || arg.length < ATTACH_PT_SIZE) fail('EFAULT', 'struct vfio_device_attach_iommufd_pt unreadable');
    const attach = attachPt.decode(arg.subarray(0, ATTACH_PT_SIZE));
    if (attach.argsz < ATTACH_PT_SIZE || attach.flags) fail('EINVAL', 'argsz or flags');
    if (attach.argsz !== ATTACH_PT_SIZE && this.mutations.on('iommufd-argsz-exact')) fail('EINVAL', 'argsz is not the struct size');
    if (!state.iommufd?.isIoas(attach.pt_id) && !this.mutations.on('attach-any-pt-id')) fail('ENOENT', `no IOAS ${attach.pt_id} in the bound iommufd`);
    state.attached = attach.pt_id;
    return { ret: 0, arg };
  }

  private detachIoctl(state: DeviceFileState, arg: Uint8Array | null): { ret: number; arg: Uint8Array | null } {
    if (!arg || arg.length < DETACH_PT_SIZE) fail('EFAULT', 'struct vfio_device_detach_iommufd_pt unreadable');
    const r = new StructReader(arg);
    if (r.u32(0) < DETACH_PT_SIZE || r.u32(4)) fail('EINVAL', 'argsz or flags');
    if (r.u32(0) !== DETACH_PT_SIZE && this.mutations.on('iommufd-argsz-exact')) fail('EINVAL', 'argsz is not the struct size');
    state.attached = undefined;
    return { ret: 0, arg };
  }

  private regionAccess<T>(offset: bigint, access: (index: number, offset: bigint) => T): T {
    const index = Number(offset >> VFIO_PCI_OFFSET_SHIFT);
    return access(index, offset & ((1n << VFIO_PCI_OFFSET_SHIFT) - 1n));
  }

  // The ioctls of a device fd that has access: the core's, then the driver's.
  protected ioctl(process: Process, request: number, arg: Uint8Array | null): { ret: number; arg: Uint8Array | null } {
    switch (request) {
      case IOCTL.VFIO_DEVICE_FEATURE: {
        if (!arg || arg.length < FEATURE_HEADER_SIZE) fail('EFAULT', 'feature header unreadable');
        const out = arg.slice();
        try {
          return { ret: this.feature(process, out), arg: out };
        } catch (error) {
          if (error instanceof KernelError) error.arg = out;
          throw error;
        }
      }
      case IOCTL.VFIO_DEVICE_GET_INFO:
        return { ret: 0, arg: this.deviceInfo(arg) };
      case IOCTL.VFIO_DEVICE_RESET:
        // vfio_pci_ioctl_reset(): EINVAL when the PCI device cannot be reset.
        if (this.driver.pci_core && this.driver.reset_works === false) fail('EINVAL', 'this device cannot be reset');
        this.driver.reset();
        return { ret: 0, arg };
      default:
        fail('ENOTTY');
    }
  }

  // vfio_pci_ioctl_get_info() and the samples' GET_INFO: the first 16 bytes are
  // read and argsz must cover them; every device here is a PCI device with the
  // fixed region and interrupt indexes. vfio-pci-core adds RESET when the
  // device can be reset and writes back min(argsz, 24) bytes (cap_offset and
  // pad 0); the samples never set RESET and write back 16 bytes.
  private deviceInfo(arg: Uint8Array | null): Uint8Array {
    if (!arg || arg.length < DEVICE_INFO_MINSZ) fail('EFAULT', 'struct vfio_device_info is unreadable');
    const { argsz } = deviceInfo.decode(arg);
    if (argsz < DEVICE_INFO_MINSZ) fail('EINVAL', 'argsz does not cover num_irqs');
    const reset = this.driver.pci_core && this.driver.reset_works !== false ? DEVICE_FLAG.RESET : 0;
    const info = { argsz, flags: DEVICE_FLAG.PCI | reset, num_regions: VFIO_PCI_NUM_REGIONS, num_irqs: VFIO_PCI_NUM_IRQS };
    const written = this.driver.pci_core ? Math.min(argsz, DEVICE_INFO_SIZE, arg.length) : DEVICE_INFO_MINSZ;
    const out = arg.slice();
    out.set(deviceInfo.encode(info, DEVICE_INFO_SIZE).subarray(0, written), 0);
    return out;
  }

  regionInfo(index: number): RegionInfo & { offset: bigint } {
    return { ...this.driver.region_info(index), offset: BigInt(index) << VFIO_PCI_OFFSET_SHIFT };
  }

  // vfio_ioctl_device_feature(): header checks, then the feature, in this order.
  private feature(process: Process, arg: Uint8Array): number {
    const header = new StructReader(arg);
    const argsz = header.u32(0);
    const flags = header.u32(4);
    const known = FEATURE_FLAG.MASK | FEATURE_FLAG.GET | FEATURE_FLAG.SET | FEATURE_FLAG.PROBE;
    const headerChecks = () => {
      if (argsz < FEATURE_HEADER_SIZE + (this.mutations.on('feature-header-argsz-off-by-one') ? 1 : 0)) fail('EINVAL', 'argsz smaller than the header');
      if (flags & ~known) fail('EINVAL', 'reserved flag bits set');
      if ((flags & FEATURE_FLAG.GET) && (flags & FEATURE_FLAG.SET) && !(flags & FEATURE_FLAG.PROBE)) {
        fail('EINVAL', 'GET and SET without PROBE');
      }
    };
    if (!this.mutations.on('feature-lookup-before-flag-checks')) headerChecks();
    const payloadSize = argsz - FEATURE_HEADER_SIZE;
    const id = flags & FEATURE_FLAG.MASK;
    const payload = arg.subarray(FEATURE_HEADER_SIZE);
    const mig = this.driver.mig_ops;
    const log = this.driver.log_ops;
    const needMig = () => { if (!mig) fail('ENOTTY', 'no migration support'); return mig; };
    const needLog = () => { if (!log) fail('ENOTTY', 'no DMA logging support'); return log; };
    const check = (offered: number, minsz: number) => checkFeature(flags, payloadSize, offered, minsz, this.mutations);
    const readPayload = (size: number) => {
      if (payload.length < size) fail('EFAULT', 'payload unreadable');
      return payload.subarray(0, size);
    };
    // copy_to_user past the caller's buffer faults.
    const writePayload = (bytes: Uint8Array) => {
      if (payload.length < bytes.length) fail('EFAULT', 'payload not writable');
      payload.set(bytes);
    };
    const known_ids: number[] = [FEATURE.MIGRATION, FEATURE.MIG_DEVICE_STATE, FEATURE.MIG_DATA_SIZE,
      FEATURE.DMA_LOGGING_START, FEATURE.DMA_LOGGING_STOP, FEATURE.DMA_LOGGING_REPORT,
      ...(this.config.precopyInfoV2 ? [FEATURE.MIG_PRECOPY_INFOv2] : [])];
    if (this.mutations.on('feature-lookup-before-flag-checks')) {
      if (!known_ids.includes(id)) fail(this.driver.pci_core ? 'ENOTTY' : this.config.unknownFeatureErrno);
      headerChecks();
    }

    switch (id) {
      case FEATURE.MIGRATION: {
        needMig();
        if (check(FEATURE_FLAG.GET, 8) === 0) return 0;
        writePayload(u64Payload.encode(BigInt(this.driver.migration_flags)));
        return 0;
      }
      case FEATURE.MIG_DEVICE_STATE: {
        const ops = needMig();
        if (check(FEATURE_FLAG.GET | FEATURE_FLAG.SET, 8) === 0) return 0;
        const request = migState.decode(readPayload(8));
        if (flags & FEATURE_FLAG.GET) {
          writePayload(migState.encode({ device_state: ops.migration_get_state(), data_fd: -1 }));
          return 0;
        }
        let file: FileOps | null;
        try {
          file = ops.migration_set_state(request.device_state);
        } catch (error) {
          // The payload goes back with data_fd = -1 even when the SET fails.
          if (!this.mutations.on('set-failure-leaves-payload')) {
            payload.set(migState.encode({ device_state: request.device_state, data_fd: -1 }));
          }
          throw error;
        }
        const cloexec = !this.mutations.on('data-fd-without-cloexec');
        const fd = file ? process.install(file, cloexec) : -1;
        payload.set(migState.encode({ device_state: request.device_state, data_fd: fd }));
        return 0;
      }
      case FEATURE.MIG_DATA_SIZE: {
        const ops = needMig();
        if (check(FEATURE_FLAG.GET, 8) === 0) return 0;
        writePayload(u64Payload.encode(ops.migration_get_data_size()));
        return 0;
      }
      case FEATURE.DMA_LOGGING_START:
        if (this.mutations.on('logging-probe-needs-set') && (flags & FEATURE_FLAG.PROBE) && !(flags & FEATURE_FLAG.SET)) {
          fail('EINVAL', 'a PROBE of DMA_LOGGING_START without SET');
        }
        return this.loggingStart(process, needLog(), check, readPayload, payload);
      case FEATURE.DMA_LOGGING_STOP: {
        const ops = needLog();
        if (check(FEATURE_FLAG.SET, 0) === 0) return 0;
        ops.log_stop();
        return 0;
      }
      case FEATURE.DMA_LOGGING_REPORT:
        return this.loggingReport(process, needLog(), check, readPayload);
      case FEATURE.LOW_POWER_ENTRY:
      case FEATURE.LOW_POWER_ENTRY_WITH_WAKEUP:
      case FEATURE.LOW_POWER_EXIT:
        if (!this.driver.pci_core) return this.unknownFeature(id);
        return this.lowPowerFeature(id, check, readPayload);
      case FEATURE.MIG_PRECOPY_INFOv2:
        // Before 7.1 the core does not know feature 12.
        return this.config.precopyInfoV2 || this.mutations.on('precopy-v2-before-7.1') ? this.precopyInfoV2(check) : this.unknownFeature(id);
      default:
        return this.unknownFeature(id);
    }
  }

  // vfio_pci_core_ioctl_feature(): the low-power features are SET only; ENTRY
  // WITH_WAKEUP reads an s32 eventfd: negative is EINVAL, and so is any other
  // fd here (the reference has no eventfds; Linux answers EBADF for a closed
  // one, which no scenario asks). A
  // second entry before EXIT is EINVAL; EXIT outside low power succeeds.
  private lowPowerFeature(id: number, check: (offered: number, minsz: number) => 0 | 1, readPayload: (size: number) => Uint8Array): number {
    const wakeup = id === FEATURE.LOW_POWER_ENTRY_WITH_WAKEUP;
    if (check(FEATURE_FLAG.SET, wakeup ? 4 : 0) === 0) return 0;
    if (id === FEATURE.LOW_POWER_EXIT) {
      this.lowPower = false;
      return 0;
    }
    if (wakeup) {
      const fd = new DataView(readPayload(4).slice().buffer).getInt32(0, true);
      if (fd < 0) fail('EINVAL', 'wakeup_eventfd is negative');
      fail('EINVAL', `fd ${fd} is not an eventfd`);
    }
    if (this.lowPower && !this.mutations.on('low-power-entry-reentrant')) fail('EINVAL', 'the device is in low power already');
    this.lowPower = true;
    return 0;
  }

  private unknownFeature(id: number): never {
    fail(this.driver.pci_core ? 'ENOTTY' : this.config.unknownFeatureErrno, `unknown feature ${id}`);
  }

  // vfio_ioctl_device_feature_migration_precopy_info_v2(): the PRE_COPY check
  // comes before the operation checks, so on a device without PRE_COPY (or
  // without migration) every request is EINVAL; SET only, with no payload.
  private precopyInfoV2(check: (offered: number, minsz: number) => 0 | 1): number {
    const mig = this.driver.mig_ops;
    const precopy = (this.driver.migration_flags & MIG_FLAG.PRE_COPY) !== 0 || this.mutations.on('precopy-v2-without-precopy');
    if (!mig || !precopy) fail('EINVAL', 'the device does not support PRE_COPY');
    const offered = this.mutations.on('precopy-v2-get-accepted') ? FEATURE_FLAG.GET | FEATURE_FLAG.SET : FEATURE_FLAG.SET;
    if (check(offered, 0) === 0) return 0;
    mig.precopy_info_v2 = true;
    return 0;
  }

  private loggingStart(
    process: Process, ops: LogOps, check: (offered: number, minsz: number) => 0 | 1,
    readPayload: (size: number) => Uint8Array, payload: Uint8Array,
  ): number {
    if (check(FEATURE_FLAG.SET, 24) === 0) return 0;
    const control = loggingControl.decode(readPayload(24));
    if (control.num_ranges === 0) fail('EINVAL', 'no ranges');
    const maxRanges = this.config.pageSize / LOGGING_RANGE_SIZE;
    if (control.num_ranges > maxRanges) fail('E2BIG', `more than ${maxRanges} ranges`);
    const aligned = (x: bigint) => (x & BigInt.asUintN(64, control.page_size - 1n)) === 0n;
    const ranges: LogRange[] = [];
    for (let i = 0; i < control.num_ranges; i++) {
      const [range] = loggingRanges.decode(process.copyFromUser(control.ranges + BigInt(i * LOGGING_RANGE_SIZE), LOGGING_RANGE_SIZE));
      if (!aligned(range.iova) || !aligned(range.length)) fail('EINVAL', 'range not aligned to page_size');
      const end = range.iova + range.length;
      if (end > 0xffffffffffffffffn) fail('EOVERFLOW', 'range end overflows');
      const node = { start: range.iova, last: BigInt.asUintN(64, end - 1n) };
      // the mutant also counts ranges that only touch as overlapping
      const touch = this.mutations.on('logging-adjacent-refused') ? 1n : 0n;
      if (!this.mutations.on('logging-overlap-unchecked') && ranges.some((r) => r.start <= node.last + touch && node.start <= r.last + touch)) {
        fail('EINVAL', 'overlapping ranges');
      }
      ranges.push(node);
    }
    const pageSize = ops.log_start(ranges, control.page_size);
    payload.set(loggingControl.encode({ ...control, page_size: pageSize }));
    return 0;
  }

  private loggingReport(
    process: Process, ops: LogOps, check: (offered: number, minsz: number) => 0 | 1,
    readPayload: (size: number) => Uint8Array,
  ): number {
    if (check(FEATURE_FLAG.GET, 32) === 0) return 0;
    const report = loggingReport.decode(readPayload(32));
    const p = report.page_size;
    if (p < 4096n || (p & (p - 1n)) !== 0n) fail('EINVAL', 'report page_size below 4096 or not a power of two');
    if (report.iova + report.length > 0xffffffffffffffffn) fail('EOVERFLOW', 'report window overflows');
    const bitmap = new IovaBitmap(process, report.iova, report.length, p, report.bitmap, this.mutations);
    bitmap.checkWritable();
    ops.log_read_and_clear(report.iova, report.length, bitmap);
    return 0;
  }
}

export function isKernelError(error: unknown): error is KernelError {
  return error instanceof KernelError;
}
