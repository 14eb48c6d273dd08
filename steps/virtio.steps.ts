// The virtio legacy phrases: the driver of an owner under test, the guest of a
// VF shown by virtio-vfio-pci, and what Linux's owner driver negotiated. Each
// step parses its phrase and calls the session (support/virtio/session.ts) or
// its checks (support/virtio/checks.ts).
import { DataTable, defineParameterType } from '@cucumber/cucumber';
import { Given, Then, When } from './dsl';
import type { ErrnoName } from '../support/contract/errno';
import type { TckWorld } from '../support/world/world';
import { ADMIN_OPCODE, NOTIFY_INFO_RESULT_SIZE, VFIO_PCI_IRQ_INDEX } from '../support/uapi/virtio';
import {
  assemble, byteRows, GROUP_PATTERN, MEMBER_PATTERN, NUMBER_PATTERN, OPCODE_PATTERN, OPCODE_SET_PATTERN, parseGroup, parseNotifyTarget,
  parseOpcode, parseOpcodeSet,
} from '../support/virtio/phrases';
import type { LegacyRegion } from '../support/virtio/session';
import { checks } from '../support/virtio/checks';

defineParameterType({ name: 'admin_opcode', regexp: OPCODE_PATTERN, transformer: parseOpcode });
defineParameterType({ name: 'admin_group', regexp: GROUP_PATTERN, transformer: parseGroup });
defineParameterType({ name: 'opcode_set', regexp: OPCODE_SET_PATTERN, transformer: parseOpcodeSet });
defineParameterType({ name: 'member_id', regexp: MEMBER_PATTERN, transformer: (s: string) => s });
defineParameterType({ name: 'legacy_region', regexp: /common|device/, transformer: (s: string) => s as LegacyRegion });
defineParameterType({ name: 'hexnum', regexp: NUMBER_PATTERN, transformer: (s: string) => Number(s) });

// --- platform -----------------------------------------------------------------------

Given('an x86 host', function (this: TckWorld) {
  this.virtio.requireX86Host();
});

Given('a host that is not x86', function (this: TckWorld) {
  this.virtio.requireNonX86Host();
});

Given('a big-endian host', function (this: TckWorld) {
  this.virtio.requireBigEndianHost();
});

// --- the owner under test: set-up --------------------------------------------------------

Given('an SR-IOV virtio owner', async function (this: TckWorld) {
  await this.virtio.useOwner();
});

Given('an SR-IOV virtio owner with at least {int} VFs enabled', async function (this: TckWorld, least: number) {
  await this.virtio.useOwnerWithVfs(least);
});

Given('an SR-IOV virtio owner with fewer VFs enabled than it could have', async function (this: TckWorld) {
  await this.virtio.useOwnerWithSpareVfs();
});

Given('the driver has put the commands {opcode_set} in use', async function (this: TckWorld, bitmap: bigint) {
  await this.virtio.putInUse(bitmap);
});

Given('the owner does not offer the commands {opcode_set}', async function (this: TckWorld, bitmap: bigint) {
  await this.virtio.requireNotOffered(bitmap);
});

Given('the driver runs on a big-endian host', function (this: TckWorld) {
  this.virtio.driverHostOrder = 'big';
});

