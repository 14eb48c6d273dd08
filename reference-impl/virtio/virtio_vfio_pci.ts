// virtio-vfio-pci (drivers/vfio/pci/virtio/): a vfio-pci variant driver for
// virtio-net VFs. When the VF has no BAR0 and its PF accepted every legacy
// admin command, it shows the guest a transitional device: config space
// overrides, and an emulated 32-byte I/O BAR0 whose accesses become legacy
// admin commands on the PF, except 2-byte Queue Notify accesses, which go
// straight to the notify address NOTIFY_INFO reported. Otherwise the VF
// behaves as under plain vfio-pci.
import type { TraceEvent } from '../../support/contract/ops-virtio';
import { toHex } from '../../support/uapi/bytes';
import {
  ADMIN_OPCODE, ByteOrder, irqInfo, irqSet, VFIO_DEVICE_GET_IRQ_INFO, VFIO_IRQ_INFO, VFIO_IRQ_INFO_SIZE, LEGACY_BAR0_SIZE, NOTIFY_FLAGS, PCI_BASE_ADDRESS_SPACE_IO, PCI_COMMAND_IO, PCI_CONFIG,
  PCI_VENDOR_ID_REDHAT_QUMRANET, uintBytes, uintFrom, VFIO_DEVICE_SET_IRQS, VFIO_IRQ_SET, VFIO_IRQ_SET_HEADER_SIZE,
  VFIO_PCI_BAR0_REGION_INDEX, VFIO_PCI_CONFIG_REGION_INDEX, VFIO_PCI_IRQ_INDEX, VFIO_REGION_INFO_FLAG, VIRTIO_ID_NET,
  VIRTIO_PCI, VIRTIO_TRANS_ID_NET, virtioPciConfigOff,
} from '../../support/uapi/virtio';
import { fail } from '../kernel/errno';
import { Mutations } from '../kernel/mutations';
import { Process } from '../kernel/process';
import { PciConfig } from '../vfio/pci_config';
import { CoreConfig, RegionInfo, VfioDevice, VfioDriver } from '../vfio/vfio_main';
import { LegacyNetMember, MSIX_TABLE_SIZE } from './legacy_net';
import { BarSpec, VirtioOwner } from './owner';
import { PciAddress, sysfsPath } from './sriov';
import { VirtioPciDriver } from './virtio_pci';

const IRQ = VFIO_PCI_IRQ_INDEX;
type IrqType = 'none' | 'intx' | 'msi' | 'msix';
const VF_MSI_VECTORS = 1;

// The simulated NIC's own subsystem ids and revision, which the emulation hides.
const VF_SUBSYSTEM_VENDOR = 0x1d0f;
const VF_SUBSYSTEM_ID = 0x0041;
const VF_REVISION = 0x01;
const NET_CLASS = 0x020000;

export interface VirtioVfContext {
  address: PciAddress;
  vfIndex: number;
  owner: VirtioOwner;
  pfDriver: VirtioPciDriver | undefined; // undefined: the PF is not bound to virtio-pci
  vfBars: BarSpec[];
  legacyBuilt: boolean; // the kernel was built with the legacy I/O support
  hostOrder: ByteOrder;
  trace: TraceEvent[];
}

// Copy `value` over the part of [pos, pos + out.length) it overlaps.
function overlay(out: Uint8Array, pos: number, register: number, value: Uint8Array, alignedOnly: boolean): void {
  if (alignedOnly && (pos !== register || out.length < value.length)) return;
  for (let i = 0; i < value.length; i++) {
    const at = register + i - pos;
    if (at >= 0 && at < out.length) out[at] = value[i];
  }
}

export class VirtioVfioPciDriver implements VfioDriver {
  readonly migration_flags = 0;
  readonly pci_core = true;
  readonly trans: boolean;
  private readonly config: PciConfig;
  // Shadows of what the user wrote to the command register and BAR0 (little-endian, as in config space).
  private pci_cmd = 0;
  private pci_base_addr_0 = 0;
  private irqType: IrqType = 'none';
  // The bytes of every BAR0 access pass through this buffer, as in the kernel.
  private readonly bar0Buf = new Uint8Array(LEGACY_BAR0_SIZE);
  private notifyBar = 0;
  private notifyOffset = 0n;

