// The virtio legacy phrases: the driver of an owner under test, the guest of a
// VF shown by virtio-vfio-pci, and what Linux's owner driver negotiated. Each
// step parses its phrase and calls the session (support/virtio/session.ts).
import { DataTable, defineParameterType } from '@cucumber/cucumber';
import { Given, Then, When } from './dsl';
import type { ErrnoName } from '../support/contract/errno';
import type { TckWorld } from '../support/world/world';
import { expect, expectEqual } from '../support/world/assert';
import { NotApplicable } from '../support/world/skip';
import { fromHex } from '../support/uapi/bytes';
import { STATE_VALUE, isMigState } from '../support/uapi/vfio';
import {
  ADMIN_OPCODE, adminHeader, LEGACY_ADMIN_CMD_BITMAP, NOTIFY_FLAGS, NOTIFY_INFO_ENTRY_SIZE, NOTIFY_INFO_RESULT_SIZE, notifyInfo,
  opcodeBitmap, opcodeName, opcodesIn, PCI_BASE_ADDRESS_SPACE_IO, PCI_CONFIG, uintFrom, VIRTIO_TRANS_ID_NET,
  VIRTIO_PCI_MODERN_ID_NET, VFIO_REGION_INFO_FLAG,
} from '../support/uapi/virtio';
import {
  byteRows, GROUP_PATTERN, hex, MEMBER_PATTERN, mismatches, NUMBER_PATTERN, OPCODE_PATTERN, OPCODE_SET_PATTERN, parseGroup,
  parseOpcode, parseOpcodeSet, qualifierValue, statusValue, assemble,
} from '../support/virtio/phrases';
import { isX86, LegacyRegion, spaced, VirtioSession } from '../support/virtio/session';
import { implemented, resourceSize } from '../support/virtio/pci';

defineParameterType({ name: 'admin_opcode', regexp: OPCODE_PATTERN, transformer: parseOpcode });
defineParameterType({ name: 'admin_group', regexp: GROUP_PATTERN, transformer: parseGroup });
defineParameterType({ name: 'opcode_set', regexp: OPCODE_SET_PATTERN, transformer: parseOpcodeSet });
defineParameterType({ name: 'member_id', regexp: MEMBER_PATTERN, transformer: (s: string) => s });
defineParameterType({ name: 'legacy_region', regexp: /common|device/, transformer: (s: string) => s as LegacyRegion });
defineParameterType({ name: 'hexnum', regexp: NUMBER_PATTERN, transformer: (s: string) => Number(s) });

const opcodesText = (bits: bigint) => opcodesIn(bits).map((op) => hex(op)).join(', ') || 'none';

// --- platform -----------------------------------------------------------------------

Given('an x86 host', function (this: TckWorld) {
  const { arch } = this.info.platform;
  if (!isX86(arch)) throw new NotApplicable(`this scenario describes an x86 host; the implementation declares ${arch}`);
});

Given('a host that is not x86', function (this: TckWorld) {
  const { arch } = this.info.platform;
  if (isX86(arch)) throw new NotApplicable(`this scenario describes a host that is not x86; the implementation declares ${arch} (a reference run can choose one with TCK_REF_ARCH=arm64)`);
});

Given('a big-endian host', function (this: TckWorld) {
  const { byte_order, arch } = this.info.platform;
  if (byte_order !== 'big') throw new NotApplicable(`this scenario describes a big-endian host; the implementation declares a ${byte_order}-endian ${arch} (a reference run can choose one with TCK_REF_ARCH=ppc64 TCK_REF_BYTE_ORDER=big)`);
});

// --- the owner under test: set-up --------------------------------------------------------

Given('an SR-IOV virtio owner', async function (this: TckWorld) {
  await this.virtio.useOwner();
});

Given('an SR-IOV virtio owner with fewer VFs enabled than it could have', async function (this: TckWorld) {
  const owner = await this.virtio.useOwner();
  if (owner.numVFs >= owner.totalVFs) throw new NotApplicable(`${owner.path} has all ${owner.totalVFs} of its VFs enabled`);
});

