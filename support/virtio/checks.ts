// The virtio legacy suite's checks: each Then step is one call here, so the
// expectations a scenario states about the owner under test, the translator
// and Linux's owner driver are spelled out in one readable place.
import { fromHex } from '../uapi/bytes';
import {
  IrqInfoFlagName, VFIO_IRQ_INFO,
  ADMIN_OPCODE, adminHeader, LEGACY_ADMIN_CMD_BITMAP, NOTIFY_FLAGS, NOTIFY_INFO_ENTRY_SIZE, NOTIFY_INFO_RESULT_SIZE, notifyInfo, NotifyEntry,
  opcodeBitmap, opcodeName, PCI_BASE_ADDRESS_SPACE_IO, PCI_CONFIG, uintFrom, VFIO_REGION_INFO_FLAG, VIRTIO_PCI_MODERN_ID_NET, VIRTIO_TRANS_ID_NET,
} from '../uapi/virtio';
import type { ErrnoName } from '../contract/errno';
import { describeOutcome, expect, expectEqual } from '../world/assert';
import type { TckWorld } from '../world/world';
import { implemented, resourceSize } from './pci';
import { byteRows, hex, mismatches, opcodesText, qualifierValue, statusValue } from './phrases';
import { LegacyRegion, spaced, VirtioSession } from './session';

// Bits of an opcode bitmap: 0x2-0x5 are the four legacy config writes and reads, 0x6 is LEGACY_NOTIFY_INFO.
const LEGACY_ACCESS_OPCODES = 0x3cn;
const NOTIFY_INFO_OPCODE = 0x40n;