  constructor(private readonly vf: VirtioVfContext, private readonly mutations: Mutations) {
    this.config = new PciConfig(PCI_VENDOR_ID_REDHAT_QUMRANET, 0x1041, vf.vfBars.map((b) => ({ index: b.index, size: b.size, io: b.io })), NET_CLASS);
    const v = new DataView(this.config.bytes.buffer);
    v.setUint8(PCI_CONFIG.REVISION_ID, VF_REVISION);
    v.setUint16(PCI_CONFIG.SUBSYSTEM_VENDOR_ID, VF_SUBSYSTEM_VENDOR, true);
    v.setUint16(PCI_CONFIG.SUBSYSTEM_ID, VF_SUBSYSTEM_ID, true);
    const bar0Exists = vf.vfBars.some((b) => b.index === 0);
    // virtiovf_support_legacy_io(): a VF, no BAR0, and a PF with every legacy command.
    this.trans = vf.legacyBuilt && !!vf.pfDriver?.has_legacy_io() && !bar0Exists;
    if (this.trans) {
      // virtiovf_read_notify_info(): without a member entry the device is not created.
      const { bar, offset } = vf.pfDriver!.notifyInfo(vf.vfIndex, NOTIFY_FLAGS.MEMBER_BAR, vf.trace);
      this.notifyBar = bar;
      this.notifyOffset = offset;
    }
  }

  get member(): LegacyNetMember {
    return this.vf.owner.members[this.vf.vfIndex];
  }

  open_device(): void {}

  close_device(): void {
    // vfio_pci_core_disable() tears interrupts down.
    this.setIrqType('none');
  }

  // VFIO_DEVICE_RESET: a function-level reset of the VF, then the driver's reset_done hook.
  reset(): void {
    this.member.reset();
    if (this.trans && !this.mutations.on('reset-keeps-io-enable')) this.pci_cmd = 0;
  }

  region_info(index: number): RegionInfo {
    if (index === VFIO_PCI_CONFIG_REGION_INDEX) return { flags: VFIO_REGION_INFO_FLAG.READ | VFIO_REGION_INFO_FLAG.WRITE, size: 256n };
    if (index === VFIO_PCI_BAR0_REGION_INDEX && this.trans) {
      const mmap = this.mutations.on('bar0-region-mmap') ? VFIO_REGION_INFO_FLAG.MMAP : 0;
      return { flags: VFIO_REGION_INFO_FLAG.READ | VFIO_REGION_INFO_FLAG.WRITE | mmap, size: BigInt(LEGACY_BAR0_SIZE) };
    }
    const bar = this.vf.vfBars.find((b) => b.index === index);
    if (!bar) return { flags: 0, size: 0n };
    const mmap = bar.io ? 0 : VFIO_REGION_INFO_FLAG.MMAP;
    return { flags: VFIO_REGION_INFO_FLAG.READ | VFIO_REGION_INFO_FLAG.WRITE | mmap, size: BigInt(bar.size) };
  }

  region_read(index: number, offset: bigint, count: number): Uint8Array {
    if (count === 0) return new Uint8Array(0);
    const pos = Number(offset);
    if (index === VFIO_PCI_CONFIG_REGION_INDEX) return this.trans ? this.readConfigTrans(pos, count) : this.readConfigPlain(pos, count);
    if (index === VFIO_PCI_BAR0_REGION_INDEX && this.trans) return this.bar0Read(pos, count);
    return this.barAccess(index, pos, count, undefined);
  }

  region_write(index: number, offset: bigint, data: Uint8Array): number {
    if (data.length === 0) return 0;
    const pos = Number(offset);
    if (index === VFIO_PCI_CONFIG_REGION_INDEX) {
      if (this.trans) this.writeConfigShadows(pos, data);
      return this.writeConfigPlain(pos, data);
    }
    if (index === VFIO_PCI_BAR0_REGION_INDEX && this.trans) return this.bar0Write(pos, data);
    this.barAccess(index, pos, data.length, data);
    return data.length;
  }

  // --- config space -------------------------------------------------------------------
  private readConfigPlain(pos: number, count: number): Uint8Array {
    return this.config.read(pos, count);
  }

