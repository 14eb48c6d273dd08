// Virtio group administration and the legacy virtio-PCI interface as bytes:
// opcodes, group types, status and qualifier codes, the admin command header
// and status layouts, the legacy commands' data, NOTIFY_INFO entries, the
// legacy I/O register map and the virtio-net legacy config. Both the suite and
// the reference implementation encode and decode through this file only.
//
// Admin commands are little-endian on every host. Legacy device-specific
// config is in the guest's byte order, which is why encoders below take the
// byte order explicitly where it matters.
import { StructReader, StructWriter } from './bytes';

export type ByteOrder = 'little' | 'big';

// --- group administration ------------------------------------------------------

export const ADMIN_OPCODE = {
  LIST_QUERY: 0x0,
  LIST_USE: 0x1,
  LEGACY_COMMON_CFG_WRITE: 0x2,
  LEGACY_COMMON_CFG_READ: 0x3,
  LEGACY_DEV_CFG_WRITE: 0x4,
  LEGACY_DEV_CFG_READ: 0x5,
  LEGACY_NOTIFY_INFO: 0x6,
  CAP_ID_LIST_QUERY: 0x7,
  DEVICE_CAP_GET: 0x8,
  DRIVER_CAP_SET: 0x9,
  RESOURCE_OBJ_CREATE: 0xa,
  RESOURCE_OBJ_DESTROY: 0xd,
  DEV_PARTS_METADATA_GET: 0xe,
  DEV_PARTS_GET: 0xf,
  DEV_PARTS_SET: 0x10,
  DEV_MODE_SET: 0x11,
} as const;
export type AdminOpcodeName = keyof typeof ADMIN_OPCODE;

export function opcodeName(opcode: number): string {
  const name = (Object.keys(ADMIN_OPCODE) as AdminOpcodeName[]).find((n) => ADMIN_OPCODE[n] === opcode);
  return name ?? `opcode 0x${opcode.toString(16).padStart(4, '0')}`;
}

export const GROUP_TYPE = { SELF: 0x0, SRIOV: 0x1 } as const;

// Status values equal Linux errno numbers on purpose.
export const ADMIN_STATUS = { OK: 0, ENXIO: 6, EAGAIN: 11, ENOMEM: 12, EBUSY: 16, EINVAL: 22, ENOSPC: 28 } as const;
export type AdminStatusName = keyof typeof ADMIN_STATUS;

export const ADMIN_QUALIFIER = {
  OK: 0x00,
  INVALID_COMMAND: 0x01,
  INVALID_OPCODE: 0x02,
  INVALID_FIELD: 0x03,
  INVALID_GROUP: 0x04,
  INVALID_MEMBER: 0x05,
  NORESOURCE: 0x06,
  TRYAGAIN: 0x07,
} as const;
export type AdminQualifierName = keyof typeof ADMIN_QUALIFIER;

export const ADMIN_CMD_HDR_SIZE = 24; // struct virtio_admin_cmd_hdr
export const ADMIN_CMD_STATUS_SIZE = 8; // struct virtio_admin_cmd_status

// Opcodes 2..6: the legacy interface commands (VIRTIO_LEGACY_ADMIN_CMD_BITMAP in Linux).
export const LEGACY_ADMIN_CMD_BITMAP = 0x7cn;
// Opcodes 7, 8, 9, 0xa, 0xd, 0xe, 0xf, 0x10, 0x11: capabilities and device parts (Linux 6.13+).
export const DEV_PARTS_ADMIN_CMD_BITMAP = 0x3e780n;

export interface AdminHeader { opcode: number; group_type: number; group_member_id: bigint }

export const adminHeader = {
  encode: (h: AdminHeader): Uint8Array =>
    new StructWriter(ADMIN_CMD_HDR_SIZE).u16(0, h.opcode).u16(2, h.group_type).u64(16, h.group_member_id).bytes,
  // Bytes the driver did not supply count as zero.
  decode: (b: Uint8Array): AdminHeader => {
    const r = new StructReader(padTo(b, ADMIN_CMD_HDR_SIZE));
    return { opcode: r.u16(0), group_type: r.u16(2), group_member_id: r.u64(16) };
  },
};

export function encodeAdminCommand(header: AdminHeader, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(ADMIN_CMD_HDR_SIZE + data.length);
  out.set(adminHeader.encode(header));
  out.set(data, ADMIN_CMD_HDR_SIZE);
  return out;
}

export interface AdminStatus { status: number; status_qualifier: number }

export const adminStatus = {
  encode: (s: AdminStatus): Uint8Array => new StructWriter(ADMIN_CMD_STATUS_SIZE).u16(0, s.status).u16(2, s.status_qualifier).bytes,
};