Given('the driver has put the commands {opcode_set} in use', async function (this: TckWorld, bitmap: bigint) {
  await this.virtio.putInUse(bitmap);
});

Given('the driver runs on a big-endian host', function (this: TckWorld) {
  this.virtio.driverHostOrder = 'big';
});

Given('the driver writes to the legacy {legacy_region} configuration of member {member_id}', async function (this: TckWorld, region: LegacyRegion, member: string, table: DataTable) {
  for (const row of byteRows(table.hashes())) {
    await this.virtio.mustWrite(region, this.virtio.memberId(member), row.offset, Uint8Array.from(row.bytes as number[]));
  }
});

// --- the owner under test: commands --------------------------------------------------------

When('the driver submits these device-readable bytes with a(n) {int}-byte writable part', async function (this: TckWorld, writable: number, table: DataTable) {
  await this.virtio.submit(assemble(byteRows(table.hashes())), writable);
});

When('the driver submits {admin_opcode} to the {admin_group} group for member {member_id} with data {bytes} and a(n) {int}-byte writable part',
  async function (this: TckWorld, opcode: number, group: number, member: string, data: Uint8Array, writable: number) {
    await this.virtio.command(opcode, group, this.virtio.memberId(member), data, writable);
  });

When('the driver submits {admin_opcode} to the {admin_group} group for member {member_id} with no data and a(n) {int}-byte writable part',
  async function (this: TckWorld, opcode: number, group: number, member: string, writable: number) {
    await this.virtio.command(opcode, group, this.virtio.memberId(member), new Uint8Array(0), writable);
  });

When('the driver reads {int} byte(s) of the legacy {legacy_region} configuration of member {member_id} at offset {int}',
  async function (this: TckWorld, width: number, region: LegacyRegion, member: string, offset: number) {
    await this.virtio.legacyRead(region, this.virtio.memberId(member), offset, width);
  });

When('the driver writes {bytes} to the legacy {legacy_region} configuration of member {member_id} at offset {int}',
  async function (this: TckWorld, data: Uint8Array, region: LegacyRegion, member: string, offset: number) {
    await this.virtio.legacyWrite(region, this.virtio.memberId(member), offset, data);
  });

When('the driver writes the 16-bit value {hexnum} to the legacy {legacy_region} configuration of member {member_id} at offset {int}',
  async function (this: TckWorld, value: number, region: LegacyRegion, member: string, offset: number) {
    await this.virtio.legacyWrite(region, this.virtio.memberId(member), offset, this.virtio.hostValue(value, 2));
  });

When('the driver queries the supported commands', async function (this: TckWorld) {
  await this.virtio.command(ADMIN_OPCODE.LIST_QUERY, 1, 0n, new Uint8Array(0), 16);
});

When('the driver puts the commands {opcode_set} in use', async function (this: TckWorld, bitmap: bigint) {
  await this.virtio.listUse(bitmap);
});

When('the owner is reset', async function (this: TckWorld) {
  await this.virtio.resetOwner();
});

When('the driver disables the owner\'s VFs', async function (this: TckWorld) {
  await this.virtio.setNumVFs(0);
});

When('the driver asks for the legacy notify addresses of member {member_id}', async function (this: TckWorld, member: string) {
  await this.virtio.command(ADMIN_OPCODE.LEGACY_NOTIFY_INFO, 1, this.virtio.memberId(member), new Uint8Array(0), 8 + NOTIFY_INFO_RESULT_SIZE);
});

When('the driver writes queue index {int} to the {word} notify address of member {member_id}', async function (this: TckWorld, queue: number, where: string, member: string) {
  expect(where === 'member' || where === 'owner', `"${where}" is neither member nor owner`);
  await this.virtio.writeNotify(this.virtio.memberId(member), where === 'member' ? NOTIFY_FLAGS.MEMBER_BAR : NOTIFY_FLAGS.OWNER_BAR, queue);
});

// --- the owner under test: outcomes ------------------------------------------------------------

