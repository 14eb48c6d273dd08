// The translator model: the oracle an exploration of a VF shown to the guest as
// a transitional virtio-net device checks every answer against. It tracks the
// guest's I/O decoding bit, the value it wrote to BAR0 in config space, the
// host's active interrupt type (none, MSI or MSI-X) and what GET_IRQ_INFO
// counts. BAR0 accesses are checked in the translator's order: I/O decoding,
// then the end of the BAR, then the width at Queue Notify, then the command
// sent to the owner at the offset the interrupt type gives the device config.
import fc from 'fast-check';
import { checks } from '../virtio/checks';
import { VFIO_PCI_IRQ_INDEX } from '../uapi/virtio';
import { describeOutcome, expect } from '../world/assert';
import type { TckWorld } from '../world/world';
import type { ExploreWorld } from './world';
import { Counted, type Journal } from './journal';

type Irq = 'none' | 'MSI' | 'MSI-X';
export interface TranslatorModel {
  io: boolean;
  bar0?: number; // the value config space shows at 0x10, once the sequence wrote it
  irq: Irq | 'unknown'; // unknown after a reset with an interrupt type active
  msiCount: number;
  msixCount: number;
  // The member's legacy registers as the guest left them through BAR0: known after a write, ISR 0 after a read.
  queueSelect?: number[];
  status?: number;
  isrRead: boolean;
}
export interface TranslatorReal { world: ExploreWorld; journal: Journal; visited: Set<string> }
type Command = fc.AsyncCommand<TranslatorModel, TranslatorReal>;

const w = (r: TranslatorReal) => r.world as unknown as TckWorld;
const hexN = (v: number, digits: number) => `0x${(v >>> 0).toString(16).padStart(digits, '0')}`;
const byteText = (bytes: number[]) => `0x${bytes.map((b) => b.toString(16).padStart(2, '0')).join('')}`;
const spacedBytes = (bytes: number[]) => bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ');

function succeeds(r: TranslatorReal): void {
  expect(r.world.last?.ok === true, `expected success, got ${describeOutcome(r.world.last)}`);
}
function failsWith(r: TranslatorReal, errno: string): void {
  const last = r.world.last;
  expect(last?.ok === false && last.errno === errno, `expected ${errno}, got ${describeOutcome(last)}`);
}
const SENT_HEADER = ['command', 'offset', 'data', 'read width'];

// Where the device config starts in BAR0 (C-VLEG-058, C-VLEG-073).
const devcfg = (m: TranslatorModel) => (m.irq === 'MSI-X' ? 24 : 20);

// What a BAR0 access must do, in the translator's order of checks.
async function bar0Outcome(m: TranslatorModel, r: TranslatorReal, offset: number, width: number, write?: number[]): Promise<void> {
  const j = r.journal;
  if (!m.io) {
    await j.expect('C-VLEG-051', 'the call fails with EIO', () => failsWith(r, 'EIO'));
    await j.expect('C-VLEG-051', 'the translator sent nothing to the owner', () => checks.translatorSentNothing(w(r)));
    return;
  }
  if (offset + width > 32) {
    await j.expect('C-VLEG-052', 'the call fails with EINVAL', () => failsWith(r, 'EINVAL'));
    await j.expect('C-VLEG-052', 'the translator sent nothing to the owner', () => checks.translatorSentNothing(w(r)));
    return;
  }
  if (width === 0) {
    await j.expect('C-VLEG-053', 'the call succeeds', () => succeeds(r));
    if (!write) await j.expect('C-VLEG-053', 'the data read is 0x', () => checks.dataRead(w(r), new Uint8Array(0)));
    await j.expect('C-VLEG-053', 'the translator sent nothing to the owner', () => checks.translatorSentNothing(w(r)));
    return;
  }
  if (offset === 16) {
    if (width !== 2) {
      await j.expect('C-VLEG-055', 'the call fails with EINVAL', () => failsWith(r, 'EINVAL'));
      await j.expect('C-VLEG-055', 'the translator sent nothing to the owner', () => checks.translatorSentNothing(w(r)));
      return;
    }
    await j.expect('C-VLEG-054', 'the call succeeds', () => succeeds(r));
    const row = { command: `notify ${write ? 'write' : 'read'}`, offset: '', data: write ? spacedBytes(write) : '', 'read width': write ? '' : '2' };
    await j.expect('C-VLEG-054', 'the translator sent', () => checks.translatorSent(w(r), [row]), [SENT_HEADER, Object.values(row)]);
    return;
  }
  const common = offset < devcfg(m);
  const clause = common ? 'C-VLEG-056' : m.irq === 'MSI' ? 'C-VLEG-073' : m.irq === 'MSI-X' ? 'C-VLEG-058' : 'C-VLEG-057';
  await j.expect(clause, 'the call succeeds', () => succeeds(r));
  const row = {
    command: `LEGACY_${common ? 'COMMON' : 'DEV'}_CFG_${write ? 'WRITE' : 'READ'}`, offset: `${common ? offset : offset - devcfg(m)}`,
    data: write ? spacedBytes(write) : '', 'read width': write ? '' : `${width}`,
  };
  await j.expect(clause, 'the translator sent', () => checks.translatorSent(w(r), [row]), [SENT_HEADER, Object.values(row)]);
}

