// The virtio owner model: the oracle an exploration of the admin commands of
// an SR-IOV virtio owner checks every answer against. It tracks what LIST_QUERY
// reported, the used list, the members (1 to NumVFs) and, per member, the
// legacy registers the sequence set (queue select, device status, whether ISR
// was read). Commands check in the specification's order: opcode in the used
// list, then the member id, then the field. Each command acts through the virtio
// session exactly as its step does and records that step.
import fc from 'fast-check';
import { checks } from '../virtio/checks';
import { parseOpcodeSet } from '../virtio/phrases';
import { ADMIN_OPCODE } from '../uapi/virtio';
import { expectEqual } from '../world/assert';
import type { TckWorld } from '../world/world';
import type { ExploreWorld } from './world';
import { Counted, type Journal } from './journal';

type Member = '1' | 'NumVFs' | '0' | 'NumVFs + 1';
interface Registers { queueSelect?: number; status?: number; isrRead: boolean }

export interface VirtioModel {
  numVFs: number;
  supported: bigint;
  used: bigint;
  members: Map<number, Registers>;
  wide: boolean; // the owner was found not to offer 0x40, 0x7f, 0xbf
}

export interface VirtioReal { world: ExploreWorld; journal: Journal; visited: Set<string> }
type Command = fc.AsyncCommand<VirtioModel, VirtioReal>;

const bit = (op: number) => 1n << BigInt(op);
const w = (r: VirtioReal) => r.world as unknown as TckWorld;
const memberNumber = (m: VirtioModel, member: Member): number =>
  member === 'NumVFs' ? m.numVFs : member === 'NumVFs + 1' ? m.numVFs + 1 : Number(member);
const registers = (m: VirtioModel, n: number): Registers => {
  let regs = m.members.get(n);
  if (!regs) m.members.set(n, (regs = { queueSelect: 0, status: 0, isrRead: false }));
  return regs;
};
const hex2 = (value: number, bytes: number) => `0x${Array.from({ length: bytes }, (_, i) => ((value >> (8 * i)) & 0xff).toString(16).padStart(2, '0')).join('')}`;

const INVALID_OPCODE = 'the command fails with status 22 (EINVAL) and qualifier 0x02 (INVALID_OPCODE)';
const INVALID_FIELD = 'the command fails with status 22 (EINVAL) and qualifier 0x03 (INVALID_FIELD)';
const INVALID_MEMBER = 'the command fails with status 22 (EINVAL) and qualifier 0x05 (INVALID_MEMBER)';
const fails = (qualifier: '0x02' | '0x03' | '0x05') => (r: VirtioReal) =>
  checks.commandFails(w(r), '22', 'EINVAL', qualifier, qualifier === '0x02' ? 'INVALID_OPCODE' : qualifier === '0x03' ? 'INVALID_FIELD' : 'INVALID_MEMBER');

// Opcode first, then the member id (C-VLEG-008): true when the command got that far and succeeded its checks.
async function opcodeAndMember(m: VirtioModel, r: VirtioReal, opcode: number, member: Member): Promise<boolean> {
  if (!(m.used & bit(opcode))) {
    await r.journal.expect('C-VLEG-010', INVALID_OPCODE, () => fails('0x02')(r));
    return false;
  }
  const n = memberNumber(m, member);
  if (n < 1 || n > m.numVFs) {
    await r.journal.expect('C-VLEG-006', INVALID_MEMBER, () => fails('0x05')(r));
    return false;
  }
  return true;
}

// The legacy common header's fields: offset -> width (C-VLEG-038).
const FIELDS: [number, number][] = [[0, 4], [4, 4], [8, 4], [12, 2], [14, 2], [16, 2], [18, 1], [19, 1]];
const insideOneField = (offset: number, width: number) => width > 0 && FIELDS.some(([o, n]) => offset >= o && offset + width <= o + n);

// LIST_USE in one le64 word, or laid out over `bytes` bytes: every word counts, zero words change nothing (C-VLEG-071).
class ListUse implements Command {
  constructor(readonly set: string, readonly bytes?: number) {}
  check(m: VirtioModel): boolean {
    return this.bytes === undefined || m.wide || parseOpcodeSet(this.set) >> 64n === 0n;
  }
  async run(m: VirtioModel, r: VirtioReal): Promise<void> {
    const bitmap = parseOpcodeSet(this.set);
    if (this.bytes === undefined) await r.journal.act('C-VLEG-012', 'When', `the driver puts the commands ${this.set} in use`, () => r.world.virtio.listUse(bitmap));
    else await r.journal.act('C-VLEG-071', 'When', `the driver puts the commands ${this.set} in use in a bitmap of ${this.bytes} bytes`, () => r.world.virtio.listUseIn(bitmap, this.bytes as number));
    if (!(m.used & bit(ADMIN_OPCODE.LIST_USE))) {
      await r.journal.expect('C-VLEG-010', INVALID_OPCODE, () => fails('0x02')(r));
    } else if (bitmap & ~m.supported) {
      await r.journal.expect(this.bytes === undefined ? 'C-VLEG-012' : 'C-VLEG-071', INVALID_FIELD, () => fails('0x03')(r));
    } else {
      await r.journal.expect(this.bytes === undefined ? 'C-VLEG-012' : 'C-VLEG-071', 'the command succeeds', () => checks.commandSucceeds(w(r)));
      m.used = bitmap;
      r.visited.add(`used ${this.set}`);
    }
  }
  toString(): string {
    return `listUse(${this.set}${this.bytes === undefined ? '' : `, ${this.bytes} bytes`})`;
  }
}