Then('the command succeeds', function (this: TckWorld) {
  const c = this.virtio.last().completion;
  expect(c.status === 0 && c.status_qualifier === 0, `expected status 0 and qualifier 0x00, got status ${c.status} and qualifier ${hex(c.status_qualifier, 2)}`);
});

Then(/^the command fails with status (\d+) \((\w+)\) and qualifier (0x[0-9a-f]+) \((\w+)\)$/, function (this: TckWorld, status: string, statusName: string, qualifier: string, qualifierName: string) {
  expectEqual(statusValue(statusName), Number(status), `the scenario's status name ${statusName}`);
  expectEqual(qualifierValue(qualifierName), Number(qualifier), `the scenario's qualifier name ${qualifierName}`);
  const c = this.virtio.last().completion;
  expect(c.status === Number(status) && c.status_qualifier === Number(qualifier),
    `expected status ${status} and qualifier ${qualifier}, got status ${c.status} and qualifier ${hex(c.status_qualifier, 2)}`);
});

Then('the device writes', function (this: TckWorld, table: DataTable) {
  const wrong = mismatches(this.virtio.last().written, byteRows(table.hashes()));
  expect(wrong.length === 0, `the device-writable part differs: ${wrong.join('; ')}`);
});

Then('the device-readable part was', function (this: TckWorld, table: DataTable) {
  const rows = byteRows(table.hashes());
  const wrong = mismatches(this.virtio.last().readable, rows);
  expect(wrong.length === 0, `the device-readable part differs: ${wrong.join('; ')}`);
});

Then('the used length is {int}', function (this: TckWorld, used: number) {
  expectEqual(this.virtio.last().completion.used_length, used, 'the used length');
});

Then('the result is {bytes}', function (this: TckWorld, bytes: Uint8Array) {
  const last = this.virtio.last();
  expectEqual(spaced(last.completion.result.subarray(0, bytes.length)), spaced(bytes), 'the result');
  expect(last.completion.used_length === 8 + bytes.length, `the used length is ${last.completion.used_length}, not ${8 + bytes.length}`);
});

Then('the result is an opcode bitmap with {opcode_set} set', function (this: TckWorld, bits: bigint) {
  const bitmap = opcodeBitmap.decode(this.virtio.last().completion.result);
  expect((bitmap & bits) === bits, `the bitmap 0x${bitmap.toString(16)} lacks opcodes ${opcodesText(bits & ~bitmap)}`);
});

Then('the result bitmap offers LEGACY_COMMON_CFG_WRITE to LEGACY_DEV_CFG_READ all together or not at all', function (this: TckWorld) {
  const rw = opcodeBitmap.decode(this.virtio.last().completion.result) & 0x3cn;
  expect(rw === 0n || rw === 0x3cn, `the owner offers opcodes ${opcodesText(rw)} of 0x2-0x5`);
});

Then('the result bitmap offers LEGACY_NOTIFY_INFO only together with LEGACY_COMMON_CFG_WRITE to LEGACY_DEV_CFG_READ', function (this: TckWorld) {
  const bitmap = opcodeBitmap.decode(this.virtio.last().completion.result);
  if (bitmap & 0x40n) expect((bitmap & 0x3cn) === 0x3cn, `the owner offers NOTIFY_INFO with only ${opcodesText(bitmap & 0x3cn)} of 0x2-0x5`);
});

Then('the result bitmap still has every opcode the first query reported', function (this: TckWorld) {
  const bitmap = opcodeBitmap.decode(this.virtio.last().completion.result);
  expect(this.virtio.firstQuery !== undefined, 'no earlier query');
  const lost = this.virtio.firstQuery & ~bitmap;
  expect(lost === 0n, `opcodes ${opcodesText(lost)} were reported earlier and are missing now`);
});

Then('the legacy {legacy_region} configuration of member {member_id} at offset {int} reads {bytes}',
  async function (this: TckWorld, region: LegacyRegion, member: string, offset: number, bytes: Uint8Array) {
    const got = await this.virtio.mustRead(region, this.virtio.memberId(member), offset, bytes.length);
    expectEqual(spaced(got), spaced(bytes), `the legacy ${region} configuration at ${offset}`);
  });