class Bar0Read implements Command {
  constructor(readonly offset: number, readonly width: number) {}
  check(m: TranslatorModel): boolean {
    // Past the common header without MSI-X, the device config of a net device ends before 30.
    if (!m.io) return this.width > 0 && this.offset !== 16 && this.offset + this.width <= 32;
    if (this.offset === 16 && this.width === 2) return false; // a notify read has no fixed meaning here
    if (m.irq === 'unknown' && this.offset + this.width > 20 && this.offset + this.width <= 32) return false;
    if (m.irq !== 'MSI-X' && this.offset >= 30 && this.offset + this.width <= 32) return false;
    if (m.irq === 'MSI-X' && this.offset >= 20 && this.offset < 24 && this.width > 0 && this.offset + this.width <= 32) return this.offset + this.width <= 24;
    return true;
  }
  async run(m: TranslatorModel, r: TranslatorReal): Promise<void> {
    await r.journal.act('C-VLEG-056', 'When', `the guest reads ${this.width} byte${this.width === 1 ? '' : 's'} of BAR0 at offset ${this.offset}`, () => r.world.virtio.bar0Read(this.offset, this.width));
    await bar0Outcome(m, r, this.offset, this.width);
    if (m.io && r.world.last?.ok === true) {
      const known = this.offset === 14 && this.width === 2 ? m.queueSelect : this.offset === 18 && this.width === 1 && m.status !== undefined ? [m.status]
        : this.offset === 19 && this.width === 1 && m.isrRead ? [0] : undefined;
      if (known) {
        const clause = this.offset === 19 ? 'C-VLEG-041' : this.offset === 18 ? 'C-VLEG-042' : 'C-VLEG-059';
        await r.journal.expect(clause, `the data read is ${byteText(known)}`, () => checks.dataRead(w(r), Uint8Array.from(known)));
      }
      if (this.offset === 19 && this.width === 1) m.isrRead = true;
    }
    r.visited.add(`bar0 read${m.io ? '' : ' without I/O'} under ${m.irq}`);
  }
  toString(): string {
    return `bar0Read(${this.offset}, ${this.width})`;
  }
}

class Bar0Write implements Command {
  constructor(readonly offset: number, readonly bytes: number[]) {}
  check(m: TranslatorModel): boolean {
    return m.io || (this.bytes.length > 0 && this.offset !== 16 && this.offset + this.bytes.length <= 32);
  }
  async run(m: TranslatorModel, r: TranslatorReal): Promise<void> {
    await r.journal.act('C-VLEG-056', 'When', `the guest writes ${byteText(this.bytes)} to BAR0 at offset ${this.offset}`, () => r.world.virtio.bar0Write(this.offset, Uint8Array.from(this.bytes)));
    await bar0Outcome(m, r, this.offset, this.bytes.length, this.bytes);
    if (m.io && r.world.last?.ok === true) {
      if (this.offset === 14) m.queueSelect = this.bytes;
      else if (this.offset === 18 && this.bytes[0] === 0) Object.assign(m, { status: 0, queueSelect: [0, 0] }); // a reset of the member (C-VLEG-042)
      else if (this.offset === 16) m.isrRead = false; // a notify may raise ISR
    }
    r.visited.add(`bar0 write${m.io ? '' : ' without I/O'}`);
  }
  toString(): string {
    return `bar0Write(${this.offset}, ${byteText(this.bytes)})`;
  }
}