// The device-writable part as the driver sees it: anything past the used
// length reads as zero.
export interface AdminCompletion { status: number; status_qualifier: number; reserved: Uint8Array; result: Uint8Array; used_length: number }

export function decodeCompletion(written: Uint8Array, usedLength: number, writableLength: number): AdminCompletion {
  const buffer = padTo(written.subarray(0, usedLength), Math.max(writableLength, ADMIN_CMD_STATUS_SIZE));
  const r = new StructReader(buffer);
  return {
    status: r.u16(0),
    status_qualifier: r.u16(2),
    reserved: buffer.slice(4, 8),
    result: buffer.slice(ADMIN_CMD_STATUS_SIZE, Math.max(writableLength, ADMIN_CMD_STATUS_SIZE)),
    used_length: usedLength,
  };
}

// LIST_QUERY / LIST_USE bitmaps: le64 words, bit k of word w = opcode 64*w + k.
export const opcodeBitmap = {
  encode: (opcodes: bigint, words = 1): Uint8Array => {
    const w = new StructWriter(words * 8);
    for (let i = 0; i < words; i++) w.u64(i * 8, (opcodes >> BigInt(64 * i)) & 0xffffffffffffffffn);
    return w.bytes;
  },
  // A bitmap of any length; a trailing partial word counts its missing bytes as zero.
  decode: (b: Uint8Array): bigint => {
    const padded = padTo(b, Math.ceil(b.length / 8) * 8);
    const r = new StructReader(padded);
    let bits = 0n;
    for (let i = 0; i * 8 < padded.length; i++) bits |= r.u64(i * 8) << BigInt(64 * i);
    return bits;
  },
};

export function bitmapOf(opcodes: number[]): bigint {
  return opcodes.reduce((acc, op) => acc | (1n << BigInt(op)), 0n);
}

export function opcodesIn(bitmap: bigint): number[] {
  const out: number[] = [];
  for (let op = 0; bitmap >> BigInt(op) !== 0n; op++) if ((bitmap >> BigInt(op)) & 1n) out.push(op);
  return out;
}

// LEGACY_*_WRITE data: u8 offset, 7 reserved bytes, then the bytes to write.
export const LEGACY_WR_PREFIX = 8;
export const legacyWrite = {
  encode: (offset: number, payload: Uint8Array): Uint8Array =>
    new StructWriter(LEGACY_WR_PREFIX + payload.length).u8(0, offset).put(LEGACY_WR_PREFIX, payload).bytes,
  // The width of a write is what follows the prefix in the readable part.
  decode: (data: Uint8Array): { offset: number; payload: Uint8Array } => ({
    offset: padTo(data, 1)[0],
    payload: data.slice(Math.min(LEGACY_WR_PREFIX, data.length)),
  }),
};

// LEGACY_*_READ data: one u8 offset. The width is the writable length minus the status.
export const legacyRead = {
  encode: (offset: number): Uint8Array => Uint8Array.of(offset),
  decode: (data: Uint8Array): { offset: number } => ({ offset: padTo(data, 1)[0] }),
};

// LEGACY_NOTIFY_INFO result: four 16-byte entries.
export const NOTIFY_INFO_ENTRY_SIZE = 16;
export const NOTIFY_INFO_ENTRIES = 4;
export const NOTIFY_INFO_RESULT_SIZE = NOTIFY_INFO_ENTRY_SIZE * NOTIFY_INFO_ENTRIES;
// Linux names 0x1 ..._FLAGS_OWNER_DEV and 0x2 ..._FLAGS_OWNER_MEM; 0x2 means the member's (VF's) BAR.
export const NOTIFY_FLAGS = { END: 0x0, OWNER_BAR: 0x1, MEMBER_BAR: 0x2 } as const;

export interface NotifyEntry { flags: number; bar: number; offset: bigint }

export const notifyInfo = {
  encode: (entries: NotifyEntry[]): Uint8Array => {
    const w = new StructWriter(NOTIFY_INFO_RESULT_SIZE);
    entries.slice(0, NOTIFY_INFO_ENTRIES).forEach((e, i) => {
      w.u8(i * NOTIFY_INFO_ENTRY_SIZE, e.flags).u8(i * NOTIFY_INFO_ENTRY_SIZE + 1, e.bar).u64(i * NOTIFY_INFO_ENTRY_SIZE + 8, e.offset);
    });
    return w.bytes;
  },
  decode: (b: Uint8Array): NotifyEntry[] => {
    const r = new StructReader(padTo(b, NOTIFY_INFO_RESULT_SIZE));
    return Array.from({ length: NOTIFY_INFO_ENTRIES }, (_, i) => ({
      flags: r.u8(i * NOTIFY_INFO_ENTRY_SIZE),
      bar: r.u8(i * NOTIFY_INFO_ENTRY_SIZE + 1),
      offset: r.u64(i * NOTIFY_INFO_ENTRY_SIZE + 8),
    }));
  },
};