// LIST_QUERY into one le64 word, or into a result part of several (C-VLEG-072).
class Query implements Command {
  constructor(readonly writable = 16) {}
  check(): boolean {
    return true;
  }
  async run(m: VirtioModel, r: VirtioReal): Promise<void> {
    if (this.writable === 16) await r.journal.act('C-VLEG-011', 'When', 'the driver queries the supported commands', () => r.world.virtio.command(ADMIN_OPCODE.LIST_QUERY, 1, 0n, new Uint8Array(0), 16));
    else await r.journal.act('C-VLEG-072', 'When', `the driver submits LIST_QUERY to the SR-IOV group for member 0 with no data and a ${this.writable}-byte writable part`,
      () => r.world.virtio.command(ADMIN_OPCODE.LIST_QUERY, 1, 0n, new Uint8Array(0), this.writable));
    if (!(m.used & bit(ADMIN_OPCODE.LIST_QUERY))) {
      await r.journal.expect('C-VLEG-010', INVALID_OPCODE, () => fails('0x02')(r));
      return;
    }
    await r.journal.expect(this.writable === 16 ? 'C-VLEG-011' : 'C-VLEG-072', 'the command succeeds', () => checks.commandSucceeds(w(r)));
    await r.journal.expect(this.writable === 16 ? 'C-VLEG-013' : 'C-VLEG-072', 'the result bitmap still has every opcode the first query reported', () => checks.keepsFirstQuery(w(r)));
  }
  toString(): string {
    return `query(${this.writable})`;
  }
}

class ResetOwner implements Command {
  check(): boolean {
    return true;
  }
  async run(m: VirtioModel, r: VirtioReal): Promise<void> {
    await r.journal.act('C-VLEG-009', 'When', 'the owner is reset', () => r.world.virtio.resetOwner());
    m.used = bit(ADMIN_OPCODE.LIST_QUERY) | bit(ADMIN_OPCODE.LIST_USE);
    // What a reset of the owner does to its members' registers is not fixed here.
    for (const regs of m.members.values()) Object.assign(regs, { queueSelect: undefined, status: undefined, isrRead: false });
    r.visited.add('owner reset');
  }
  toString(): string {
    return 'resetOwner';
  }
}

class LegacyRead implements Command {
  constructor(readonly member: Member, readonly offset: number, readonly width: number) {}
  check(m: VirtioModel): boolean {
    return !(this.member === 'NumVFs' && m.numVFs === 1);
  }
  async run(m: VirtioModel, r: VirtioReal): Promise<void> {
    const j = r.journal;
    await j.act('C-VLEG-019', 'When', `the driver reads ${this.width} byte${this.width === 1 ? '' : 's'} of the legacy common configuration of member ${this.member} at offset ${this.offset}`,
      () => r.world.virtio.legacyRead('common', r.world.virtio.memberId(this.member), this.offset, this.width));
    if (!(await opcodeAndMember(m, r, ADMIN_OPCODE.LEGACY_COMMON_CFG_READ, this.member))) return;
    if (!insideOneField(this.offset, this.width)) {
      await j.expect('C-VLEG-021', 'the command fails with a non-zero status', () => checks.commandFailsAnyhow(w(r)));
      return;
    }
    await j.expect('C-VLEG-019', 'the command succeeds', () => checks.commandSucceeds(w(r)));
    const regs = registers(m, memberNumber(m, this.member));
    const known = this.offset >= 14 && this.offset + this.width <= 16 ? regs.queueSelect
      : this.offset === 18 ? regs.status
      : this.offset === 19 && regs.isrRead ? 0 : undefined;
    if (known !== undefined) {
      const value = this.offset === 15 ? known >> 8 : known;
      const clause = this.offset === 19 ? 'C-VLEG-041' : this.offset === 18 ? 'C-VLEG-042' : 'C-VLEG-022';
      const bytes = hex2(value, this.width);
      await j.expect(clause, `the result is ${bytes}`, () => expectEqual(Buffer.from(r.world.virtio.last().completion.result.subarray(0, this.width)).toString('hex'), bytes.slice(2), 'the result'));
    }
    if (this.offset === 19) regs.isrRead = true;
  }
  toString(): string {
    return `read(${this.member}, ${this.offset}, ${this.width})`;
  }
}

