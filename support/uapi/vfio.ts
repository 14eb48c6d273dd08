// The VFIO uAPI as bytes: ioctl numbers, feature ids, flag bits and the layout of
// every struct the migration protocol exchanges. Both the suite and the
// reference implementation encode and decode through this file only.
import { StructReader, StructWriter } from './bytes';

const VFIO_TYPE = 0x3b; // ';'
const VFIO_BASE = 100;
const io = (nr: number) => (VFIO_TYPE << 8) | (VFIO_BASE + nr); // asm-generic _IO

export const IOCTL = {
  VFIO_DEVICE_GET_INFO: io(7),
  VFIO_DEVICE_GET_REGION_INFO: io(8),
  VFIO_DEVICE_RESET: io(11), // 0x3b6f
  VFIO_DEVICE_FEATURE: io(17), // 0x3b75
  VFIO_MIG_GET_PRECOPY_INFO: io(21), // 0x3b79
  VFIO_DEVICE_BIND_IOMMUFD: io(18), // 0x3b76, cdev fds only
  VFIO_DEVICE_ATTACH_IOMMUFD_PT: io(19), // 0x3b77
  VFIO_DEVICE_DETACH_IOMMUFD_PT: io(20), // 0x3b78
  IOMMU_IOAS_ALLOC: (0x3b << 8) | 0x81, // on an iommufd (include/uapi/linux/iommufd.h)
} as const;

// struct vfio_device_bind_iommufd: argsz, flags, iommufd (s32), out_devid.
export const BIND_IOMMUFD_SIZE = 16;
// struct vfio_device_attach_iommufd_pt: argsz, flags, pt_id; detach: argsz, flags.
export const ATTACH_PT_SIZE = 12;
export const DETACH_PT_SIZE = 8;
// struct iommu_ioas_alloc: size, flags, out_ioas_id.
export const IOAS_ALLOC_SIZE = 12;

export const MIG_STATES = ['ERROR', 'STOP', 'RUNNING', 'STOP_COPY', 'RESUMING', 'RUNNING_P2P', 'PRE_COPY', 'PRE_COPY_P2P'] as const;
export type MigState = (typeof MIG_STATES)[number];
export const STATE_VALUE: Record<MigState, number> = Object.fromEntries(MIG_STATES.map((s, i) => [s, i])) as Record<MigState, number>;
export const VFIO_DEVICE_STATE_NR = 8;

export function stateName(value: number): string {
  return MIG_STATES[value] ?? `invalid state ${value}`;
}

export function isMigState(name: string): name is MigState {
  return (MIG_STATES as readonly string[]).includes(name);
}

export const MIG_FLAG = { STOP_COPY: 0x1, P2P: 0x2, PRE_COPY: 0x4 } as const;
export type MigFlagName = keyof typeof MIG_FLAG;

// A flag set as the reports group scenarios by it: the flag names joined by
// "|", or "no migration" for a device whose GET of MIGRATION answered ENOTTY.
export function flagSetLabel(flags: number): string {
  const names = (Object.keys(MIG_FLAG) as MigFlagName[]).filter((n) => flags & MIG_FLAG[n]);
  return flags === 0 ? 'no migration' : names.join('|') || `0x${flags.toString(16)}`;
}

export function flagsName(flags: number): string {
  const names = (Object.keys(MIG_FLAG) as MigFlagName[]).filter((n) => flags & MIG_FLAG[n]);
  return `${names.join('|') || '0'} (0x${flags.toString(16)})`;
}

export const SAVING_STATES: readonly MigState[] = ['STOP_COPY', 'PRE_COPY', 'PRE_COPY_P2P'];

export const FEATURE = {
  PCI_VF_TOKEN: 0,
  MIGRATION: 1,
  MIG_DEVICE_STATE: 2,
  LOW_POWER_ENTRY: 3,
  LOW_POWER_ENTRY_WITH_WAKEUP: 4,
  LOW_POWER_EXIT: 5,
  DMA_LOGGING_START: 6,
  DMA_LOGGING_STOP: 7,
  DMA_LOGGING_REPORT: 8,
  MIG_DATA_SIZE: 9,
  MIG_PRECOPY_INFOv2: 12, // Linux 7.1
} as const;
export type FeatureName = keyof typeof FEATURE;

export const FEATURE_FLAG = { MASK: 0xffff, GET: 1 << 16, SET: 1 << 17, PROBE: 1 << 18 } as const;
export const FEATURE_HEADER_SIZE = 8;