class Command16 implements Command {
  constructor(readonly enable: boolean) {}
  check(): boolean {
    return true;
  }
  async run(m: TranslatorModel, r: TranslatorReal): Promise<void> {
    const j = r.journal;
    await j.act('C-VLEG-050', 'When', `the guest writes ${this.enable ? '0x0100' : '0x0000'} to config space at offset 0x04`, () => r.world.virtio.configWrite(4, Uint8Array.from([this.enable ? 1 : 0, 0])));
    await j.expect('C-VLEG-050', 'the call succeeds', () => succeeds(r));
    m.io = this.enable;
    await j.expect('C-VLEG-050', `bit 0x1 of the 2-byte config register at 0x04 is ${m.io ? 'set' : 'clear'}`, () => checks.configBit(w(r), 0x1, 0x04, m.io ? 'set' : 'clear'));
    r.visited.add(m.io ? 'I/O enabled' : 'I/O disabled');
  }
  toString(): string {
    return `command(${this.enable ? 'io' : 'none'})`;
  }
}

// The registers the translator overrides, whole and in part (C-VLEG-048).
const OVERRIDES: [number, number, number, string][] = [
  [0x00, 2, 0x1af4, 'vendor id'], [0x02, 2, 0x1000, 'device id'], [0x08, 1, 0x00, 'revision id'], [0x2c, 2, 0x1af4, 'subsystem vendor id'],
  [0x2e, 2, 0x0001, 'subsystem id'], [0x00, 4, 0x10001af4, 'vendor and device id'], [0x03, 1, 0x10, 'upper byte of the device id'],
  [0x01, 2, 0x001a, 'upper vendor byte, lower device id byte'], [0x2c, 4, 0x00011af4, 'subsystem ids'], [0x2d, 2, 0x011a, 'across the subsystem ids'],
];

class ConfigRead implements Command {
  constructor(readonly which: number) {}
  check(m: TranslatorModel): boolean {
    return this.which < OVERRIDES.length || m.bar0 !== undefined;
  }
  async run(m: TranslatorModel, r: TranslatorReal): Promise<void> {
    const [offset, width, value, register, clause] = this.which < OVERRIDES.length ? [...OVERRIDES[this.which], 'C-VLEG-048'] : [0x10, 4, m.bar0 as number, 'BAR0', 'C-VLEG-049'];
    const row = [hexN(offset, 2), `${width}`, hexN(value, width * 2), register];
    await r.journal.expect(clause, 'config space reads', () => checks.configReads(w(r), [{ offset: row[0], width: row[1], value: row[2], register }]), [['offset', 'width', 'value', 'register'], row]);
    r.visited.add(`config ${register}`);
  }
  toString(): string {
    return `configRead(${this.which})`;
  }
}

class Bar0Place implements Command {
  constructor(readonly value: number) {}
  check(): boolean {
    return true;
  }
  async run(m: TranslatorModel, r: TranslatorReal): Promise<void> {
    const bytes = [0, 1, 2, 3].map((i) => (this.value >>> (8 * i)) & 0xff);
    await r.journal.act('C-VLEG-049', 'When', `the guest writes ${byteText(bytes)} to config space at offset 0x10`, () => r.world.virtio.configWrite(0x10, Uint8Array.from(bytes)));
    await r.journal.expect('C-VLEG-049', 'the call succeeds', () => succeeds(r));
    m.bar0 = ((this.value & ~0x1f) | 0x1) >>> 0;
    r.visited.add('BAR0 placed');
  }
  toString(): string {
    return `bar0Place(${hexN(this.value, 8)})`;
  }
}