// Writes of the queue select (16 bits at 14) and of the device status (8 bits at 18).
class LegacyWrite implements Command {
  constructor(readonly member: Member, readonly offset: 14 | 18 | 3, readonly value: number) {}
  check(m: VirtioModel): boolean {
    return !(this.member === 'NumVFs' && m.numVFs === 1);
  }
  async run(m: VirtioModel, r: VirtioReal): Promise<void> {
    const j = r.journal;
    const width = this.offset === 14 || this.offset === 3 ? 2 : 1;
    const bytes = hex2(this.value, width);
    await j.act('C-VLEG-022', 'When', `the driver writes ${bytes} to the legacy common configuration of member ${this.member} at offset ${this.offset}`,
      () => r.world.virtio.legacyWrite('common', r.world.virtio.memberId(this.member), this.offset, Buffer.from(bytes.slice(2), 'hex')));
    if (!(await opcodeAndMember(m, r, ADMIN_OPCODE.LEGACY_COMMON_CFG_WRITE, this.member))) return;
    if (this.offset === 3) {
      await j.expect('C-VLEG-021', 'the command fails with a non-zero status', () => checks.commandFailsAnyhow(w(r)));
      return;
    }
    await j.expect('C-VLEG-018', 'the command succeeds', () => checks.commandSucceeds(w(r)));
    const regs = registers(m, memberNumber(m, this.member));
    if (this.offset === 14) regs.queueSelect = this.value;
    else if (this.value === 0) Object.assign(regs, { queueSelect: 0, status: 0 }); // a reset of the member (C-VLEG-042)
    else regs.status = undefined; // the device may add bits of its own
    r.visited.add(this.offset === 14 ? 'queue selected' : this.value === 0 ? 'member reset' : 'status set');
  }
  toString(): string {
    return `write(${this.member}, ${this.offset}, ${this.value})`;
  }
}

export function virtioCommands(): fc.Arbitrary<Command>[] {
  const member = fc.oneof({ weight: 8, arbitrary: fc.constantFrom<Member>('1', 'NumVFs') }, { weight: 1, arbitrary: fc.constantFrom<Member>('0', 'NumVFs + 1') });
  const sets = fc.constantFrom('0x0-0x6', '0x0-0x6', '0x0, 0x1', '0x0, 0x1, 0x3', '0x0-0x3', '0x2-0x6', '0x0-0x3, 0x3f', '0x0-0x6, 0x7');
  const field = fc.constantFrom<[number, number]>([14, 2], [15, 1], [18, 1], [19, 1], [0, 4], [4, 4], [3, 2], [12, 4], [18, 2], [20, 2]);
  const all: fc.Arbitrary<Command>[] = [
    ...Array(3).fill(sets.map((s) => new ListUse(s))),
    fc.constant(new Query()),
    fc.constantFrom(24, 32, 48).map((n) => new Query(n)),
    fc.tuple(fc.constantFrom('0x0-0x6', '0x0, 0x1, 0x3', '0x2-0x6', '0x0-0x6, 0x40', '0x0-0x6, 0x7f', '0x0-0x6, 0xbf'), fc.constantFrom(12, 16, 24))
      .filter(([set, bytes]) => !(set.includes('0xbf') && bytes < 24) && !(set.includes('0x7f') && bytes < 16)).map(([set, bytes]) => new ListUse(set, bytes)),
    fc.constant(new ResetOwner()),
    ...Array(4).fill(fc.tuple(member, field).map(([m, [o, n]]) => new LegacyRead(m, o, n))),
    ...Array(3).fill(fc.tuple(member, fc.constantFrom(0x0001, 0x0100, 0x0000)).map(([m, v]) => new LegacyWrite(m, 14, v))),
    fc.tuple(member, fc.constantFrom(0x00, 0x01)).map(([m, v]) => new LegacyWrite(m, 18, v)),
    member.map((m) => new LegacyWrite(m, 3, 0x0101)),
  ];
  return all.map((a) => a.map((c) => new Counted(c)));
}

// The start of a sequence: the owner, and LIST_QUERY and LIST_USE as the driver first does them.
export async function startVirtio(r: VirtioReal, two: boolean, wide = false): Promise<VirtioModel> {
  const v = r.world.virtio;
  await r.journal.act('C-VLEG-006', 'Given', two ? 'an SR-IOV virtio owner with at least 2 VFs enabled' : 'an SR-IOV virtio owner', () => (two ? v.useOwnerWithVfs(2) : v.useOwner()));
  if (wide) await r.journal.act('C-VLEG-071', 'Given', 'the owner does not offer the commands 0x40, 0x7f, 0xbf', () => v.requireNotOffered(parseOpcodeSet('0x40, 0x7f, 0xbf')));
  await r.journal.act('C-VLEG-012', 'Given', 'the driver has put the commands 0x0, 0x1 in use', () => v.putInUse(0x3n));
  return { numVFs: v.ownerUnderTest().numVFs, supported: v.firstQuery as bigint, used: 0x3n, members: new Map(), wide };
}