// Payload sizes the core requires for a non-PROBE call.
export const PAYLOAD_SIZE = {
  [FEATURE.MIGRATION]: 8,
  [FEATURE.MIG_DEVICE_STATE]: 8,
  [FEATURE.MIG_DATA_SIZE]: 8,
  [FEATURE.DMA_LOGGING_START]: 24,
  [FEATURE.DMA_LOGGING_STOP]: 0,
  [FEATURE.DMA_LOGGING_REPORT]: 32,
  [FEATURE.MIG_PRECOPY_INFOv2]: 0,
} as Record<number, number>;

export const VFIO_PCI_CONFIG_REGION_INDEX = 7;
export const VFIO_PCI_NUM_REGIONS = 9; // BAR0-5, ROM, config, VGA
export const VFIO_PCI_NUM_IRQS = 5; // INTx, MSI, MSI-X, ERR, REQ

// struct vfio_device_info: argsz, flags, num_regions, num_irqs, cap_offset, pad.
// Drivers read and check the first 16 bytes (up to num_irqs).
export const DEVICE_INFO_SIZE = 24;
export const DEVICE_INFO_MINSZ = 16;
export const DEVICE_FLAG = { RESET: 1 << 0, PCI: 1 << 1, PLATFORM: 1 << 2, AMBA: 1 << 3, CCW: 1 << 4, AP: 1 << 5, FSL_MC: 1 << 6, CAPS: 1 << 7, CDX: 1 << 8 } as const;
export interface DeviceInfo { argsz: number; flags: number; num_regions: number; num_irqs: number }
export const deviceInfo = {
  encode: (i: DeviceInfo, size = DEVICE_INFO_SIZE) =>
    new StructWriter(size).u32(0, i.argsz).u32(4, i.flags).u32(8, i.num_regions).u32(12, i.num_irqs).bytes,
  decode: (b: Uint8Array): DeviceInfo => {
    const r = new StructReader(b, true, 'struct vfio_device_info');
    return { argsz: r.u32(0, 'argsz'), flags: r.u32(4, 'flags'), num_regions: r.u32(8, 'num_regions'), num_irqs: r.u32(12, 'num_irqs') };
  },
};
export const PRECOPY_INFO_SIZE = 24;
// struct vfio_precopy_info.flags, an output only after the PRECOPY_INFOv2 opt-in (Linux 7.1).
export const PRECOPY_INFO_REINIT = 1;

export interface FeatureHeader { argsz: number; flags: number }

export function encodeFeature(header: FeatureHeader, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const w = new StructWriter(FEATURE_HEADER_SIZE + payload.length);
  return w.u32(0, header.argsz).u32(4, header.flags).put(8, payload).bytes;
}

export function decodeFeatureHeader(arg: Uint8Array): FeatureHeader {
  const r = new StructReader(arg, true, 'struct vfio_device_feature');
  return { argsz: r.u32(0, 'argsz'), flags: r.u32(4, 'flags') };
}

export function featurePayload(arg: Uint8Array): Uint8Array {
  return arg.subarray(FEATURE_HEADER_SIZE);
}

export interface MigStatePayload { device_state: number; data_fd: number }
export const migState = {
  encode: (p: MigStatePayload) => new StructWriter(8).u32(0, p.device_state).s32(4, p.data_fd).bytes,
  decode: (b: Uint8Array): MigStatePayload => {
    const r = new StructReader(b, true, 'struct vfio_device_feature_mig_state');
    return { device_state: r.u32(0, 'device_state'), data_fd: r.s32(4, 'data_fd') };
  },
};

export const u64Payload = {
  encode: (v: bigint) => new StructWriter(8).u64(0, v).bytes,
  decode: (b: Uint8Array) => new StructReader(b, true, 'the feature payload').u64(0, 'a u64 value'),
};

export interface LoggingControl { page_size: bigint; num_ranges: number; reserved: number; ranges: bigint }
export const loggingControl = {
  encode: (c: LoggingControl) =>
    new StructWriter(24).u64(0, c.page_size).u32(8, c.num_ranges).u32(12, c.reserved).u64(16, c.ranges).bytes,
  decode: (b: Uint8Array): LoggingControl => {
    const r = new StructReader(b, true, 'struct vfio_device_feature_dma_logging_control');
    return { page_size: r.u64(0, 'page_size'), num_ranges: r.u32(8, 'num_ranges'), reserved: r.u32(12, '__reserved'), ranges: r.u64(16, 'ranges') };
  },
};