Then('the legacy {legacy_region} configuration of member {member_id} reads', async function (this: TckWorld, region: LegacyRegion, member: string, table: DataTable) {
  for (const row of table.hashes()) {
    const width = Number(row.width);
    const got = uintFrom(await this.virtio.mustRead(region, this.virtio.memberId(member), Number(row.offset), width), 'little');
    const what = `${row.register ?? row.field} (${width} byte(s) at ${row.offset})`;
    if (row.value === 'any') continue;
    if (row.value === 'not 0') expect(got !== 0n, `${what} reads 0`);
    else expectEqual(hex(got), hex(BigInt(row.value)), what);
  }
});

Then('the result is the same as reading {int} bytes of the legacy {legacy_region} configuration of member {member_id} at offset {int}',
  async function (this: TckWorld, width: number, region: LegacyRegion, member: string, offset: number) {
    const result = this.virtio.last().completion.result.slice(0, width);
    const again = await this.virtio.mustRead(region, this.virtio.memberId(member), offset, width);
    expectEqual(spaced(result), spaced(again), `the result compared with ${width} bytes at ${offset}`);
  });

Then('the result is the upper half of reading {int} bytes of the legacy {legacy_region} configuration of member {member_id} at offset {int}',
  async function (this: TckWorld, width: number, region: LegacyRegion, member: string, offset: number) {
    const result = this.virtio.last().completion.result.slice(0, width / 2);
    const whole = await this.virtio.mustRead(region, this.virtio.memberId(member), offset, width);
    expectEqual(spaced(result), spaced(whole.subarray(width / 2)), `the result compared with the upper half of ${width} bytes at ${offset}`);
  });

Then('the guest features of member {member_id} are a subset of its host features', async function (this: TckWorld, member: string) {
  const id = this.virtio.memberId(member);
  const host = uintFrom(await this.virtio.mustRead('common', id, 0, 4), 'little');
  const guest = uintFrom(await this.virtio.mustRead('common', id, 4, 4), 'little');
  expect((guest & ~host) === 0n, `guest features ${hex(guest)} hold bits ${hex(guest & ~host)} the device does not offer (${hex(host)})`);
});

// --- notify addresses --------------------------------------------------------------------------

function lastNotifyEntries(world: TckWorld) {
  const c = world.virtio.last().completion;
  expect(c.status === 0, `LEGACY_NOTIFY_INFO failed with status ${c.status}`);
  return notifyInfo.decode(c.result);
}

Then('every notify entry has 6 zero padding bytes', function (this: TckWorld, _layout: DataTable) {
  const result = this.virtio.last().completion.result;
  expect(result.length >= NOTIFY_INFO_RESULT_SIZE, `the result has ${result.length} bytes, not 64`);
  for (let i = 0; i < 4; i++) {
    const padding = result.subarray(i * NOTIFY_INFO_ENTRY_SIZE + 2, i * NOTIFY_INFO_ENTRY_SIZE + 8);
    expect(padding.every((b) => b === 0), `entry ${i} has padding ${spaced(padding)}`);
  }
});

Then('every notify entry before the first one with flags 0 has flags 1 \\(owner BAR) or 2 \\(member BAR)', function (this: TckWorld) {
  for (const [i, e] of lastNotifyEntries(this).entries()) {
    if (e.flags === NOTIFY_FLAGS.END) break;
    expect(e.flags === NOTIFY_FLAGS.OWNER_BAR || e.flags === NOTIFY_FLAGS.MEMBER_BAR, `entry ${i} has reserved flags ${hex(e.flags, 2)}`);
  }
});

Then('notify entry {int} has flags {int}', function (this: TckWorld, index: number, flags: number) {
  expectEqual(lastNotifyEntries(this)[index].flags, flags, `the flags of notify entry ${index}`);
});

