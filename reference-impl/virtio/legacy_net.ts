// A member device (an SR-IOV VF) as its legacy interface sees it: a virtio-net
// device with the legacy common header and the legacy virtio-net config. The
// owner's legacy admin commands and the notify addresses reach it here. Every
// access is checked against one field; values travel little-endian, as the
// legacy admin commands require.
import { Mutations } from '../kernel/mutations';
import {
  fieldOf, LegacyField, legacyCommonFields, legacyNetFields, uintBytes, uintFrom, VIRTIO_CONFIG_S, VIRTIO_F, VIRTIO_MSI_NO_VECTOR,
  VIRTIO_NET_F, VIRTIO_NET_S_LINK_UP, VIRTIO_PCI_ISR,
} from '../../support/uapi/virtio';

// rx/tx for two queue pairs, then the control queue.
export const NET_QUEUES = 5;
export const NET_QUEUE_SIZE = 256;
export const NET_MAX_VQ_PAIRS = 2;
export const NET_MTU = 1500;
export const MSIX_TABLE_SIZE = 4;

// What the member offers: legacy-visible bits below 32, modern-only bits above.
export const MEMBER_FEATURES =
  (1n << BigInt(VIRTIO_NET_F.MTU)) | (1n << BigInt(VIRTIO_NET_F.MAC)) | (1n << BigInt(VIRTIO_NET_F.STATUS)) |
  (1n << BigInt(VIRTIO_NET_F.MQ)) | (1n << 28n) /* INDIRECT_DESC */ |
  (1n << BigInt(VIRTIO_F.VERSION_1)) | (1n << BigInt(VIRTIO_F.ACCESS_PLATFORM)) | (1n << BigInt(VIRTIO_F.ORDER_PLATFORM));

interface Queue { pfn: number; vector: number }

export class LegacyNetMember {
  guestFeatures = 0;
  queueSel = 0;
  queues: Queue[] = [];
  status = 0;
  isr = 0;
  configVector = VIRTIO_MSI_NO_VECTOR;
  lastNotify = 0;
  // Set while MSI-X is enabled on the function (by whoever drives the VF).
  msixEnabled = false;
  mac: Uint8Array;
  linkUp = true;

  constructor(readonly index: number, private readonly mutations: Mutations) {
    this.mac = Uint8Array.of(0x52, 0x54, 0x00, 0x12, 0x34, 0x50 + index);
    this.reset();
  }

  // Device reset: everything the driver set up goes back to its initial value.
  reset(): void {
    this.guestFeatures = 0;
    this.queueSel = 0;
    this.queues = Array.from({ length: NET_QUEUES }, () => ({ pfn: 0, vector: VIRTIO_MSI_NO_VECTOR }));
    this.status = 0;
    this.isr = 0;
    this.configVector = VIRTIO_MSI_NO_VECTOR;
    this.lastNotify = 0;
  }

  get hostFeatures(): number {
    return Number(MEMBER_FEATURES & 0xffffffffn);
  }

  // --- the legacy common header -------------------------------------------------
  commonFields(): LegacyField[] {
    return legacyCommonFields(this.msixEnabled);
  }

  private field(fields: LegacyField[], offset: number, size: number): LegacyField | undefined {
    if (this.mutations.on('legacy-field-span-accepted')) {
      const end = fields.reduce((n, f) => Math.max(n, f.offset + f.size), 0);
      return size >= 1 && offset + size <= end ? fields.find((f) => offset < f.offset + f.size) : undefined;
    }
    return fieldOf(fields, offset, size);
  }

  commonRead(offset: number, size: number): Uint8Array | undefined {
    const fields = this.commonFields();
    const f = this.field(fields, offset, size);
    if (!f) return undefined;
    const bytes = this.regionBytes(fields, (g) => this.commonValue(g.name), offset, size);
    if (f.name === 'ISR' && !this.mutations.on('isr-not-cleared-on-read')) this.isr = 0;
    return bytes;
  }

  commonWrite(offset: number, payload: Uint8Array): boolean {
    const fields = this.commonFields();
    const f = this.field(fields, offset, payload.length);
    if (!f) return false;
    // Merge the bytes into the field, then apply the field's write.
    const current = uintBytes(this.commonValue(f.name), f.size, 'little');
    current.set(payload.subarray(0, f.offset + f.size - offset), offset - f.offset);
    this.commonStore(f, Number(uintFrom(current, this.dataOrder())));
    return true;
  }

