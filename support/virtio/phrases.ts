// Parsing of the virtio phrases' arguments as spec authors write them:
// opcode names and sets, group types, member ids, and byte tables where each
// row gives an offset, spaced hex bytes ("02 00", "??" for a byte the
// scenario does not fix) and the field it is.
import { ADMIN_OPCODE, AdminOpcodeName, ADMIN_QUALIFIER, AdminQualifierName, ADMIN_STATUS, AdminStatusName, GROUP_TYPE, NOTIFY_FLAGS, opcodesIn } from '../uapi/virtio';
import { expect } from '../world/assert';

export const OPCODE_PATTERN = /LIST_QUERY|LIST_USE|LEGACY_COMMON_CFG_WRITE|LEGACY_COMMON_CFG_READ|LEGACY_DEV_CFG_WRITE|LEGACY_DEV_CFG_READ|LEGACY_NOTIFY_INFO|DEV_MODE_SET|opcode 0x[0-9a-fA-F]{4}/;
export const GROUP_PATTERN = /SR-IOV|Self|reserved 0x[0-9a-fA-F]{4}/;
const ITEM = '0x[0-9a-fA-F]+(?:-0x[0-9a-fA-F]+)?';
export const OPCODE_SET_PATTERN = new RegExp(`${ITEM}(?:, ${ITEM})*`);
export const MEMBER_PATTERN = /NumVFs \+ 1|NumVFs|\d+/;
export const NUMBER_PATTERN = /0x[0-9a-fA-F]+|\d+/;

export function parseOpcode(text: string): number {
  if (text.startsWith('opcode ')) return Number(text.slice(7));
  return ADMIN_OPCODE[text as AdminOpcodeName];
}

export function parseGroup(text: string): number {
  if (text === 'SR-IOV') return GROUP_TYPE.SRIOV;
  if (text === 'Self') return GROUP_TYPE.SELF;
  return Number(text.slice('reserved '.length));
}

// "0x0-0x6", "0x0, 0x1, 0x3", "0x7-0xa, 0xd-0x11" -> a bitmap of opcodes.
export function parseOpcodeSet(text: string): bigint {
  let bits = 0n;
  for (const item of text.split(',').map((t) => t.trim())) {
    const [from, to] = item.split('-').map((v) => Number(v));
    for (let op = from; op <= (to ?? from); op++) bits |= 1n << BigInt(op);
  }
  return bits;
}

// "member" or "owner": which BAR a notify address names, as its entry's flags.
export function parseNotifyTarget(where: string): number {
  expect(where === 'member' || where === 'owner', `"${where}" is neither member nor owner`);
  return where === 'member' ? NOTIFY_FLAGS.MEMBER_BAR : NOTIFY_FLAGS.OWNER_BAR;
}

export function statusValue(name: string): number | undefined {
  return name in ADMIN_STATUS ? ADMIN_STATUS[name as AdminStatusName] : undefined;
}

export function qualifierValue(name: string): number | undefined {
  return name in ADMIN_QUALIFIER ? ADMIN_QUALIFIER[name as AdminQualifierName] : undefined;
}

// One byte per two hex digits, spaces between bytes; undefined marks "??".
export function parsePattern(text: string): (number | undefined)[] {
  const tokens = text.trim().split(/\s+/).filter(Boolean);
  return tokens.map((t) => {
    if (t === '??') return undefined;
    expect(/^[0-9a-fA-F]{2}$/.test(t), `"${t}" in "${text}" is not a byte (two hex digits or ??)`);
    return parseInt(t, 16);
  });
}

export interface ByteRow { offset: number; bytes: (number | undefined)[]; field: string }

export function byteRows(rows: Record<string, string>[]): ByteRow[] {
  return rows.map((r) => ({ offset: Number(r.offset), bytes: parsePattern(r.bytes), field: r.field ?? r.register ?? '' }));
}

// The rows laid end to end: they must be contiguous from offset 0 and fix every byte.
export function assemble(rows: ByteRow[]): Uint8Array {
  const out: number[] = [];
  for (const row of rows) {
    expect(row.offset === out.length, `the row "${row.field}" starts at ${row.offset}, but the bytes so far end at ${out.length}`);
    for (const b of row.bytes) {
      expect(b !== undefined, `the row "${row.field}" leaves a byte open; bytes to send must all be given`);
      out.push(b);
    }
  }
  return Uint8Array.from(out);
}

// Differences between actual bytes and the rows, as readable lines.
export function mismatches(actual: Uint8Array, rows: ByteRow[]): string[] {
  const out: string[] = [];
  for (const row of rows) {
    const got = Array.from(actual.subarray(row.offset, row.offset + row.bytes.length));
    const ok = got.length === row.bytes.length && row.bytes.every((b, i) => b === undefined || b === got[i]);
    if (!ok) {
      const want = row.bytes.map((b) => (b === undefined ? '??' : b.toString(16).padStart(2, '0'))).join(' ');
      const have = got.map((b) => b.toString(16).padStart(2, '0')).join(' ') || '(nothing)';
      out.push(`offset ${row.offset} (${row.field}): expected ${want}, got ${have}`);
    }
  }
  return out;
}

export function hex(value: number | bigint, digits = 0): string {
  return `0x${value.toString(16).padStart(digits, '0')}`;
}

// The opcodes of a bitmap for a message: "0x2, 0x3" or "none".
export function opcodesText(bits: bigint): string {
  return opcodesIn(bits).map((op) => hex(op)).join(', ') || 'none';
}