class RegionInfo implements Command {
  check(): boolean {
    return true;
  }
  async run(m: TranslatorModel, r: TranslatorReal): Promise<void> {
    await r.journal.expect('C-VLEG-061', 'region 0 of the VF has offset 0, size 32 and flags 0x3', () => checks.regionInfo(w(r), 0, 0, 32, 0x3));
    r.visited.add(`region info under ${m.irq}`);
  }
  toString(): string {
    return 'regionInfo';
  }
}

class ResetVf implements Command {
  check(): boolean {
    return true;
  }
  async run(m: TranslatorModel, r: TranslatorReal): Promise<void> {
    await r.journal.act('C-VLEG-062', 'When', 'the VF is reset', () => r.world.virtio.resetVf());
    await r.journal.expect('C-VLEG-062', 'the call succeeds', () => succeeds(r));
    m.io = false;
    Object.assign(m, { queueSelect: undefined, status: undefined, isrRead: false });
    // What a reset does to an active interrupt type is not fixed here.
    if (m.irq !== 'none') m.irq = 'unknown';
    r.visited.add('VF reset');
  }
  toString(): string {
    return 'resetVf';
  }
}

// GET_IRQ_INFO answers (C-VLEG-076).
const IRQ_INFO: Record<number, [string, string]> = {
  0: ['EVENTFD, MASKABLE, AUTOMASKED', '0'], 1: ['EVENTFD, NORESIZE', '0 or a power of two up to 32'],
  2: ['EVENTFD, perhaps NORESIZE', 'at least 1'], 3: ['EVENTFD, NORESIZE', '1'], 4: ['EVENTFD, NORESIZE', '1'],
};

class IrqInfo implements Command {
  constructor(readonly index: number, readonly argsz: number) {}
  check(): boolean {
    return true;
  }
  async run(m: TranslatorModel, r: TranslatorReal): Promise<void> {
    const j = r.journal;
    await j.act('C-VLEG-076', 'When', `VFIO_DEVICE_GET_IRQ_INFO is issued on the VF for index ${this.index > 9 ? hexN(this.index, 8) : this.index} with argsz ${this.argsz}`, () => r.world.virtio.irqInfo(this.index, this.argsz));
    const answer = IRQ_INFO[this.index];
    if (this.argsz < 16 || !answer) {
      await j.expect('C-VLEG-076', 'the call fails with EINVAL', () => failsWith(r, 'EINVAL'));
      return;
    }
    await j.expect('C-VLEG-076', `the IRQ info has argsz ${this.argsz}, index ${this.index}, flags "${answer[0]}" and count "${answer[1]}"`,
      () => checks.irqInfoIs(w(r), this.argsz, this.index, answer[0], answer[1]));
    r.visited.add(`irq info ${this.index}`);
  }
  toString(): string {
    return `irqInfo(${this.index}, ${this.argsz})`;
  }
}

// Enabling MSI or MSI-X: one vector, or count + 1 vectors, with no type active or with the other one active.
class EnableIrq implements Command {
  constructor(readonly kind: 'MSI' | 'MSI-X', readonly beyond: boolean) {}
  check(m: TranslatorModel): boolean {
    if (m.irq === 'unknown' || m.irq === this.kind) return false;
    if ((this.kind === 'MSI' ? m.msiCount : m.msixCount) === 0) return false;
    return !(this.beyond && m.irq !== 'none');
  }
  async run(m: TranslatorModel, r: TranslatorReal): Promise<void> {
    const j = r.journal;
    const index = this.kind === 'MSI' ? VFIO_PCI_IRQ_INDEX.MSI : VFIO_PCI_IRQ_INDEX.MSIX;
    if (this.beyond) {
      await j.act('C-VLEG-075', 'When', `the host tries to enable "count + 1" vectors of interrupt index ${index}`, () => r.world.virtio.tryEnableCounted(index, 'count + 1'));
      await j.expect('C-VLEG-075', 'the call fails with EINVAL', () => failsWith(r, 'EINVAL'));
      r.visited.add(`${this.kind} beyond count`);
      return;
    }
    await j.act('C-VLEG-074', 'When', `the host tries to enable ${this.kind} for the VF`, () => r.world.virtio.tryEnableIrqs(index, 1));
    if (m.irq !== 'none') {
      await j.expect('C-VLEG-074', 'the call fails with EINVAL', () => failsWith(r, 'EINVAL'));
      r.visited.add(`${this.kind} while ${m.irq}`);
      return;
    }
    await j.expect('C-VLEG-074', 'the call succeeds', () => succeeds(r));
    m.irq = this.kind;
    r.visited.add(`${this.kind} enabled`);
  }
  toString(): string {
    return `enable(${this.kind}${this.beyond ? ', count + 1' : ''})`;
  }
}