Then('every valid notify entry names a BAR from 1 to 5 that its function implements, at an even offset inside it', async function (this: TckWorld) {
  const member = adminHeader.decode(this.virtio.last().readable).group_member_id;
  const entries = VirtioSession.usable(lastNotifyEntries(this));
  expect(entries.length > 0, 'the owner reports no valid notify entry');
  for (const e of entries) {
    const fn = await this.virtio.notifyFunction(member, e);
    const line = (await this.virtio.resource(fn))[e.bar];
    expect(e.bar >= 1 && e.bar <= 5, `an entry names BAR ${e.bar}`);
    expect(implemented(line), `an entry names BAR${e.bar} of ${fn}, which is not implemented`);
    expect(e.offset % 2n === 0n, `an entry's offset ${hex(e.offset)} is odd`);
    expect(e.offset + 2n <= resourceSize(line), `an entry's offset ${hex(e.offset)} is outside BAR${e.bar} of ${fn} (${resourceSize(line)} bytes)`);
  }
});

Then('the owner\'s SR-IOV VF BAR0 is not implemented', async function (this: TckWorld) {
  const line = VirtioSession.vfBarLine(await this.virtio.ownerResource(), 0);
  expect(!implemented(line), `the owner's VF BAR0 spans ${line ? `${hex(line.start)}-${hex(line.end)}` : '?'}`);
});

Then('BAR0 of the owner\'s first VF is not implemented', async function (this: TckWorld) {
  const fn = await this.virtio.notifyFunction(1n, { flags: NOTIFY_FLAGS.MEMBER_BAR, bar: 0, offset: 0n });
  const line = (await this.virtio.resource(fn))[0];
  expect(!implemented(line), `BAR0 of ${fn} is implemented`);
});

// --- the translator: set-up ----------------------------------------------------------------------

Given('a VF shown to the guest as a transitional virtio-net device', async function (this: TckWorld) {
  await this.virtio.useEmulatedVf();
});

Given('a VF whose owner driver did not put every legacy command in use', async function (this: TckWorld) {
  await this.virtio.useVfWithoutLegacy();
});

Given('a VF whose owner reports no member notify address before the end of its list', async function (this: TckWorld) {
  await this.virtio.useVfWithoutMemberNotify();
});

Given('the guest has enabled I\\/O decoding', async function (this: TckWorld) {
  await this.virtio.enableIo();
});

When('MSI-X is enabled for the VF on the host', async function (this: TckWorld) {
  await this.virtio.setMsix(true);
});

When('MSI-X is disabled for the VF on the host', async function (this: TckWorld) {
  await this.virtio.setMsix(false);
});

Given('the guest is big-endian', function (this: TckWorld) {
  this.virtio.guestOrder = 'big';
});

When('the guest opens the translator VF', async function (this: TckWorld) {
  await this.virtio.openVf();
});

Given('a translator VF that offers VFIO migration', async function (this: TckWorld) {
  await this.virtio.useMigratableVf();
});

Given('its PF\'s owner driver did not put opcodes {opcode_set} in use', async function (this: TckWorld, bits: bigint) {
  const accepted = await this.virtio.acceptedCommands(this.virtio.vfUnderTest().pfPath);
  if ((accepted & bits) === bits) throw new NotApplicable(`the owner driver of ${this.virtio.vfUnderTest().pfPath} put all of ${opcodesText(bits)} in use`);
});

// --- the translator: guest actions -----------------------------------------------------------------

When('the guest reads {int} byte(s) of BAR0 at offset {int}', async function (this: TckWorld, count: number, offset: number) {
  await this.virtio.bar0Read(offset, count);
});

When('the guest writes {bytes} to BAR0 at offset {int}', async function (this: TckWorld, data: Uint8Array, offset: number) {
  await this.virtio.bar0Write(offset, data);
});

Given('the guest writes to BAR0', async function (this: TckWorld, table: DataTable) {
  for (const row of byteRows(table.hashes())) {
    await this.virtio.bar0Write(row.offset, Uint8Array.from(row.bytes as number[]));
    expect(this.last?.ok === true, `writing ${row.field} at BAR0 offset ${row.offset} failed`);
  }
});