export const checks = {
  // --- the owner under test: the last admin command ---------------------------------------
  commandSucceeds(w: TckWorld) {
    const c = w.virtio.last().completion;
    expect(c.status === 0 && c.status_qualifier === 0, `expected status 0 and qualifier 0x00, got status ${c.status} and qualifier ${hex(c.status_qualifier, 2)}`);
  },

  // Where the specification asks only for a non-zero status.
  commandFailsAnyhow(w: TckWorld) {
    const c = w.virtio.last().completion;
    expect(c.status !== 0, `expected a non-zero status, got status 0 and qualifier ${hex(c.status_qualifier, 2)}`);
  },

  // The status and qualifier come as the scenario writes them ("7", "0x07"), names included.
  commandFails(w: TckWorld, status: string, statusName: string, qualifier: string, qualifierName: string) {
    expectEqual(statusValue(statusName), Number(status), `the scenario's status name ${statusName}`);
    expectEqual(qualifierValue(qualifierName), Number(qualifier), `the scenario's qualifier name ${qualifierName}`);
    const c = w.virtio.last().completion;
    expect(c.status === Number(status) && c.status_qualifier === Number(qualifier),
      `expected status ${status} and qualifier ${qualifier}, got status ${c.status} and qualifier ${hex(c.status_qualifier, 2)}`);
  },

  deviceWrote(w: TckWorld, rows: Record<string, string>[]) {
    const wrong = mismatches(w.virtio.last().written, byteRows(rows));
    expect(wrong.length === 0, `the device-writable part differs: ${wrong.join('; ')}`);
  },

  readablePart(w: TckWorld, rows: Record<string, string>[]) {
    const wrong = mismatches(w.virtio.last().readable, byteRows(rows));
    expect(wrong.length === 0, `the device-readable part differs: ${wrong.join('; ')}`);
  },

  usedLength(w: TckWorld, used: number) {
    expectEqual(w.virtio.last().completion.used_length, used, 'the used length');
  },

  result(w: TckWorld, bytes: Uint8Array) {
    const last = w.virtio.last();
    expectEqual(spaced(last.completion.result.subarray(0, bytes.length)), spaced(bytes), 'the result');
    expect(last.completion.used_length === 8 + bytes.length, `the used length is ${last.completion.used_length}, not ${8 + bytes.length}`);
  },

  resultHasOpcodes(w: TckWorld, bits: bigint) {
    const bitmap = opcodeBitmap.decode(w.virtio.last().completion.result);
    expect((bitmap & bits) === bits, `the bitmap 0x${bitmap.toString(16)} lacks opcodes ${opcodesText(bits & ~bitmap)}`);
  },

  legacyAccessAllOrNothing(w: TckWorld) {
    const rw = opcodeBitmap.decode(w.virtio.last().completion.result) & LEGACY_ACCESS_OPCODES;
    expect(rw === 0n || rw === LEGACY_ACCESS_OPCODES, `the owner offers opcodes ${opcodesText(rw)} of 0x2-0x5`);
  },

  notifyInfoOnlyWithLegacyAccess(w: TckWorld) {
    const bitmap = opcodeBitmap.decode(w.virtio.last().completion.result);
    if (bitmap & NOTIFY_INFO_OPCODE) {
      expect((bitmap & LEGACY_ACCESS_OPCODES) === LEGACY_ACCESS_OPCODES, `the owner offers NOTIFY_INFO with only ${opcodesText(bitmap & LEGACY_ACCESS_OPCODES)} of 0x2-0x5`);
    }
  },

  // Every field of the vfio_irq_info answer: argsz as sent, the index, the flags
  // ("perhaps X" for a flag the platform decides) and the count ("at least N",
  // "0 or a power of two up to 32", or a number).
  irqInfoIs(w: TckWorld, argsz: number, index: number, flagsText: string, countText: string) {
    const info = w.virtio.lastIrqInfo;
    expect(info !== undefined, `GET_IRQ_INFO gave no answer (${describeOutcome(w.last)})`);
    expect(info.argsz === argsz, `argsz came back as ${info.argsz}, not ${argsz}`);
    expect(info.index === index, `index came back as ${info.index}, not ${index}`);
    let required = 0;
    let allowed = 0;
    for (const item of flagsText.split(',').map((t) => t.trim())) {
      const name = item.replace(/^perhaps /, '') as IrqInfoFlagName;
      expect(name in VFIO_IRQ_INFO, `"${name}" is not a VFIO_IRQ_INFO flag`);
      allowed |= VFIO_IRQ_INFO[name];
      if (!item.startsWith('perhaps ')) required |= VFIO_IRQ_INFO[name];
    }
    expect((info.flags & required) === required && (info.flags & ~allowed) === 0, `flags are 0x${info.flags.toString(16)}, not ${flagsText}`);
    const c = info.count;
    const least = /^at least (\d+)$/.exec(countText);
    const ok = least ? c >= Number(least[1])
      : countText === '0 or a power of two up to 32' ? c === 0 || (c <= 32 && (c & (c - 1)) === 0)
        : c === Number(countText);
    expect(ok, `count is ${c}, not ${countText}`);
  },

  keepsFirstQuery(w: TckWorld) {
    const bitmap = opcodeBitmap.decode(w.virtio.last().completion.result);
    expect(w.virtio.firstQuery !== undefined, 'no earlier query');
    const lost = w.virtio.firstQuery & ~bitmap;
    expect(lost === 0n, `opcodes ${opcodesText(lost)} were reported earlier and are missing now`);
  },

  // --- the owner under test: legacy configuration -------------------------------------------
  async legacyReads(w: TckWorld, region: LegacyRegion, member: bigint, offset: number, bytes: Uint8Array) {
    const got = await w.virtio.mustRead(region, member, offset, bytes.length);
    expectEqual(spaced(got), spaced(bytes), `the legacy ${region} configuration at ${offset}`);
  },

  // | offset | width | register (or field) | value |  (value: a number, "not 0" or "any")
  async legacyReadsTable(w: TckWorld, region: LegacyRegion, member: bigint, rows: Record<string, string>[]) {
    for (const row of rows) {
      const width = Number(row.width);
      const got = uintFrom(await w.virtio.mustRead(region, member, Number(row.offset), width), 'little');
      const what = `${row.register ?? row.field} (${width} byte(s) at ${row.offset})`;
      // Read even when any value goes: the read itself must succeed.
      if (row.value === 'any') continue;
      if (row.value === 'not 0') expect(got !== 0n, `${what} reads 0`);
      else expectEqual(hex(got), hex(BigInt(row.value)), what);
    }
  },

  async resultIsRead(w: TckWorld, width: number, region: LegacyRegion, member: bigint, offset: number) {
    const result = w.virtio.last().completion.result.slice(0, width);
    const again = await w.virtio.mustRead(region, member, offset, width);
    expectEqual(spaced(result), spaced(again), `the result compared with ${width} bytes at ${offset}`);
  },

  async resultIsUpperHalf(w: TckWorld, width: number, region: LegacyRegion, member: bigint, offset: number) {
    const result = w.virtio.last().completion.result.slice(0, width / 2);
    const whole = await w.virtio.mustRead(region, member, offset, width);
    expectEqual(spaced(result), spaced(whole.subarray(width / 2)), `the result compared with the upper half of ${width} bytes at ${offset}`);
  },

  // Legacy common configuration: host features at offset 0, guest features at 4.
  async guestFeaturesSubset(w: TckWorld, member: bigint) {
    const host = uintFrom(await w.virtio.mustRead('common', member, 0, 4), 'little');
    const guest = uintFrom(await w.virtio.mustRead('common', member, 4, 4), 'little');
    expect((guest & ~host) === 0n, `guest features ${hex(guest)} hold bits ${hex(guest & ~host)} the device does not offer (${hex(host)})`);
  },

  // --- notify addresses -------------------------------------------------------------------
  // Each 16-byte entry: flags, bar, 6 bytes of padding, then the 64-bit offset.
  notifyPadding(w: TckWorld) {
    const result = w.virtio.last().completion.result;
    expect(result.length >= NOTIFY_INFO_RESULT_SIZE, `the result has ${result.length} bytes, not 64`);
    for (let i = 0; i < 4; i++) {
      const padding = result.subarray(i * NOTIFY_INFO_ENTRY_SIZE + 2, i * NOTIFY_INFO_ENTRY_SIZE + 8);
      expect(padding.every((b) => b === 0), `entry ${i} has padding ${spaced(padding)}`);
    }
  },

  notifyFlagsValid(w: TckWorld) {
    for (const [i, e] of lastNotifyEntries(w).entries()) {
      if (e.flags === NOTIFY_FLAGS.END) break;
      expect(e.flags === NOTIFY_FLAGS.OWNER_BAR || e.flags === NOTIFY_FLAGS.MEMBER_BAR, `entry ${i} has reserved flags ${hex(e.flags, 2)}`);
    }
  },

  notifyEntryFlags(w: TckWorld, index: number, flags: number) {
    expectEqual(lastNotifyEntries(w)[index].flags, flags, `the flags of notify entry ${index}`);
  },

  async notifyEntriesInsideBars(w: TckWorld) {
    const member = adminHeader.decode(w.virtio.last().readable).group_member_id;
    const entries = VirtioSession.usable(lastNotifyEntries(w));
    expect(entries.length > 0, 'the owner reports no valid notify entry');
    for (const e of entries) {
      const fn = await w.virtio.notifyFunction(member, e);
      const line = (await w.virtio.resource(fn))[e.bar];
      expect(e.bar >= 1 && e.bar <= 5, `an entry names BAR ${e.bar}`);
      expect(implemented(line), `an entry names BAR${e.bar} of ${fn}, which is not implemented`);
      expect(e.offset % 2n === 0n, `an entry's offset ${hex(e.offset)} is odd`);
      expect(e.offset + 2n <= resourceSize(line), `an entry's offset ${hex(e.offset)} is outside BAR${e.bar} of ${fn} (${resourceSize(line)} bytes)`);
    }
  },

  async ownerVfBar0Unimplemented(w: TckWorld) {
    const line = VirtioSession.vfBarLine(await w.virtio.ownerResource(), 0);
    expect(!implemented(line), `the owner's VF BAR0 spans ${line ? `${hex(line.start)}-${hex(line.end)}` : '?'}`);
  },

  // The first VF is member 1; a member-BAR entry resolves to it.
  async firstVfBar0Unimplemented(w: TckWorld) {
    const fn = await w.virtio.notifyFunction(1n, { flags: NOTIFY_FLAGS.MEMBER_BAR, bar: 0, offset: 0n });
    const line = (await w.virtio.resource(fn))[0];
    expect(!implemented(line), `BAR0 of ${fn} is implemented`);
  },

  // --- the translator -----------------------------------------------------------------------
  dataRead(w: TckWorld, bytes: Uint8Array) {
    expectEqual(spaced(w.virtio.readBytes()), spaced(bytes), 'the bytes read');
  },

  // | command | offset | data | read width |
  async translatorSent(w: TckWorld, rows: Record<string, string>[]) {
    const actual = await w.virtio.translatorActions();
    const expected = rows.map((r) => ({ command: r.command, offset: r.offset, data: r.data, readWidth: r['read width'] }));
    expectEqual(actual, expected, 'what the translator sent to the owner');
  },

  async translatorSentNothing(w: TckWorld) {
    expectEqual(await w.virtio.translatorActions(), [], 'what the translator sent to the owner');
  },

  async notifyWentToMemberEntry(w: TckWorld) {
    const vf = w.virtio.vfUnderTest();
    const events = (await w.virtio.translatorEvents()).filter((e) => e.kind === 'notify');
    expect(events.length > 0, 'the translator made no notify access');
    for (const e of events) {
      if (e.kind !== 'notify') continue;
      expectEqual({ function: e.function, bar: e.bar, offset: BigInt(e.offset) }, { function: vf.path, bar: vf.notify!.bar, offset: vf.notify!.offset },
        'the notify address (the VF, and the BAR and offset of the first member entry before the end entry)');
    }
  },

  // | offset | width | register | value |  (value: a number or "any")
  async configReads(w: TckWorld, rows: Record<string, string>[]) {
    for (const row of rows) {
      const value = await w.virtio.configValue(Number(row.offset), Number(row.width));
      // Read even when any value goes: the read itself must succeed.
      if (row.value === 'any') continue;
      expectEqual(hex(value, Number(row.width) * 2), hex(Number(row.value), Number(row.width) * 2), `${row.register} (${row.width} byte(s) at ${row.offset})`);
    }
  },

  async configByte(w: TckWorld, offset: number, value: number) {
    expectEqual(hex(await w.virtio.configValue(offset, 1), 2), hex(value, 2), `config byte ${hex(offset, 2)}`);
  },

  // state: "set" or "clear".
  async configBit(w: TckWorld, bit: number, offset: number, state: string) {
    const value = await w.virtio.configValue(offset, 2);
    expect(state === 'set' || state === 'clear', `"${state}" is neither set nor clear`);
    expect(((value & bit) !== 0) === (state === 'set'), `config register ${hex(offset, 2)} reads ${hex(value, 4)}: bit ${hex(bit)} is not ${state}`);
  },

  async regionInfo(w: TckWorld, index: number, offset: number, size: number, flags: number) {
    const info = await w.virtio.regionInfo(index);
    expectEqual({ offset: info.offset, size: info.size, flags: hex(info.flags) }, { offset: `${offset}`, size: `${size}`, flags: hex(flags) }, `region ${index} info`);
  },

  async regionNotEmulatedBar(w: TckWorld, index: number) {
    const info = await w.virtio.regionInfo(index);
    const rw = VFIO_REGION_INFO_FLAG.READ | VFIO_REGION_INFO_FLAG.WRITE;
    expect(!(info.size === '32' && info.flags === rw), `region ${index} is the emulated legacy BAR (32 bytes, flags 0x3)`);
  },

  async revisionNotZero(w: TckWorld) {
    expect(await w.virtio.configValue(PCI_CONFIG.REVISION_ID, 1) !== 0, 'the revision id reads 0, as for a transitional device');
  },

  async bar0NotIo(w: TckWorld) {
    const bar0 = await w.virtio.configValue(PCI_CONFIG.BASE_ADDRESS_0, 4);
    expect((bar0 & PCI_BASE_ADDRESS_SPACE_IO) === 0, `BAR0 reads ${hex(bar0, 8)}, an I/O BAR`);
  },

  async noDriverBound(w: TckWorld) {
    const driver = await w.virtio.driverOf(w.virtio.vfUnderTest().path);
    expect(driver === undefined, `${w.virtio.vfUnderTest().path} is bound to ${driver}`);
  },

  async readIsAdminResult(w: TckWorld, opcode: number) {
    const sent = await w.virtio.lastTranslatorCommand(opcode);
    const read = w.virtio.readBytes();
    expectEqual(spaced(read), spaced(sent.completion.result.subarray(0, read.length)), 'the bytes the guest read compared with the admin result');
  },

  // The status is the first two bytes the owner wrote back, little-endian.
  async ownerAnsweredStatus(w: TckWorld, status: number) {
    const actions = await w.virtio.translatorEvents();
    const last = actions.filter((e) => e.kind === 'admin').pop();
    expect(last !== undefined && last.kind === 'admin', 'the translator sent no admin command');
    expectEqual(uintFrom(fromHex(last.written).subarray(0, 2), 'little'), BigInt(status), 'the status the owner answered');
  },

  async membersNamed(w: TckWorld) {
    const actions = await w.virtio.translatorActions(); // checks group_member_id of every command
    expect(actions.some((a) => a.command.startsWith('LEGACY_')), 'the translator sent no legacy command to check');
  },

  // The data of LEGACY_DEV_CFG_WRITE follows the 24-byte header and the 8-byte offset.
  async littleEndianReading(w: TckWorld, seen: number, meant: number) {
    const sent = await w.virtio.lastTranslatorCommand(ADMIN_OPCODE.LEGACY_DEV_CFG_WRITE);
    const payload = sent.readable.subarray(32);
    expectEqual(hex(uintFrom(payload, 'little')), hex(seen), 'the data read as little-endian');
    expect(seen !== meant, 'the scenario expects a difference');
    expectEqual(hex(w.virtio.guestValue(payload)), hex(meant), 'the value the guest meant');
  },

  statusSwapped(w: TckWorld) {
    const bytes = w.virtio.readBytes();
    const device = Number(uintFrom(bytes, 'little'));
    const guest = w.virtio.guestValue(bytes);
    expectEqual(hex(guest, 4), hex(((device & 0xff) << 8) | (device >> 8), 4), `the guest's value of the status bytes ${spaced(bytes)}`);
  },

  async migrationFeatureFails(w: TckWorld, errno: ErrnoName) {
    const out = w.record(await w.virtio.migrationFeature());
    expect(!out.ok && out.errno === errno, `expected ${errno}, got ${out.ok ? 'success' : out.errno}`);
  },

  // --- Linux's owner driver -------------------------------------------------------------------
  // | command | group_type | group_member_id | data bytes | writable length |
  async ownerDriverSent(w: TckWorld, rows: Record<string, string>[]) {
    const commands = await w.virtio.ownerDriverCommands(w.virtio.ownerDriverPf());
    const actual = commands.map((c) => {
      const h = adminHeader.decode(c.readable);
      return { command: opcodeName(h.opcode), group_type: hex(h.group_type, 4), group_member_id: `${h.group_member_id}`, 'data bytes': `${c.readable.length - 24}`, 'writable length': `${c.writableLength}` };
    });
    expectEqual(actual, rows, 'what the owner driver sent');
  },

  async listUseMaskedByDriver(w: TckWorld) {
    const n = await w.virtio.negotiation();
    const mask = w.virtio.linuxAdminCmdBitmap();
    expectEqual(hex(n.used), hex(n.queried & mask), `LIST_USE (LIST_QUERY ${hex(n.queried)} masked with ${hex(mask)} on ${w.info.platform.arch}, kernel ${w.info.platform.kernel})`);
  },

  async listUseMaskedWith(w: TckWorld, mask: number) {
    const n = await w.virtio.negotiation();
    expectEqual(hex(n.used), hex(n.queried & BigInt(mask)), `LIST_USE (LIST_QUERY ${hex(n.queried)} masked with ${hex(mask)})`);
  },

  async listUseLacks(w: TckWorld, bits: bigint) {
    const n = await w.virtio.negotiation();
    expect((n.used & bits) === 0n, `LIST_USE put opcodes ${opcodesText(n.used & bits)} in use`);
  },

  async listUseKeepsLegacy(w: TckWorld) {
    const n = await w.virtio.negotiation();
    const offered = n.queried & LEGACY_ADMIN_CMD_BITMAP;
    expect((n.used & offered) === offered, `LIST_USE left out ${opcodesText(offered & ~n.used)}`);
  },

  // A candidate without a member notify address stays unbound; every other VF is
  // bound, with the transitional device id exactly when it is a candidate.
  async translatorVfsEmulated(w: TckWorld) {
    const facts = await w.virtio.translatorVfFacts();
    expect(facts.length > 0, 'no VF is declared with the virtio-translator role');
    for (const v of facts) {
      const candidate = v.d.driver === 'virtio_vfio_pci' && v.legacy && !v.bar0;
      const driver = await w.virtio.driverOf(v.d.path);
      if (candidate && !VirtioSession.memberEntry(v.notify)) {
        expect(driver === undefined, `${v.d.path} has no member notify address, yet ${driver} is bound to it`);
        continue;
      }
      expect(driver !== undefined, `no driver is bound to ${v.d.path}`);
      const id = await w.virtio.deviceIdOf(v.d.path);
      const want = candidate ? VIRTIO_TRANS_ID_NET : VIRTIO_PCI_MODERN_ID_NET;
      expectEqual(hex(id, 4), hex(want, 4), `the device id of ${v.d.path} (owner driver accepted ${opcodesText(v.accepted)}${v.bar0 ? ', BAR0 present' : ''})`);
    }
  },

  // ordinal: "first", "second" or "third".
  async ownerDriverCommandStartsWith(w: TckWorld, ordinal: string, rows: Record<string, string>[]) {
    const index = ['first', 'second', 'third'].indexOf(ordinal);
    expect(index >= 0, `"${ordinal}" is not first, second or third`);
    const commands = await w.virtio.ownerDriverCommands(w.virtio.ownerDriverPf());
    expect(commands.length > index, `the owner driver sent only ${commands.length} command(s)`);
    const wrong = mismatches(commands[index].readable, byteRows(rows));
    expect(wrong.length === 0, `the owner driver's ${ordinal} command differs: ${wrong.join('; ')}`);
  },
};

// The entries of the last command's result, which must be a successful LEGACY_NOTIFY_INFO.
function lastNotifyEntries(w: TckWorld): NotifyEntry[] {
  const c = w.virtio.last().completion;
  expect(c.status === 0, `LEGACY_NOTIFY_INFO failed with status ${c.status}`);
  return notifyInfo.decode(c.result);
}
