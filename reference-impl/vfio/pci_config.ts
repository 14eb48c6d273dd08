// A type-0 PCI configuration header as a VFIO user sees it through region 7:
// ids, command register, and memory BARs that answer the all-ones sizing probe.
import { fail } from '../kernel/errno';

export interface BarSpec { index: number; size: number; io?: boolean }

export class PciConfig {
  readonly bytes = new Uint8Array(256);
  private readonly bars = new Map<number, BarSpec>();

  constructor(vendor: number, device: number, bars: BarSpec[], classCode = 0xff0000) {
    const v = new DataView(this.bytes.buffer);
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
    }
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
}