When('the guest writes the 16-bit value {hexnum} to BAR0 at offset {int}', async function (this: TckWorld, value: number, offset: number) {
  await this.virtio.bar0Write(offset, this.virtio.guestBytes(value, 2));
});

When('the guest reads the 16-bit value at BAR0 offset {int}', async function (this: TckWorld, offset: number) {
  await this.virtio.bar0Read(offset, 2);
});

When('the guest writes {bytes} to config space at offset {hexnum}', async function (this: TckWorld, data: Uint8Array, offset: number) {
  await this.virtio.configWrite(offset, data);
});

When('the VF is reset', async function (this: TckWorld) {
  await this.virtio.resetVf();
});

When('the VF\'s migration state is set to {word}', async function (this: TckWorld, state: string) {
  expect(isMigState(state), `${state} is not a migration state`);
  await this.virtio.setMigrationState(STATE_VALUE[state]);
});

// --- the translator: outcomes -------------------------------------------------------------------------

Then('the data read is {bytes}', function (this: TckWorld, bytes: Uint8Array) {
  expectEqual(spaced(this.virtio.readBytes()), spaced(bytes), 'the bytes read');
});

Then('the translator sent', async function (this: TckWorld, table: DataTable) {
  const actual = await this.virtio.translatorActions();
  const expected = table.hashes().map((r) => ({ command: r.command, offset: r.offset, data: r.data, readWidth: r['read width'] }));
  expectEqual(actual, expected, 'what the translator sent to the owner');
});

Then('the translator sent nothing to the owner', async function (this: TckWorld) {
  expectEqual(await this.virtio.translatorActions(), [], 'what the translator sent to the owner');
});

Then('the notify access went to the first member entry of the NOTIFY_INFO result', async function (this: TckWorld) {
  const vf = this.virtio.vfUnderTest();
  const events = (await this.virtio.translatorEvents()).filter((e) => e.kind === 'notify');
  expect(events.length > 0, 'the translator made no notify access');
  for (const e of events) {
    if (e.kind !== 'notify') continue;
    expectEqual({ function: e.function, bar: e.bar, offset: BigInt(e.offset) }, { function: vf.path, bar: vf.notify!.bar, offset: vf.notify!.offset },
      'the notify address (the VF, and the BAR and offset of the first member entry before the end entry)');
  }
});

Then('config space reads', async function (this: TckWorld, table: DataTable) {
  for (const row of table.hashes()) {
    const value = await this.virtio.configValue(Number(row.offset), Number(row.width));
    if (row.value === 'any') continue;
    expectEqual(hex(value, Number(row.width) * 2), hex(Number(row.value), Number(row.width) * 2), `${row.register} (${row.width} byte(s) at ${row.offset})`);
  }
});

Then('the byte at config offset {hexnum} is {hexnum}', async function (this: TckWorld, offset: number, value: number) {
  expectEqual(hex(await this.virtio.configValue(offset, 1), 2), hex(value, 2), `config byte ${hex(offset, 2)}`);
});

Then('bit {hexnum} of the 2-byte config register at {hexnum} is {word}', async function (this: TckWorld, bit: number, offset: number, state: string) {
  const value = await this.virtio.configValue(offset, 2);
  expect(state === 'set' || state === 'clear', `"${state}" is neither set nor clear`);
  expect(((value & bit) !== 0) === (state === 'set'), `config register ${hex(offset, 2)} reads ${hex(value, 4)}: bit ${hex(bit)} is not ${state}`);
});

Then('region {int} of the VF has offset {int}, size {int} and flags {hexnum}', async function (this: TckWorld, index: number, offset: number, size: number, flags: number) {
  const info = await this.virtio.regionInfo(index);
  expectEqual({ offset: info.offset, size: info.size, flags: hex(info.flags) }, { offset: `${offset}`, size: `${size}`, flags: hex(flags) }, `region ${index} info`);
});