export interface LoggingRange { iova: bigint; length: bigint }
export const LOGGING_RANGE_SIZE = 16;
export const loggingRanges = {
  encode: (ranges: LoggingRange[]) => {
    const w = new StructWriter(ranges.length * LOGGING_RANGE_SIZE);
    ranges.forEach((rg, i) => w.u64(i * 16, rg.iova).u64(i * 16 + 8, rg.length));
    return w.bytes;
  },
  decode: (b: Uint8Array): LoggingRange[] => {
    const r = new StructReader(b);
    const out: LoggingRange[] = [];
    for (let at = 0; at + 16 <= b.length; at += 16) out.push({ iova: r.u64(at), length: r.u64(at + 8) });
    return out;
  },
};

export interface LoggingReport { iova: bigint; length: bigint; page_size: bigint; bitmap: bigint }
export const loggingReport = {
  encode: (p: LoggingReport) =>
    new StructWriter(32).u64(0, p.iova).u64(8, p.length).u64(16, p.page_size).u64(24, p.bitmap).bytes,
  decode: (b: Uint8Array): LoggingReport => {
    const r = new StructReader(b, true, 'struct vfio_device_feature_dma_logging_report');
    return { iova: r.u64(0, 'iova'), length: r.u64(8, 'length'), page_size: r.u64(16, 'page_size'), bitmap: r.u64(24, 'bitmap') };
  },
};

export interface PrecopyInfo { argsz: number; flags: number; initial_bytes: bigint; dirty_bytes: bigint }
export const precopyInfo = {
  encode: (p: PrecopyInfo) =>
    new StructWriter(PRECOPY_INFO_SIZE).u32(0, p.argsz).u32(4, p.flags).u64(8, p.initial_bytes).u64(16, p.dirty_bytes).bytes,
  decode: (b: Uint8Array): PrecopyInfo => {
    const r = new StructReader(b, true, 'struct vfio_precopy_info');
    return { argsz: r.u32(0, 'argsz'), flags: r.u32(4, 'flags'), initial_bytes: r.u64(8, 'initial_bytes'), dirty_bytes: r.u64(16, 'dirty_bytes') };
  },
};

// Bitmap words needed for a report window: one bit per page, u64 words.
export function bitmapWords(length: bigint, pageSize: bigint): number {
  const pages = (length + pageSize - 1n) / pageSize;
  return Number((pages + 63n) / 64n);
}

export interface BindIommufd { argsz: number; flags: number; iommufd: number; out_devid: number }
export const bindIommufd = {
  encode: (p: BindIommufd) => new StructWriter(BIND_IOMMUFD_SIZE).u32(0, p.argsz).u32(4, p.flags).s32(8, p.iommufd).u32(12, p.out_devid).bytes,
  decode: (b: Uint8Array): BindIommufd => {
    const r = new StructReader(b, true, 'struct vfio_device_bind_iommufd');
    return { argsz: r.u32(0, 'argsz'), flags: r.u32(4, 'flags'), iommufd: r.s32(8, 'iommufd'), out_devid: r.u32(12, 'out_devid') };
  },
};

export interface AttachPt { argsz: number; flags: number; pt_id: number }
export const attachPt = {
  encode: (p: AttachPt) => new StructWriter(ATTACH_PT_SIZE).u32(0, p.argsz).u32(4, p.flags).u32(8, p.pt_id).bytes,
  decode: (b: Uint8Array): AttachPt => {
    const r = new StructReader(b, true, 'struct vfio_device_attach_iommufd_pt');
    return { argsz: r.u32(0, 'argsz'), flags: r.u32(4, 'flags'), pt_id: r.u32(8, 'pt_id') };
  },
};

export interface IoasAlloc { size: number; flags: number; out_ioas_id: number }
export const ioasAlloc = {
  encode: (p: IoasAlloc) => new StructWriter(IOAS_ALLOC_SIZE).u32(0, p.size).u32(4, p.flags).u32(8, p.out_ioas_id).bytes,
  decode: (b: Uint8Array): IoasAlloc => {
    const r = new StructReader(b, true, 'struct iommu_ioas_alloc');
    return { size: r.u32(0, 'size'), flags: r.u32(4, 'flags'), out_ioas_id: r.u32(8, 'out_ioas_id') };
  },
};