  private writeConfigPlain(pos: number, data: Uint8Array): number {
    const n = this.config.write(pos, data);
    // A VF decodes no I/O space and an unimplemented BAR stays zero.
    this.config.bytes[PCI_CONFIG.COMMAND] &= ~PCI_COMMAND_IO;
    for (let bar = 0; bar < 6; bar++) {
      if (!this.vf.vfBars.some((b) => b.index === bar)) this.config.bytes.fill(0, 0x10 + bar * 4, 0x14 + bar * 4);
    }
    return n;
  }

  private writeConfigShadows(pos: number, data: Uint8Array): void {
    const capture = (register: number, size: number, current: number): number => {
      const bytes = uintBytes(current, size, 'little');
      for (let i = 0; i < size; i++) {
        const at = register + i - pos;
        if (at >= 0 && at < data.length) bytes[i] = data[at];
      }
      return Number(uintFrom(bytes, 'little'));
    };
    this.pci_cmd = capture(PCI_CONFIG.COMMAND, 2, this.pci_cmd);
    this.pci_base_addr_0 = capture(PCI_CONFIG.BASE_ADDRESS_0, 4, this.pci_base_addr_0);
  }

  private readConfigTrans(pos: number, count: number): Uint8Array {
    const out = this.readConfigPlain(pos, count);
    const aligned = this.mutations.on('config-overlay-aligned-only');
    const le16 = (v: number) => uintBytes(v, 2, 'little');
    overlay(out, pos, PCI_CONFIG.DEVICE_ID, le16(VIRTIO_TRANS_ID_NET), aligned);
    if (this.pci_cmd & PCI_COMMAND_IO) {
      const underlying = Number(uintFrom(this.readConfigPlain(PCI_CONFIG.COMMAND, 2), 'little'));
      overlay(out, pos, PCI_CONFIG.COMMAND, le16(underlying | PCI_COMMAND_IO), aligned);
    }
    if (!this.mutations.on('revision-not-zeroed')) overlay(out, pos, PCI_CONFIG.REVISION_ID, Uint8Array.of(0), aligned);
    const barMask = this.mutations.on('bar0-size-mask-16') ? ~(16 - 1) : ~(LEGACY_BAR0_SIZE - 1);
    const bar0 = ((this.pci_base_addr_0 & barMask) | PCI_BASE_ADDRESS_SPACE_IO) >>> 0;
    overlay(out, pos, PCI_CONFIG.BASE_ADDRESS_0, uintBytes(bar0, 4, 'little'), aligned);
    overlay(out, pos, PCI_CONFIG.SUBSYSTEM_ID, le16(VIRTIO_ID_NET), aligned);
    overlay(out, pos, PCI_CONFIG.SUBSYSTEM_VENDOR_ID, le16(PCI_VENDOR_ID_REDHAT_QUMRANET), aligned);
    return out;
  }

  // --- the emulated BAR0 (virtiovf_pci_bar0_rw) ------------------------------------------
  private bar0Checks(pos: number, count: number): void {
    if (!(this.pci_cmd & PCI_COMMAND_IO) && !this.mutations.on('io-enable-not-required')) fail('EIO', 'I/O decoding is not enabled');
    const end = this.mutations.on('bar0-end-off-by-one') ? LEGACY_BAR0_SIZE - 1 : LEGACY_BAR0_SIZE;
    if (pos + count > end) fail('EINVAL', 'beyond the emulated BAR0');
    const notifyWidthChecked = !this.mutations.on('notify-any-width-forwarded');
    if (pos === VIRTIO_PCI.QUEUE_NOTIFY && count !== 2 && notifyWidthChecked) fail('EINVAL', 'Queue Notify takes exactly 2 bytes');
  }

  private isNotify(pos: number, count: number): boolean {
    if (this.mutations.on('notify-sent-as-admin-command')) return false;
    return pos === VIRTIO_PCI.QUEUE_NOTIFY && (count === 2 || this.mutations.on('notify-any-width-forwarded'));
  }

  private bar0Read(pos: number, count: number): Uint8Array {
    this.bar0Checks(pos, count);
    if (this.isNotify(pos, count)) {
      const data = new Uint8Array(count); // the notify area reads as zero
      this.vf.trace.push({ kind: 'notify', access: 'read', function: sysfsPath(this.vf.address), bar: this.notifyBar, offset: `${this.notifyOffset}`, data: toHex(data) });
      return data;
    }
    const { opcode, offset } = this.route(pos, true);
    const result = this.vf.pfDriver!.legacyIoRead(this.vf.vfIndex, opcode, offset, count, this.vf.trace);
    this.bar0Buf.set(result, pos);
    return this.bar0Buf.slice(pos, pos + count);
  }