Then('region {int} of the VF is not the 32-byte emulated BAR', async function (this: TckWorld, index: number) {
  const info = await this.virtio.regionInfo(index);
  const rw = VFIO_REGION_INFO_FLAG.READ | VFIO_REGION_INFO_FLAG.WRITE;
  expect(!(info.size === '32' && info.flags === rw), `region ${index} is the emulated legacy BAR (32 bytes, flags 0x3)`);
});

Then('the revision id is not 0', async function (this: TckWorld) {
  expect(await this.virtio.configValue(PCI_CONFIG.REVISION_ID, 1) !== 0, 'the revision id reads 0, as for a transitional device');
});

Then('BAR0 in config space is not an I\\/O BAR', async function (this: TckWorld) {
  const bar0 = await this.virtio.configValue(PCI_CONFIG.BASE_ADDRESS_0, 4);
  expect((bar0 & PCI_BASE_ADDRESS_SPACE_IO) === 0, `BAR0 reads ${hex(bar0, 8)}, an I/O BAR`);
});

Then('no driver is bound to the VF', async function (this: TckWorld) {
  const driver = await this.virtio.driverOf(this.virtio.vfUnderTest().path);
  expect(driver === undefined, `${this.virtio.vfUnderTest().path} is bound to ${driver}`);
});

Then('the data read are the bytes of the owner\'s {admin_opcode} result, in the same order', async function (this: TckWorld, opcode: number) {
  const sent = await this.virtio.lastTranslatorCommand(opcode);
  const read = this.virtio.readBytes();
  expectEqual(spaced(read), spaced(sent.completion.result.subarray(0, read.length)), 'the bytes the guest read compared with the admin result');
});

Then('the owner answered that command with status {int}', async function (this: TckWorld, status: number) {
  const actions = await this.virtio.translatorEvents();
  const last = actions.filter((e) => e.kind === 'admin').pop();
  expect(last !== undefined && last.kind === 'admin', 'the translator sent no admin command');
  expectEqual(uintFrom(fromHex(last.written).subarray(0, 2), 'little'), BigInt(status), 'the status the owner answered');
});

Then('every command sent for the VF named its member id, its VF index plus one', async function (this: TckWorld) {
  const actions = await this.virtio.translatorActions(); // checks group_member_id of every command
  expect(actions.some((a) => a.command.startsWith('LEGACY_')), 'the translator sent no legacy command to check');
});

Then('a little-endian device reads the data of that command as {hexnum}, not {hexnum}', async function (this: TckWorld, seen: number, meant: number) {
  const sent = await this.virtio.lastTranslatorCommand(ADMIN_OPCODE.LEGACY_DEV_CFG_WRITE);
  const payload = sent.readable.subarray(32);
  expectEqual(hex(uintFrom(payload, 'little')), hex(seen), 'the data read as little-endian');
  expect(seen !== meant, 'the scenario expects a difference');
  expectEqual(hex(this.virtio.guestValue(payload)), hex(meant), 'the value the guest meant');
});

Then('the value the guest sees is the owner\'s little-endian status with its two bytes swapped', function (this: TckWorld) {
  const bytes = this.virtio.readBytes();
  const device = Number(uintFrom(bytes, 'little'));
  const guest = this.virtio.guestValue(bytes);
  expectEqual(hex(guest, 4), hex(((device & 0xff) << 8) | (device >> 8), 4), `the guest's value of the status bytes ${spaced(bytes)}`);
});

Then('GET of VFIO_DEVICE_FEATURE_MIGRATION on the VF fails with {errno}', async function (this: TckWorld, errno: ErrnoName) {
  const out = this.record(await this.virtio.migrationFeature());
  expect(!out.ok && out.errno === errno, `expected ${errno}, got ${out.ok ? 'success' : out.errno}`);
});

// --- Linux's owner driver -------------------------------------------------------------------------

Given('the owner driver of a translator VF\'s PF', async function (this: TckWorld) {
  await this.virtio.useOwnerDriverOfTranslatorPf();
});