class DisableIrq implements Command {
  check(m: TranslatorModel): boolean {
    return m.irq === 'MSI' || m.irq === 'MSI-X';
  }
  async run(m: TranslatorModel, r: TranslatorReal): Promise<void> {
    const kind = m.irq as 'MSI' | 'MSI-X';
    await r.journal.act('C-VLEG-074', 'When', `${kind} is disabled for the VF on the host`,
      () => r.world.virtio.setIrqs(kind === 'MSI' ? VFIO_PCI_IRQ_INDEX.MSI : VFIO_PCI_IRQ_INDEX.MSIX, false));
    m.irq = 'none';
    r.visited.add(`${kind} disabled`);
  }
  toString(): string {
    return 'disableIrq';
  }
}

export function translatorCommands(): fc.Arbitrary<Command>[] {
  const reads = fc.constantFrom<[number, number]>([0, 4], [14, 2], [18, 1], [19, 1], [20, 2], [22, 2], [24, 2], [26, 2], [28, 2], [30, 2], [31, 1],
    [16, 1], [16, 4], [31, 2], [32, 1], [28, 8], [0, 0], [8, 4]);
  const writes = fc.constantFrom<[number, number[]]>([14, [0, 0]], [14, [1, 0]], [18, [0]], [16, [0, 0]], [16, [0]], [16, [0, 0, 0, 0]], [31, [0, 0]], [32, [0]], [8, [0x12, 0x34, 0x56, 0x78]]);
  const all: fc.Arbitrary<Command>[] = [
    ...Array(5).fill(reads.map(([o, n]) => new Bar0Read(o, n))),
    ...Array(2).fill(writes.map(([o, b]) => new Bar0Write(o, b))),
    ...Array(2).fill(fc.boolean().map((e) => new Command16(e))),
    ...Array(2).fill(fc.nat({ max: OVERRIDES.length }).map((i) => new ConfigRead(i))),
    fc.constantFrom(0xffffffff, 0x40c00000, 0x1fc00000, 0x20c00000).map((v) => new Bar0Place(v)),
    fc.constant(new RegionInfo()),
    fc.constant(new ResetVf()),
    fc.tuple(fc.constantFrom(0, 1, 2, 3, 4, 5, 0xffffffff), fc.constantFrom(16, 16, 17, 32, 15, 0)).map(([i, a]) => new IrqInfo(i, a)),
    ...Array(2).fill(fc.tuple(fc.constantFrom<'MSI' | 'MSI-X'>('MSI', 'MSI-X'), fc.boolean()).map(([k, b]) => new EnableIrq(k, b))),
    fc.constant(new DisableIrq()),
  ];
  return all.map((a) => a.map((c) => new Counted(c)));
}

// The start of a sequence: the VF, opened, I/O decoding off as after the open, no interrupt type.
export async function startTranslator(r: TranslatorReal): Promise<TranslatorModel> {
  const v = r.world.virtio;
  await r.journal.act('C-VLEG-045', 'Given', 'a VF shown to the guest as a transitional virtio-net device', () => v.useEmulatedVf());
  const msi = await v.mustIrqInfo(VFIO_PCI_IRQ_INDEX.MSI);
  const msix = await v.mustIrqInfo(VFIO_PCI_IRQ_INDEX.MSIX);
  return { io: false, irq: 'none', msiCount: msi.count, msixCount: msix.count, isrRead: false };
}
