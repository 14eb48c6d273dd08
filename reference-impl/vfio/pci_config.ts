// A type-0 PCI configuration header as a VFIO user sees it through region 7:
// ids, command register, memory BARs that answer the all-ones sizing probe,
// and optionally a PCI Express capability whose Device Control register
// virtualizes Initiate FLR as vfio_exp_config_write() does.
import { fail } from '../kernel/errno';
import { Mutations } from '../kernel/mutations';

export interface BarSpec { index: number; size: number; io?: boolean }

// The PCI Express capability: at 0x40, the only one in the list.
export const PCIE = {
  CAP: 0x40, ID: 0x10, DEVCAP: 0x04, DEVCTL: 0x08,
  DEVCAP_FLR: 1 << 28, DEVCTL_BCR_FLR: 0x8000,
  STATUS_CAP_LIST: 0x10, CAP_POINTER: 0x34, STATUS: 0x06,
} as const;

export interface PcieSpec {
  flr: boolean; // DEVCAP advertises Function Level Reset
  onFlr: () => void; // pci_try_reset_function(): the reset and the driver's reset_done
  mutations: Mutations;
}

export class PciConfig {
  readonly bytes = new Uint8Array(256);
  private readonly bars = new Map<number, BarSpec>();

  constructor(vendor: number, device: number, bars: BarSpec[], classCode = 0xff0000, private readonly pcie?: PcieSpec) {
    const v = new DataView(this.bytes.buffer);
    if (pcie) {
      v.setUint16(PCIE.STATUS, PCIE.STATUS_CAP_LIST, true);
      this.bytes[PCIE.CAP_POINTER] = PCIE.CAP;
      this.bytes[PCIE.CAP] = PCIE.ID; // next pointer 0: the end of the list
      v.setUint16(PCIE.CAP + 2, 0x0002, true); // capability version 2, PCI Express endpoint
      v.setUint32(PCIE.CAP + PCIE.DEVCAP, pcie.flr ? PCIE.DEVCAP_FLR : 0, true);
    }
    v.setUint16(0x00, vendor, true);
    v.setUint16(0x02, device, true);
    v.setUint32(0x08, classCode << 8, true); // revision 0
    for (const bar of bars) {
      this.bars.set(bar.index, bar);
      v.setUint32(0x10 + bar.index * 4, bar.io ? 0x1 : 0x0, true);
    }
  }

  read(offset: number, count: number): Uint8Array {
    if (offset + count > this.bytes.length) fail('EINVAL', 'beyond config space');
    return this.bytes.slice(offset, offset + count);
  }

  write(offset: number, data: Uint8Array): number {
    if (offset + data.length > this.bytes.length) fail('EINVAL', 'beyond config space');
    const v = new DataView(this.bytes.buffer);
    for (let i = 0; i < data.length; i++) {
      const at = offset + i;
      if (at === 0x04 || at === 0x05) this.bytes[at] = data[i]; // command register
      if (at >= 0x10 && at < 0x28) this.bytes[at] = data[i];
      const devctl = PCIE.CAP + PCIE.DEVCTL;
      if (this.pcie && (at === devctl || at === devctl + 1)) this.bytes[at] = data[i];
    }
    if (this.pcie) this.devctlWritten(offset, data.length);
    // BARs keep their low type bits and report their size to an all-ones probe.
    for (const [index, bar] of this.bars) {
      const at = 0x10 + index * 4;
      if (offset >= at + 4 || offset + data.length <= at) continue;
      const typeBits = bar.io ? 0x1 : 0x0;
      const mask = bar.io ? ~(bar.size - 1) & ~0x3 : ~(bar.size - 1) & ~0xf;
      v.setUint32(at, ((v.getUint32(at, true) & mask) | typeBits) >>> 0, true);
    }
    return data.length;
  }

  // Initiate FLR never sticks (the spec has it read as 0); with FLR in DEVCAP
  // the write resets the function.
  private devctlWritten(offset: number, count: number): void {
    const pcie = this.pcie as PcieSpec;
    const at = PCIE.CAP + PCIE.DEVCTL + 1; // the byte holding bit 15
    if (offset > at || offset + count <= at || !(this.bytes[at] & (PCIE.DEVCTL_BCR_FLR >> 8))) return;
    if (!pcie.mutations.on('flr-bit-sticks')) this.bytes[at] &= ~(PCIE.DEVCTL_BCR_FLR >> 8);
    if (pcie.flr && !pcie.mutations.on('flr-write-ignored')) pcie.onFlr();
  }
}