  private bar0Write(pos: number, data: Uint8Array): number {
    this.bar0Checks(pos, data.length);
    if (this.isNotify(pos, data.length)) {
      // vfio_pci_core_iowrite16(): the CPU value of the user's bytes, stored little-endian on the bus.
      const value = uintFrom(data.subarray(0, 2), this.vf.hostOrder);
      const bus = data.length === 2 ? uintBytes(value, 2, 'little') : data;
      this.vf.trace.push({ kind: 'notify', access: 'write', function: sysfsPath(this.vf.address), bar: this.notifyBar, offset: `${this.notifyOffset}`, data: toHex(bus) });
      this.vf.owner.notifyAt(this.vf.vfIndex + 1, NOTIFY_FLAGS.MEMBER_BAR, this.notifyBar, this.notifyOffset, bus);
      return data.length;
    }
    this.bar0Buf.set(data, pos);
    const { opcode, offset } = this.route(pos, false);
    this.vf.pfDriver!.legacyIoWrite(this.vf.vfIndex, opcode, offset, this.bar0Buf.slice(pos, pos + data.length), this.vf.trace);
    return data.length;
  }

  // Below the device-config offset: the common header; from it on: the device config.
  private route(pos: number, read: boolean): { opcode: number; offset: number } {
    // Only MSI-X moves the device config; MSI leaves it at 20.
    const msix = (this.irqType === 'msix' || (this.irqType === 'msi' && this.mutations.on('devcfg-offset-24-under-msi')))
      && !this.mutations.on('devcfg-offset-ignores-msix');
    const configOff = virtioPciConfigOff(msix);
    const common = pos < configOff;
    const opcode = common
      ? (read ? ADMIN_OPCODE.LEGACY_COMMON_CFG_READ : ADMIN_OPCODE.LEGACY_COMMON_CFG_WRITE)
      : (read ? ADMIN_OPCODE.LEGACY_DEV_CFG_READ : ADMIN_OPCODE.LEGACY_DEV_CFG_WRITE);
    return { opcode, offset: common ? pos : pos - configOff };
  }

  // Other BARs of the VF: the notify area lives there; the rest reads as zero.
  private barAccess(index: number, pos: number, count: number, data: Uint8Array | undefined): Uint8Array {
    const bar = this.vf.vfBars.find((b) => b.index === index);
    if (!bar || index > 5) fail('EINVAL', `region ${index} is not implemented`);
    if (pos + count > bar.size) fail('EINVAL', 'beyond the BAR');
    if (data) this.vf.owner.notifyAt(this.vf.vfIndex + 1, NOTIFY_FLAGS.MEMBER_BAR, index, BigInt(pos), data);
    return new Uint8Array(count);
  }

  // --- VFIO_DEVICE_SET_IRQS (vfio_pci_set_irqs_ioctl), reduced to what decides irq_type ---
  setIrqs(arg: Uint8Array): number {
    if (arg.length < VFIO_IRQ_SET_HEADER_SIZE) fail('EFAULT', 'vfio_irq_set unreadable');
    const s = irqSet.decode(arg);
    if (s.argsz < VFIO_IRQ_SET_HEADER_SIZE) fail('EINVAL', 'argsz smaller than vfio_irq_set');
    const dataType = s.flags & (VFIO_IRQ_SET.DATA_NONE | VFIO_IRQ_SET.DATA_BOOL | VFIO_IRQ_SET.DATA_EVENTFD);
    const action = s.flags & (VFIO_IRQ_SET.ACTION_MASK | VFIO_IRQ_SET.ACTION_UNMASK | VFIO_IRQ_SET.ACTION_TRIGGER);
    const oneBit = (v: number) => v !== 0 && (v & (v - 1)) === 0;
    if (!oneBit(dataType) || !oneBit(action)) fail('EINVAL', 'exactly one data type and one action');
    if (s.index > IRQ.REQ) fail('EINVAL', 'no such interrupt index');
    const wanted: IrqType | undefined = s.index === IRQ.MSIX ? 'msix' : s.index === IRQ.MSI ? 'msi' : s.index === IRQ.INTX ? 'intx' : undefined;
    if (!wanted || action !== VFIO_IRQ_SET.ACTION_TRIGGER) fail('ENOTTY', 'only interrupt triggers are modelled');
    if (dataType === VFIO_IRQ_SET.DATA_NONE && s.count === 0) {
      if (this.irqType === wanted) this.setIrqType('none');
      return 0;
    }
    if (dataType !== VFIO_IRQ_SET.DATA_EVENTFD) fail('EINVAL', 'only eventfd set-up is modelled');
    if (this.irqType !== 'none' && this.irqType !== wanted && !this.mutations.on('irq-type-switch-allowed')) fail('EINVAL', 'another interrupt type is active');
    const max = this.irqCount(s.index) + (this.mutations.on('irq-vectors-beyond-count') ? 1 : 0);
    if (s.count === 0 || s.start + s.count > max) fail('EINVAL', 'vectors beyond the table');
    if (s.argsz - VFIO_IRQ_SET_HEADER_SIZE < s.count * 4 || s.data.length < s.count * 4) fail('EINVAL', 'eventfd array too short');
    for (let i = 0; i < s.count; i++) {
      const fd = new DataView(s.data.buffer, s.data.byteOffset).getInt32(i * 4, true);
      if (fd !== -1) fail('EBADF', 'the reference takes no eventfds; pass -1 to enable vectors without a trigger');
    }
    this.setIrqType(wanted);
    return 0;
  }