// --- the legacy virtio-PCI I/O layout ---------------------------------------------

// Offsets of the legacy common header (include/uapi/linux/virtio_pci.h names).
export const VIRTIO_PCI = {
  HOST_FEATURES: 0,
  GUEST_FEATURES: 4,
  QUEUE_PFN: 8,
  QUEUE_NUM: 12,
  QUEUE_SEL: 14,
  QUEUE_NOTIFY: 16,
  STATUS: 18,
  ISR: 19,
  MSI_CONFIG_VECTOR: 20,
  MSI_QUEUE_VECTOR: 22,
} as const;
export type LegacyRegisterName = keyof typeof VIRTIO_PCI;

export interface LegacyField { name: string; offset: number; size: number; writable: boolean }

// The fields of the common header; the two vectors exist only while MSI-X is enabled.
export function legacyCommonFields(msixEnabled: boolean): LegacyField[] {
  const fields: LegacyField[] = [
    { name: 'HOST_FEATURES', offset: 0, size: 4, writable: false },
    { name: 'GUEST_FEATURES', offset: 4, size: 4, writable: true },
    { name: 'QUEUE_PFN', offset: 8, size: 4, writable: true },
    { name: 'QUEUE_NUM', offset: 12, size: 2, writable: false },
    { name: 'QUEUE_SEL', offset: 14, size: 2, writable: true },
    { name: 'QUEUE_NOTIFY', offset: 16, size: 2, writable: true },
    { name: 'STATUS', offset: 18, size: 1, writable: true },
    { name: 'ISR', offset: 19, size: 1, writable: false },
  ];
  if (msixEnabled) {
    fields.push({ name: 'MSI_CONFIG_VECTOR', offset: 20, size: 2, writable: true });
    fields.push({ name: 'MSI_QUEUE_VECTOR', offset: 22, size: 2, writable: true });
  }
  return fields;
}

// VIRTIO_PCI_CONFIG_OFF(msix): where the device-specific config starts.
export function virtioPciConfigOff(msixEnabled: boolean): number {
  return msixEnabled ? 24 : 20;
}

export const VIRTIO_PCI_QUEUE_ADDR_SHIFT = 12;
export const VIRTIO_PCI_VRING_ALIGN = 4096;
export const VIRTIO_MSI_NO_VECTOR = 0xffff;
export const VIRTIO_PCI_ISR = { QUEUE: 0x1, CONFIG: 0x2 } as const;
export const VIRTIO_CONFIG_S = { ACKNOWLEDGE: 1, DRIVER: 2, DRIVER_OK: 4, FEATURES_OK: 8, NEEDS_RESET: 64, FAILED: 128 } as const;

// Feature bits the suite names.
export const VIRTIO_F = { VERSION_1: 32, ACCESS_PLATFORM: 33, ORDER_PLATFORM: 36, ADMIN_VQ: 41 } as const;
export const VIRTIO_NET_F = { MTU: 3, MAC: 5, STATUS: 16, MQ: 22 } as const;
export const VIRTIO_NET_S_LINK_UP = 1;

// Legacy virtio-net device config (struct virtio_net_config up to mtu).
export function legacyNetFields(): LegacyField[] {
  return [
    { name: 'mac', offset: 0, size: 6, writable: true },
    { name: 'status', offset: 6, size: 2, writable: false },
    { name: 'max_virtqueue_pairs', offset: 8, size: 2, writable: false },
    { name: 'mtu', offset: 10, size: 2, writable: false },
  ];
}

// A legacy access must stay inside one field: the field, or undefined.
export function fieldOf(fields: LegacyField[], offset: number, size: number): LegacyField | undefined {
  if (size < 1) return undefined;
  return fields.find((f) => offset >= f.offset && offset + size <= f.offset + f.size);
}

// --- the transitional device the translator shows ------------------------------------

export const PCI_VENDOR_ID_REDHAT_QUMRANET = 0x1af4;
export const VIRTIO_TRANS_ID_NET = 0x1000;
export const VIRTIO_ID_NET = 1;
export const VIRTIO_PCI_MODERN_ID_NET = 0x1041;
export const PCI_CONFIG = {
  VENDOR_ID: 0x00,
  DEVICE_ID: 0x02,
  COMMAND: 0x04,
  REVISION_ID: 0x08,
  BASE_ADDRESS_0: 0x10,
  SUBSYSTEM_VENDOR_ID: 0x2c,
  SUBSYSTEM_ID: 0x2e,
} as const;
export const PCI_COMMAND_IO = 0x1;
export const PCI_BASE_ADDRESS_SPACE_IO = 0x1;
// The emulated BAR0: the legacy header with MSI-X plus virtio-net mac and status.
export const LEGACY_BAR0_SIZE = 24 + 8;