  private commonValue(name: string): number {
    const q = this.queues[this.queueSel];
    switch (name) {
      case 'HOST_FEATURES': return this.hostFeatures;
      case 'GUEST_FEATURES': return this.guestFeatures;
      case 'QUEUE_PFN': return q ? q.pfn : 0;
      case 'QUEUE_NUM': return q ? NET_QUEUE_SIZE : 0;
      case 'QUEUE_SEL': return this.queueSel;
      case 'QUEUE_NOTIFY': return this.lastNotify;
      case 'STATUS': return this.status;
      case 'ISR': return this.isr;
      case 'MSI_CONFIG_VECTOR': return this.configVector;
      case 'MSI_QUEUE_VECTOR': return q ? q.vector : VIRTIO_MSI_NO_VECTOR;
      default: return 0;
    }
  }

  private commonStore(f: LegacyField, value: number): void {
    const q = this.queues[this.queueSel];
    switch (f.name) {
      case 'GUEST_FEATURES':
        // Only offered bits can be accepted; bits 32-63 are out of reach here.
        this.guestFeatures = (value & this.hostFeatures) >>> 0;
        return;
      case 'QUEUE_PFN':
        if (q) q.pfn = value >>> 0;
        return;
      case 'QUEUE_SEL':
        this.queueSel = value;
        return;
      case 'QUEUE_NOTIFY':
        this.notify(value);
        return;
      case 'STATUS':
        if (value === 0 && !this.mutations.on('status-zero-does-not-reset')) this.reset();
        else this.status = value;
        return;
      case 'MSI_CONFIG_VECTOR':
        this.configVector = this.mapVector(value);
        return;
      case 'MSI_QUEUE_VECTOR':
        if (q) q.vector = this.mapVector(value);
        return;
      default:
        return; // read-only fields ignore writes, as a legacy device does
    }
  }

  // A vector the table cannot hold reads back as NO_VECTOR.
  private mapVector(value: number): number {
    return value < MSIX_TABLE_SIZE || value === VIRTIO_MSI_NO_VECTOR ? value : VIRTIO_MSI_NO_VECTOR;
  }

  // A notification of a queue the driver set up makes the device use it and
  // interrupt: with MSI-X off that shows as ISR bit 0.
  notify(queue: number): void {
    this.lastNotify = queue;
    const q = this.queues[queue];
    if (!q || q.pfn === 0 || !(this.status & VIRTIO_CONFIG_S.DRIVER_OK)) return;
    if (!this.msixEnabled) this.isr |= VIRTIO_PCI_ISR.QUEUE;
  }

  // --- the legacy virtio-net config -----------------------------------------------
  deviceRead(offset: number, size: number): Uint8Array | undefined {
    const fields = legacyNetFields();
    if (!this.field(fields, offset, size)) return undefined;
    return this.regionBytes(fields, (g) => this.netValue(g.name), offset, size);
  }

  deviceWrite(offset: number, payload: Uint8Array): boolean {
    const fields = legacyNetFields();
    const f = this.field(fields, offset, payload.length);
    if (!f) return false;
    if (f.name === 'mac') this.mac.set(payload.subarray(0, 6 - (offset - f.offset)), offset - f.offset);
    return true; // status, max_virtqueue_pairs and mtu are read-only
  }

  private netValue(name: string): bigint {
    switch (name) {
      case 'mac': return uintFrom(this.mac, 'little');
      case 'status': return BigInt(this.linkUp ? VIRTIO_NET_S_LINK_UP : 0);
      case 'max_virtqueue_pairs': return BigInt(NET_MAX_VQ_PAIRS);
      case 'mtu': return BigInt(NET_MTU);
      default: return 0n;
    }
  }

  // Bytes of a region as the device encodes it (little-endian fields), cut to the access.
  private regionBytes(fields: LegacyField[], value: (f: LegacyField) => number | bigint, offset: number, size: number): Uint8Array {
    const end = fields.reduce((n, f) => Math.max(n, f.offset + f.size), 0);
    const region = new Uint8Array(end);
    for (const f of fields) region.set(uintBytes(value(f), f.size, this.dataOrder()), f.offset);
    return region.slice(offset, offset + size);
  }

  // The legacy admin commands carry data little-endian, unconditionally.
  private dataOrder(): 'little' | 'big' {
    return this.mutations.on('legacy-data-big-endian') ? 'big' : 'little';
  }
}