Given('the driver writes to the legacy {legacy_region} configuration of member {member_id}', async function (this: TckWorld, region: LegacyRegion, member: string, table: DataTable) {
  await this.virtio.mustWriteRows(region, this.virtio.memberId(member), table.hashes());
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

When('the driver puts the commands {opcode_set} in use in a bitmap of {int} bytes', async function (this: TckWorld, bitmap: bigint, bytes: number) {
  await this.virtio.listUseIn(bitmap, bytes);
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
  const flags = parseNotifyTarget(where);
  await this.virtio.writeNotify(this.virtio.memberId(member), flags, queue);
});

// --- the owner under test: outcomes ------------------------------------------------------------

Then('the command succeeds', function (this: TckWorld) {
  checks.commandSucceeds(this);
});

Then('the command fails with a non-zero status', function (this: TckWorld) {
  checks.commandFailsAnyhow(this);
});

Then(/^the command fails with status (\d+) \((\w+)\) and qualifier (0x[0-9a-f]+) \((\w+)\)$/, function (this: TckWorld, status: string, statusName: string, qualifier: string, qualifierName: string) {
  checks.commandFails(this, status, statusName, qualifier, qualifierName);
});

Then('the device writes', function (this: TckWorld, table: DataTable) {
  checks.deviceWrote(this, table.hashes());
});

Then('the device-readable part was', function (this: TckWorld, table: DataTable) {
  checks.readablePart(this, table.hashes());
});

Then('the used length is {int}', function (this: TckWorld, used: number) {
  checks.usedLength(this, used);
});

Then('the result is {bytes}', function (this: TckWorld, bytes: Uint8Array) {
  checks.result(this, bytes);
});

Then('the result is an opcode bitmap with {opcode_set} set', function (this: TckWorld, bits: bigint) {
  checks.resultHasOpcodes(this, bits);
});

Then('the result bitmap offers LEGACY_COMMON_CFG_WRITE to LEGACY_DEV_CFG_READ all together or not at all', function (this: TckWorld) {
  checks.legacyAccessAllOrNothing(this);
});

Then('the result bitmap offers LEGACY_NOTIFY_INFO only together with LEGACY_COMMON_CFG_WRITE to LEGACY_DEV_CFG_READ', function (this: TckWorld) {
  checks.notifyInfoOnlyWithLegacyAccess(this);
});

Then('the result bitmap still has every opcode the first query reported', function (this: TckWorld) {
  checks.keepsFirstQuery(this);
});

Then('the legacy {legacy_region} configuration of member {member_id} at offset {int} reads {bytes}',
  async function (this: TckWorld, region: LegacyRegion, member: string, offset: number, bytes: Uint8Array) {
    await checks.legacyReads(this, region, this.virtio.memberId(member), offset, bytes);
  });

Then('the legacy {legacy_region} configuration of member {member_id} reads', async function (this: TckWorld, region: LegacyRegion, member: string, table: DataTable) {
  await checks.legacyReadsTable(this, region, this.virtio.memberId(member), table.hashes());
});

Then('the result is the same as reading {int} bytes of the legacy {legacy_region} configuration of member {member_id} at offset {int}',
  async function (this: TckWorld, width: number, region: LegacyRegion, member: string, offset: number) {
    await checks.resultIsRead(this, width, region, this.virtio.memberId(member), offset);
  });

Then('the result is the upper half of reading {int} bytes of the legacy {legacy_region} configuration of member {member_id} at offset {int}',
  async function (this: TckWorld, width: number, region: LegacyRegion, member: string, offset: number) {
    await checks.resultIsUpperHalf(this, width, region, this.virtio.memberId(member), offset);
  });

Then('the guest features of member {member_id} are a subset of its host features', async function (this: TckWorld, member: string) {
  await checks.guestFeaturesSubset(this, this.virtio.memberId(member));
});

// --- notify addresses --------------------------------------------------------------------------

Then('every notify entry has 6 zero padding bytes', function (this: TckWorld, _layout: DataTable) {
  checks.notifyPadding(this);
});

Then('every notify entry before the first one with flags 0 has flags 1 \\(owner BAR) or 2 \\(member BAR)', function (this: TckWorld) {
  checks.notifyFlagsValid(this);
});

Then('notify entry {int} has flags {int}', function (this: TckWorld, index: number, flags: number) {
  checks.notifyEntryFlags(this, index, flags);
});

Then('every valid notify entry names a BAR from 1 to 5 that its function implements, at an even offset inside it', async function (this: TckWorld) {
  await checks.notifyEntriesInsideBars(this);
});

Then('the owner\'s SR-IOV VF BAR0 is not implemented', async function (this: TckWorld) {
  await checks.ownerVfBar0Unimplemented(this);
});

Then('BAR0 of the owner\'s first VF is not implemented', async function (this: TckWorld) {
  await checks.firstVfBar0Unimplemented(this);
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

When('MSI is enabled for the VF on the host', async function (this: TckWorld) {
  await this.virtio.enableMsi();
});

When('MSI is disabled for the VF on the host', async function (this: TckWorld) {
  await this.virtio.setIrqs(VFIO_PCI_IRQ_INDEX.MSI, false);
});

When(/^the host tries to enable (MSI|MSI-X) for the VF$/, async function (this: TckWorld, kind: string) {
  await this.virtio.tryEnableIrqs(kind === 'MSI' ? VFIO_PCI_IRQ_INDEX.MSI : VFIO_PCI_IRQ_INDEX.MSIX, 1);
});

When('the host tries to enable {string} vectors of interrupt index {int}', async function (this: TckWorld, relative: string, index: number) {
  await this.virtio.tryEnableCounted(index, relative);
});

When('VFIO_DEVICE_GET_IRQ_INFO is issued on the VF for index {hexnum} with argsz {int}', async function (this: TckWorld, index: number, argsz: number) {
  await this.virtio.irqInfo(index, argsz);
});

Then('the IRQ info has argsz {int}, index {int}, flags {string} and count {string}', function (this: TckWorld, argsz: number, index: number, flags: string, count: string) {
  checks.irqInfoIs(this, argsz, index, flags, count);
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
  await this.virtio.requirePfOwnerDriverWithout(bits);
});

// --- the translator: guest actions -----------------------------------------------------------------

When('the guest reads {int} byte(s) of BAR0 at offset {int}', async function (this: TckWorld, count: number, offset: number) {
  await this.virtio.bar0Read(offset, count);
});

When('the guest writes {bytes} to BAR0 at offset {int}', async function (this: TckWorld, data: Uint8Array, offset: number) {
  await this.virtio.bar0Write(offset, data);
});

Given('the guest writes to BAR0', async function (this: TckWorld, table: DataTable) {
  await this.virtio.bar0WriteRows(table.hashes());
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
  await this.virtio.setMigrationStateNamed(state);
});

// --- the translator: outcomes -------------------------------------------------------------------------

Then('the data read is {bytes}', function (this: TckWorld, bytes: Uint8Array) {
  checks.dataRead(this, bytes);
});

Then('the translator sent', async function (this: TckWorld, table: DataTable) {
  await checks.translatorSent(this, table.hashes());
});

Then('the translator sent nothing to the owner', async function (this: TckWorld) {
  await checks.translatorSentNothing(this);
});

Then('the notify access went to the first member entry of the NOTIFY_INFO result', async function (this: TckWorld) {
  await checks.notifyWentToMemberEntry(this);
});

Then('config space reads', async function (this: TckWorld, table: DataTable) {
  await checks.configReads(this, table.hashes());
});

Then('the byte at config offset {hexnum} is {hexnum}', async function (this: TckWorld, offset: number, value: number) {
  await checks.configByte(this, offset, value);
});

Then('bit {hexnum} of the 2-byte config register at {hexnum} is {word}', async function (this: TckWorld, bit: number, offset: number, state: string) {
  await checks.configBit(this, bit, offset, state);
});

Then('region {int} of the VF has offset {int}, size {int} and flags {hexnum}', async function (this: TckWorld, index: number, offset: number, size: number, flags: number) {
  await checks.regionInfo(this, index, offset, size, flags);
});

Then('region {int} of the VF is not the 32-byte emulated BAR', async function (this: TckWorld, index: number) {
  await checks.regionNotEmulatedBar(this, index);
});

Then('the revision id is not 0', async function (this: TckWorld) {
  await checks.revisionNotZero(this);
});

Then('BAR0 in config space is not an I\\/O BAR', async function (this: TckWorld) {
  await checks.bar0NotIo(this);
});

Then('no driver is bound to the VF', async function (this: TckWorld) {
  await checks.noDriverBound(this);
});

Then('the data read are the bytes of the owner\'s {admin_opcode} result, in the same order', async function (this: TckWorld, opcode: number) {
  await checks.readIsAdminResult(this, opcode);
});

Then('the owner answered that command with status {int}', async function (this: TckWorld, status: number) {
  await checks.ownerAnsweredStatus(this, status);
});

Then('every command sent for the VF named its member id, its VF index plus one', async function (this: TckWorld) {
  await checks.membersNamed(this);
});

Then('a little-endian device reads the data of that command as {hexnum}, not {hexnum}', async function (this: TckWorld, seen: number, meant: number) {
  await checks.littleEndianReading(this, seen, meant);
});

Then('the value the guest sees is the owner\'s little-endian status with its two bytes swapped', function (this: TckWorld) {
  checks.statusSwapped(this);
});

Then('GET of VFIO_DEVICE_FEATURE_MIGRATION on the VF fails with {errno}', async function (this: TckWorld, errno: ErrnoName) {
  await checks.migrationFeatureFails(this, errno);
});

// --- Linux's owner driver -------------------------------------------------------------------------

Given('the owner driver of a translator VF\'s PF', async function (this: TckWorld) {
  await this.virtio.useOwnerDriverOfTranslatorPf();
});

Then('the owner driver sent', async function (this: TckWorld, table: DataTable) {
  await checks.ownerDriverSent(this, table.hashes());
});

Then('the LIST_USE bitmap is the LIST_QUERY result masked by the opcodes the driver uses', async function (this: TckWorld) {
  await checks.listUseMaskedByDriver(this);
});

Then('the LIST_USE bitmap is the LIST_QUERY result masked with {hexnum}', async function (this: TckWorld, mask: number) {
  await checks.listUseMaskedWith(this, mask);
});

Then('the LIST_USE bitmap has none of the opcodes {opcode_set} set', async function (this: TckWorld, bits: bigint) {
  await checks.listUseLacks(this, bits);
});

Then('the LIST_USE bitmap keeps every legacy opcode from 0x2 to 0x6 that LIST_QUERY reported', async function (this: TckWorld) {
  await checks.listUseKeepsLegacy(this);
});

Then('every declared translator VF is emulated exactly when its PF\'s owner driver put opcodes 0x2-0x6 in use, its BAR0 is not implemented and its owner reported a member notify address',
  async function (this: TckWorld) {
    await checks.translatorVfsEmulated(this);
  });

Then('the owner driver\'s {word} command starts with', async function (this: TckWorld, ordinal: string, table: DataTable) {
  await checks.ownerDriverCommandStartsWith(this, ordinal, table.hashes());
});