export const VFIO_PCI_BAR0_REGION_INDEX = 0;
export const VFIO_PCI_CONFIG_REGION_INDEX = 7;
export const VFIO_REGION_INFO_FLAG = { READ: 0x1, WRITE: 0x2, MMAP: 0x4, CAPS: 0x8 } as const;

// VFIO interrupt set-up (include/uapi/linux/vfio.h), which decides the
// translator's device-config offset.
export const VFIO_DEVICE_SET_IRQS = (0x3b << 8) | (100 + 10);
export const VFIO_IRQ_SET = {
  DATA_NONE: 1 << 0,
  DATA_BOOL: 1 << 1,
  DATA_EVENTFD: 1 << 2,
  ACTION_MASK: 1 << 3,
  ACTION_UNMASK: 1 << 4,
  ACTION_TRIGGER: 1 << 5,
} as const;
export const VFIO_PCI_IRQ_INDEX = { INTX: 0, MSI: 1, MSIX: 2, ERR: 3, REQ: 4 } as const;
export const VFIO_IRQ_SET_HEADER_SIZE = 20;

export interface IrqSet { argsz: number; flags: number; index: number; start: number; count: number; data: Uint8Array }
export const irqSet = {
  encode: (s: Omit<IrqSet, 'argsz'>): Uint8Array =>
    new StructWriter(VFIO_IRQ_SET_HEADER_SIZE + s.data.length)
      .u32(0, VFIO_IRQ_SET_HEADER_SIZE + s.data.length).u32(4, s.flags).u32(8, s.index).u32(12, s.start).u32(16, s.count)
      .put(VFIO_IRQ_SET_HEADER_SIZE, s.data).bytes,
  decode: (b: Uint8Array): IrqSet => {
    const r = new StructReader(padTo(b, VFIO_IRQ_SET_HEADER_SIZE));
    return { argsz: r.u32(0), flags: r.u32(4), index: r.u32(8), start: r.u32(12), count: r.u32(16), data: b.slice(VFIO_IRQ_SET_HEADER_SIZE) };
  },
};

// VFIO_DEVICE_GET_IRQ_INFO (_IO(';', 100 + 9)): struct vfio_irq_info, argsz, flags, index, count (u32 each).
export const VFIO_DEVICE_GET_IRQ_INFO = (0x3b << 8) | (100 + 9);
export const VFIO_IRQ_INFO_SIZE = 16;
export const VFIO_IRQ_INFO = { EVENTFD: 1 << 0, MASKABLE: 1 << 1, AUTOMASKED: 1 << 2, NORESIZE: 1 << 3 } as const;
export type IrqInfoFlagName = keyof typeof VFIO_IRQ_INFO;
export interface IrqInfo { argsz: number; flags: number; index: number; count: number }
export const irqInfo = {
  encode: (i: IrqInfo, size = VFIO_IRQ_INFO_SIZE): Uint8Array =>
    new StructWriter(Math.max(size, VFIO_IRQ_INFO_SIZE)).u32(0, i.argsz).u32(4, i.flags).u32(8, i.index).u32(12, i.count).bytes.slice(0, size),
  decode: (b: Uint8Array): IrqInfo => {
    const r = new StructReader(padTo(b, VFIO_IRQ_INFO_SIZE));
    return { argsz: r.u32(0), flags: r.u32(4), index: r.u32(8), count: r.u32(12) };
  },
};

// --- values in a chosen byte order ---------------------------------------------------

export function uintBytes(value: bigint | number, size: number, order: ByteOrder): Uint8Array {
  const out = new Uint8Array(size);
  let v = BigInt(value);
  for (let i = 0; i < size; i++) {
    out[order === 'little' ? i : size - 1 - i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

export function uintFrom(bytes: Uint8Array, order: ByteOrder): bigint {
  let v = 0n;
  for (let i = 0; i < bytes.length; i++) v = (v << 8n) | BigInt(bytes[order === 'little' ? bytes.length - 1 - i : i]);
  return v;
}

export function padTo(b: Uint8Array, length: number): Uint8Array {
  if (b.length >= length) return b;
  const out = new Uint8Array(length);
  out.set(b);
  return out;
}

export function hexBytes(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
}