  // vfio_pci_get_irq_count() for a VF: no INTx pin, one MSI vector (its MSI
  // capability offers a single message), the MSI-X table, one error and one request vector.
  private irqCount(index: number): number {
    return [0, VF_MSI_VECTORS, MSIX_TABLE_SIZE, 1, 1][index] ?? 0;
  }

  // --- VFIO_DEVICE_GET_IRQ_INFO (vfio_pci_ioctl_get_irq_info): the first 16 bytes are answered ---
  getIrqInfo(arg: Uint8Array): Uint8Array {
    if (arg.length < VFIO_IRQ_INFO_SIZE) fail('EFAULT', 'vfio_irq_info unreadable');
    const info = irqInfo.decode(arg);
    if (info.argsz < VFIO_IRQ_INFO_SIZE && !this.mutations.on('irq-info-argsz-unchecked')) fail('EINVAL', 'argsz smaller than vfio_irq_info');
    if (info.index > IRQ.REQ && !this.mutations.on('irq-info-index-unchecked')) fail('EINVAL', 'no such interrupt index');
    let flags: number = VFIO_IRQ_INFO.EVENTFD;
    if (info.index === IRQ.INTX) flags |= VFIO_IRQ_INFO.MASKABLE | VFIO_IRQ_INFO.AUTOMASKED;
    else if (info.index !== IRQ.MSI || !this.mutations.on('irq-info-msi-resizable')) flags |= VFIO_IRQ_INFO.NORESIZE; // no dynamic MSI-X on this host
    const out = arg.slice();
    const argsz = this.mutations.on('irq-info-argsz-rewritten') ? VFIO_IRQ_INFO_SIZE : info.argsz;
    out.set(irqInfo.encode({ argsz, flags, index: info.index, count: this.irqCount(info.index) }));
    return out;
  }

  private setIrqType(type: IrqType): void {
    this.irqType = type;
    // MSI-X enabled on the host is MSI-X enabled on the VF, which moves the legacy device config.
    this.member.msixEnabled = type === 'msix';
  }
}

// The VFIO device of a VF bound to virtio-vfio-pci: the core's device file,
// with the interrupt set-up ioctl handed to the driver.
export class VirtioVfioPciDevice extends VfioDevice {
  constructor(path: string, readonly virtio: VirtioVfioPciDriver, config: CoreConfig, mutations: Mutations) {
    super(path, virtio, config, mutations);
  }

  protected override ioctl(process: Process, request: number, arg: Uint8Array | null): { ret: number; arg: Uint8Array | null } {
    if (request === VFIO_DEVICE_GET_IRQ_INFO) {
      if (!arg) fail('EFAULT', 'no vfio_irq_info');
      return { ret: 0, arg: this.virtio.getIrqInfo(arg) };
    }
    if (request !== VFIO_DEVICE_SET_IRQS) return super.ioctl(process, request, arg);
    if (!arg) fail('EFAULT', 'no vfio_irq_set');
    return { ret: this.virtio.setIrqs(arg), arg };
  }
}