Then('the owner driver sent', async function (this: TckWorld, table: DataTable) {
  const commands = await this.virtio.ownerDriverCommands(this.virtio.ownerDriverPf());
  const actual = commands.map((c) => {
    const h = adminHeader.decode(c.readable);
    return { command: opcodeName(h.opcode), group_type: hex(h.group_type, 4), group_member_id: `${h.group_member_id}`, 'data bytes': `${c.readable.length - 24}`, 'writable length': `${c.writableLength}` };
  });
  expectEqual(actual, table.hashes(), 'what the owner driver sent');
});

Then('the LIST_USE bitmap is the LIST_QUERY result masked by the opcodes the driver uses', async function (this: TckWorld) {
  const n = await this.virtio.negotiation();
  const mask = this.virtio.linuxAdminCmdBitmap();
  expectEqual(hex(n.used), hex(n.queried & mask), `LIST_USE (LIST_QUERY ${hex(n.queried)} masked with ${hex(mask)} on ${this.info.platform.arch}, kernel ${this.info.platform.kernel})`);
});

Then('the LIST_USE bitmap is the LIST_QUERY result masked with {hexnum}', async function (this: TckWorld, mask: number) {
  const n = await this.virtio.negotiation();
  expectEqual(hex(n.used), hex(n.queried & BigInt(mask)), `LIST_USE (LIST_QUERY ${hex(n.queried)} masked with ${hex(mask)})`);
});

Then('the LIST_USE bitmap has none of the opcodes {opcode_set} set', async function (this: TckWorld, bits: bigint) {
  const n = await this.virtio.negotiation();
  expect((n.used & bits) === 0n, `LIST_USE put opcodes ${opcodesText(n.used & bits)} in use`);
});

Then('the LIST_USE bitmap keeps every legacy opcode from 0x2 to 0x6 that LIST_QUERY reported', async function (this: TckWorld) {
  const n = await this.virtio.negotiation();
  const offered = n.queried & LEGACY_ADMIN_CMD_BITMAP;
  expect((n.used & offered) === offered, `LIST_USE left out ${opcodesText(offered & ~n.used)}`);
});

Then('every declared translator VF is emulated exactly when its PF\'s owner driver put opcodes 0x2-0x6 in use, its BAR0 is not implemented and its owner reported a member notify address',
  async function (this: TckWorld) {
    const facts = await this.virtio.translatorVfFacts();
    expect(facts.length > 0, 'no VF is declared with the virtio-translator role');
    for (const v of facts) {
      const candidate = v.d.driver === 'virtio_vfio_pci' && v.legacy && !v.bar0;
      const driver = await this.virtio.driverOf(v.d.path);
      if (candidate && !VirtioSession.memberEntry(v.notify)) {
        expect(driver === undefined, `${v.d.path} has no member notify address, yet ${driver} is bound to it`);
        continue;
      }
      expect(driver !== undefined, `no driver is bound to ${v.d.path}`);
      const id = await this.virtio.deviceIdOf(v.d.path);
      const want = candidate ? VIRTIO_TRANS_ID_NET : VIRTIO_PCI_MODERN_ID_NET;
      expectEqual(hex(id, 4), hex(want, 4), `the device id of ${v.d.path} (owner driver accepted ${opcodesText(v.accepted)}${v.bar0 ? ', BAR0 present' : ''})`);
    }
  });

Then('the owner driver\'s {word} command starts with', async function (this: TckWorld, ordinal: string, table: DataTable) {
  const index = ['first', 'second', 'third'].indexOf(ordinal);
  expect(index >= 0, `"${ordinal}" is not first, second or third`);
  const commands = await this.virtio.ownerDriverCommands(this.virtio.ownerDriverPf());
  expect(commands.length > index, `the owner driver sent only ${commands.length} command(s)`);
  const wrong = mismatches(commands[index].readable, byteRows(table.hashes()));
  expect(wrong.length === 0, `the owner driver's ${ordinal} command differs: ${wrong.join('; ')}`);
});
