// Everything the virtio legacy steps do, in the spec's and the kernel's
// vocabulary. Two roles: as the driver of an owner under test the session
// builds admin commands (support/uapi/virtio.ts) and submits them; as the
// guest of a VF shown by virtio-vfio-pci it reads and writes config space and
// BAR0 through the VFIO operations, and compares with what the host sent to
// the owner (admin_trace). Which VF or owner a scenario uses is decided from
// declared facts: roles, platform, sysfs, and what the owner driver negotiated.
import { posix } from 'node:path';
import type { TraceEvent } from '../contract/ops-virtio';
import type { DeclaredDevice } from '../contract/protocol';
import { fromHex, toHex } from '../uapi/bytes';
import { encodeFeature, FEATURE, FEATURE_FLAG, IOCTL, isMigState, MIG_FLAG, migState, STATE_VALUE, u64Payload } from '../uapi/vfio';
import {
  ADMIN_CMD_HDR_SIZE, ADMIN_CMD_STATUS_SIZE, ADMIN_OPCODE, ADMIN_QUALIFIER, ADMIN_STATUS, adminHeader, AdminCompletion,
  ByteOrder, decodeCompletion, encodeAdminCommand, GROUP_TYPE, irqSet, LEGACY_ADMIN_CMD_BITMAP, legacyRead, legacyWrite,
  NOTIFY_FLAGS, NOTIFY_INFO_ENTRIES, NOTIFY_INFO_RESULT_SIZE, NotifyEntry, notifyInfo, opcodeBitmap, opcodeName, uintBytes,
  uintFrom, irqInfo, IrqInfo, VFIO_DEVICE_GET_IRQ_INFO, VFIO_IRQ_INFO_SIZE, VFIO_DEVICE_SET_IRQS, VFIO_IRQ_SET, VFIO_PCI_BAR0_REGION_INDEX, VFIO_PCI_CONFIG_REGION_INDEX, VFIO_PCI_IRQ_INDEX,
  PCI_CONFIG,
} from '../uapi/virtio';
import { expect, expectEqual } from '../world/assert';
import { NotApplicable } from '../world/skip';
import type { TckWorld } from '../world/world';
import { addressOf, implemented, parseResource, PCI_IOV_RESOURCES, resolveLink, resourceSize, ResourceLine, vfIndex } from './pci';
import { byteRows, opcodesText } from './phrases';

export type LegacyRegion = 'common' | 'device';

export interface OwnerUnderTest { path: string; numVFs: number; totalVFs: number }

export interface SentCommand { readable: Uint8Array; writableLength: number; written: Uint8Array; completion: AdminCompletion }

export interface VfUnderTest { path: string; pfPath: string; memberId: bigint; fd?: number; notify?: { bar: number; offset: bigint } }

// What the translator did, one row per admin command or notify access.
export interface TranslatorAction { command: string; offset: string; data: string; readWidth: string }

export const X86_ONLY_REASON =
  'the translator is offered on x86 only: legacy drivers order their accesses with barriers that are enough only ' +
  'against a software device on a strongly ordered CPU, and keep device config and rings in the guest\'s byte order, ' +
  'which a hardware device cannot know';

export function isX86(arch: string): boolean {
  return ['x86_64', 'x86', 'i386', 'i686'].includes(arch);
}

const LEGACY_OPCODES: number[] = [0x2, 0x3, 0x4, 0x5, 0x6];

export class VirtioSession {
  owner: OwnerUnderTest | undefined;
  // The byte order of the host the suite's own driver pretends to run on.
  driverHostOrder: ByteOrder = 'little';
  lastCommand: SentCommand | undefined;
  firstQuery: bigint | undefined;
  vf: VfUnderTest | undefined;
  guestOrder: ByteOrder = 'little';
  lastRead: Uint8Array | undefined;
  lastIrqInfo: IrqInfo | undefined;
  private readonly traceLog = new Map<string, TraceEvent[]>();
  private vfMark = 0;

  constructor(private readonly world: TckWorld) {}

  private get client() {
    return this.world.client;
  }

  // --- the host a scenario describes ------------------------------------------------
  requireX86Host(): void {
    const { arch } = this.world.info.platform;
    if (!isX86(arch)) throw new NotApplicable(`this scenario describes an x86 host; the implementation declares ${arch}`);
  }

  requireNonX86Host(): void {
    const { arch } = this.world.info.platform;
    if (isX86(arch)) throw new NotApplicable(`this scenario describes a host that is not x86; the implementation declares ${arch} (a reference run can choose one with TCK_REF_ARCH=arm64)`);
  }

  requireBigEndianHost(): void {
    const { byte_order, arch } = this.world.info.platform;
    if (byte_order !== 'big') throw new NotApplicable(`this scenario describes a big-endian host; the implementation declares a ${byte_order}-endian ${arch} (a reference run can choose one with TCK_REF_ARCH=ppc64 TCK_REF_BYTE_ORDER=big)`);
  }

  // --- sysfs ----------------------------------------------------------------------
  async readAttr(path: string): Promise<string> {
    const { data } = await this.client.must('sysfs_read', { path });
    return Buffer.from(fromHex(data)).toString('latin1').trim();
  }

  async readNumber(path: string): Promise<number> {
    const text = await this.readAttr(path);
    const value = Number(text);
    expect(Number.isInteger(value), `${path} reads "${text}", not a number`);
    return value;
  }

  async resource(fn: string): Promise<ResourceLine[]> {
    return parseResource(await this.readAttr(`${fn}/resource`));
  }

  // --- the owner under test --------------------------------------------------------
  private declared(role: 'virtio-owner' | 'virtio-translator'): DeclaredDevice[] {
    return this.world.info.devices.filter((d) => d.roles.includes(role));
  }

  async useOwner(): Promise<OwnerUnderTest> {
    const [declared] = this.declared('virtio-owner');
    if (!declared) throw new NotApplicable('the implementation declares no device with the virtio-owner role');
    const numVFs = await this.readNumber(`${declared.path}/sriov_numvfs`);
    const totalVFs = await this.readNumber(`${declared.path}/sriov_totalvfs`);
    if (numVFs < 1) throw new NotApplicable(`${declared.path} has no VF enabled (sriov_numvfs is 0), so its SR-IOV group is empty`);
    this.owner = { path: declared.path, numVFs, totalVFs };
    return this.owner;
  }

  // An owner that can still enable more VFs than it has.
  async useOwnerWithSpareVfs(): Promise<OwnerUnderTest> {
    const owner = await this.useOwner();
    if (owner.numVFs >= owner.totalVFs) throw new NotApplicable(`${owner.path} has all ${owner.totalVFs} of its VFs enabled`);
    return owner;
  }

  // An owner whose SR-IOV group has a second member, for rules about each member.
  async useOwnerWithVfs(least: number): Promise<OwnerUnderTest> {
    const owner = await this.useOwner();
    if (owner.numVFs < least) throw new NotApplicable(`${owner.path} has ${owner.numVFs} VF(s) enabled; the scenario needs at least ${least}`);
    return owner;
  }

  ownerUnderTest(): OwnerUnderTest {
    expect(this.owner !== undefined, 'the scenario has no owner yet');
    return this.owner;
  }

  // "1", "NumVFs", "NumVFs + 1", "0xffffffffffffffff"
  memberId(text: string): bigint {
    const numVFs = BigInt(this.ownerUnderTest().numVFs);
    if (text === 'NumVFs') return numVFs;
    if (text === 'NumVFs + 1') return numVFs + 1n;
    return BigInt(text);
  }

  async submit(readable: Uint8Array, writableLength: number): Promise<SentCommand> {
    const out = await this.client.call('admin_command', { owner: this.ownerUnderTest().path, data: toHex(readable), writable_length: writableLength });
    this.world.record(out);
    expect(out.ok, `the owner did not execute the command: ${out.ok ? '' : out.errno}`);
    const written = fromHex(out.value.written);
    expect(out.value.used_length === written.length, `the used length ${out.value.used_length} differs from the ${written.length} bytes written`);
    expect(out.value.used_length <= writableLength, `the owner wrote ${out.value.used_length} bytes into a ${writableLength}-byte writable part`);
    const completion = decodeCompletion(written, out.value.used_length, writableLength);
    if (completion.status === ADMIN_STATUS.OK) {
      expect(completion.status_qualifier === ADMIN_QUALIFIER.OK, `status OK came with qualifier 0x${completion.status_qualifier.toString(16)}`);
    }
    this.lastCommand = { readable, writableLength, written, completion };
    return this.lastCommand;
  }

  async command(opcode: number, group: number, member: bigint, data: Uint8Array, writableLength: number): Promise<SentCommand> {
    return this.submit(encodeAdminCommand({ opcode, group_type: group, group_member_id: member }, data), writableLength);
  }

  last(): SentCommand {
    expect(this.lastCommand !== undefined, 'no admin command was submitted');
    return this.lastCommand;
  }

  async legacyRead(region: LegacyRegion, member: bigint, offset: number, width: number): Promise<SentCommand> {
    const opcode = region === 'common' ? ADMIN_OPCODE.LEGACY_COMMON_CFG_READ : ADMIN_OPCODE.LEGACY_DEV_CFG_READ;
    return this.command(opcode, GROUP_TYPE.SRIOV, member, legacyRead.encode(offset), ADMIN_CMD_STATUS_SIZE + width);
  }

  async legacyWrite(region: LegacyRegion, member: bigint, offset: number, payload: Uint8Array): Promise<SentCommand> {
    const opcode = region === 'common' ? ADMIN_OPCODE.LEGACY_COMMON_CFG_WRITE : ADMIN_OPCODE.LEGACY_DEV_CFG_WRITE;
    return this.command(opcode, GROUP_TYPE.SRIOV, member, legacyWrite.encode(offset, payload), ADMIN_CMD_STATUS_SIZE);
  }

  // A value as the driver's host holds it in memory, converted for the wire
  // the way cpu_to_le16()/cpu_to_le32() do: the same bytes on every host.
  hostValue(value: number, size: number): Uint8Array {
    const inHostMemory = uintBytes(value, size, this.driverHostOrder);
    return uintBytes(uintFrom(inHostMemory, this.driverHostOrder), size, 'little');
  }

  expectOk(what: string, sent: SentCommand): void {
    const c = sent.completion;
    expect(c.status === ADMIN_STATUS.OK, `${what} failed with status ${c.status} qualifier 0x${c.status_qualifier.toString(16)}`);
  }

  async mustRead(region: LegacyRegion, member: bigint, offset: number, width: number): Promise<Uint8Array> {
    const sent = await this.legacyRead(region, member, offset, width);
    this.expectOk(`reading ${width} byte(s) of the legacy ${region} configuration at ${offset}`, sent);
    return sent.completion.result.subarray(0, width);
  }

  async mustWrite(region: LegacyRegion, member: bigint, offset: number, payload: Uint8Array): Promise<void> {
    this.expectOk(`writing the legacy ${region} configuration at ${offset}`, await this.legacyWrite(region, member, offset, payload));
  }

  // | offset | bytes | field |  written in order, each write must succeed.
  async mustWriteRows(region: LegacyRegion, member: bigint, rows: Record<string, string>[]): Promise<void> {
    for (const row of byteRows(rows)) await this.mustWrite(region, member, row.offset, Uint8Array.from(row.bytes as number[]));
  }

  async query(group = GROUP_TYPE.SRIOV, resultBytes = 8): Promise<bigint> {
    const sent = await this.command(ADMIN_OPCODE.LIST_QUERY, group, 0n, new Uint8Array(0), ADMIN_CMD_STATUS_SIZE + resultBytes);
    this.expectOk('LIST_QUERY', sent);
    const bitmap = opcodeBitmap.decode(sent.completion.result);
    this.firstQuery ??= bitmap;
    return bitmap;
  }

  async listUse(bitmap: bigint, group = GROUP_TYPE.SRIOV): Promise<SentCommand> {
    return this.command(ADMIN_OPCODE.LIST_USE, group, 0n, opcodeBitmap.encode(bitmap), ADMIN_CMD_STATUS_SIZE);
  }

  // LIST_USE with its bitmap laid out over `bytes` bytes: whole le64 words, a
  // trailing part of one, or more words than the opcodes need (zero words).
  async listUseIn(bitmap: bigint, bytes: number): Promise<SentCommand> {
    const words = Math.ceil(bytes / 8);
    expect(bitmap >> BigInt(bytes * 8) === 0n, `opcodes ${opcodesText(bitmap)} do not fit in ${bytes} bytes`);
    return this.command(ADMIN_OPCODE.LIST_USE, GROUP_TYPE.SRIOV, 0n, opcodeBitmap.encode(bitmap, words).subarray(0, bytes), ADMIN_CMD_STATUS_SIZE);
  }

  // A scenario about opcodes the owner does not support needs an owner that reports none of them.
  async requireNotOffered(bitmap: bigint): Promise<void> {
    // a result part with room for every word the opcodes fall in
    const offered = (await this.query(GROUP_TYPE.SRIOV, Math.ceil(bitmap.toString(2).length / 64) * 8)) & bitmap;
    if (offered) throw new NotApplicable(`the owner offers opcodes ${opcodesText(offered)}, which the scenario needs unsupported`);
  }

  async putInUse(bitmap: bigint): Promise<void> {
    const supported = await this.query();
    const missing = bitmap & ~supported;
    if (missing) {
      const names = LEGACY_OPCODES.filter((op) => (missing >> BigInt(op)) & 1n).map(opcodeName);
      throw new NotApplicable(`the owner does not offer ${names.join(', ') || `opcodes 0x${missing.toString(16)}`} (LIST_QUERY reports 0x${supported.toString(16)})`);
    }
    this.expectOk('LIST_USE', await this.listUse(bitmap));
  }

  async resetOwner(): Promise<void> {
    await this.client.must('sysfs_write', { path: `${this.ownerUnderTest().path}/reset`, data: toHex(Buffer.from('1')) });
  }

  async setNumVFs(numVFs: number): Promise<void> {
    await this.client.must('sysfs_write', { path: `${this.ownerUnderTest().path}/sriov_numvfs`, data: toHex(Buffer.from(`${numVFs}`)) });
  }

  async notifyEntries(member: bigint): Promise<NotifyEntry[]> {
    const sent = await this.command(ADMIN_OPCODE.LEGACY_NOTIFY_INFO, GROUP_TYPE.SRIOV, member, new Uint8Array(0), ADMIN_CMD_STATUS_SIZE + NOTIFY_INFO_RESULT_SIZE);
    this.expectOk('LEGACY_NOTIFY_INFO', sent);
    return notifyInfo.decode(sent.completion.result);
  }

  // The entries a driver may use: up to the first end entry, flags 1 or 2.
  static usable(entries: NotifyEntry[]): NotifyEntry[] {
    const end = entries.findIndex((e) => e.flags === NOTIFY_FLAGS.END);
    return entries.slice(0, end < 0 ? NOTIFY_INFO_ENTRIES : end)
      .filter((e) => e.flags === NOTIFY_FLAGS.OWNER_BAR || e.flags === NOTIFY_FLAGS.MEMBER_BAR);
  }

  // The PCI function a notify entry's BAR belongs to.
  async notifyFunction(member: bigint, entry: NotifyEntry): Promise<string> {
    const owner = this.ownerUnderTest().path;
    if (entry.flags === NOTIFY_FLAGS.OWNER_BAR) return owner;
    return resolveLink(`${owner}/virtfn${member - 1n}`, (await this.client.must('sysfs_readlink', { path: `${owner}/virtfn${member - 1n}` })).target);
  }

  async writeNotify(member: bigint, flags: number, queue: number): Promise<void> {
    const entry = VirtioSession.usable(await this.notifyEntries(member)).find((e) => e.flags === flags);
    if (!entry) throw new NotApplicable(`the owner reports no ${flags === NOTIFY_FLAGS.OWNER_BAR ? 'owner' : 'member'} notify address for member ${member}`);
    const path = await this.notifyFunction(member, entry);
    // A driver writes the 16-bit queue index little-endian.
    this.world.record(await this.client.call('mmio_write', { path, bar: entry.bar, offset: `${entry.offset}`, data: toHex(uintBytes(queue, 2, 'little')) }));
  }

  // --- translator VFs ----------------------------------------------------------------
  private async tracePull(path: string): Promise<TraceEvent[]> {
    const log = this.traceLog.get(path) ?? [];
    const { events } = await this.client.must('admin_trace', { path });
    log.push(...events);
    this.traceLog.set(path, log);
    return log;
  }

  async pfOf(vfPath: string): Promise<string> {
    return resolveLink(`${vfPath}/physfn`, (await this.client.must('sysfs_readlink', { path: `${vfPath}/physfn` })).target);
  }

  // The commands the owner driver of a PF sent, with the owner's answers.
  async ownerDriverCommands(pfPath: string): Promise<SentCommand[]> {
    return (await this.tracePull(pfPath)).filter((e): e is Extract<TraceEvent, { kind: 'admin' }> => e.kind === 'admin').map(sentOf);
  }

  // What LIST_USE put in use (0 when it never succeeded).
  async acceptedCommands(pfPath: string): Promise<bigint> {
    const uses = (await this.ownerDriverCommands(pfPath))
      .filter((c) => adminHeader.decode(c.readable).opcode === ADMIN_OPCODE.LIST_USE && c.completion.status === ADMIN_STATUS.OK);
    const last = uses[uses.length - 1];
    return last ? opcodeBitmap.decode(last.readable.subarray(ADMIN_CMD_HDR_SIZE)) : 0n;
  }

  async expectedMemberId(vfPath: string, pfPath: string): Promise<bigint> {
    const offset = await this.readNumber(`${pfPath}/sriov_offset`);
    const stride = await this.readNumber(`${pfPath}/sriov_stride`);
    return BigInt(vfIndex(addressOf(pfPath), addressOf(vfPath), offset, stride) + 1);
  }

  // Every command sent on behalf of a VF must name it by its member id.
  private checkMembers(events: TraceEvent[], vf: { path: string; memberId: bigint }): void {
    for (const e of events) {
      if (e.kind !== 'admin') continue;
      const h = adminHeader.decode(fromHex(e.data));
      expectEqual(h.group_type, GROUP_TYPE.SRIOV, `group_type of ${opcodeName(h.opcode)} sent for ${vf.path}`);
      expectEqual(h.group_member_id, vf.memberId, `group_member_id of ${opcodeName(h.opcode)} sent for ${vf.path} (its VF index plus one)`);
    }
  }

  // The NOTIFY_INFO result the translator received for a VF, if it asked.
  private notifyResult(events: TraceEvent[]): NotifyEntry[] | undefined {
    const sent = events.filter((e): e is Extract<TraceEvent, { kind: 'admin' }> => e.kind === 'admin').map(sentOf)
      .find((c) => adminHeader.decode(c.readable).opcode === ADMIN_OPCODE.LEGACY_NOTIFY_INFO && c.completion.status === ADMIN_STATUS.OK);
    return sent ? notifyInfo.decode(sent.completion.result) : undefined;
  }

  private async describeVf(d: DeclaredDevice) {
    const pfPath = await this.pfOf(d.path);
    const memberId = await this.expectedMemberId(d.path, pfPath);
    const accepted = await this.acceptedCommands(pfPath);
    const events = await this.tracePull(d.path);
    this.checkMembers(events, { path: d.path, memberId });
    const bar0 = implemented((await this.resource(d.path))[0]);
    const notify = this.notifyResult(events);
    return { d, pfPath, memberId, accepted, bar0, notify, legacy: (accepted & LEGACY_ADMIN_CMD_BITMAP) === LEGACY_ADMIN_CMD_BITMAP };
  }

  private async chooseVf(
    wanted: string,
    pick: (v: Awaited<ReturnType<VirtioSession['describeVf']>>) => boolean,
  ): Promise<Awaited<ReturnType<VirtioSession['describeVf']>>> {
    const seen: string[] = [];
    for (const d of this.declared('virtio-translator')) {
      const v = await this.describeVf(d);
      seen.push(`${d.path} (${d.driver}, owner accepted 0x${v.accepted.toString(16)}${v.bar0 ? ', BAR0 present' : ''})`);
      if (pick(v)) return v;
    }
    throw new NotApplicable(`no declared VF is ${wanted}; declared: ${seen.join(', ') || 'none with the virtio-translator role'}`);
  }

  async useEmulatedVf(): Promise<VfUnderTest> {
    if (!isX86(this.world.info.platform.arch)) throw new NotApplicable(`${X86_ONLY_REASON} (the host is ${this.world.info.platform.arch})`);
    const v = await this.chooseVf('under virtio_vfio_pci with an owner that accepted every legacy command and reports a member notify address',
      (c) => c.d.driver === 'virtio_vfio_pci' && c.legacy && !c.bar0 && !!c.notify && !!VirtioSession.memberEntry(c.notify));
    const entry = VirtioSession.memberEntry(v.notify!)!;
    const fd = (await this.client.must('open_device', { path: v.d.path })).fd;
    this.vf = { path: v.d.path, pfPath: v.pfPath, memberId: v.memberId, fd, notify: { bar: entry.bar, offset: entry.offset } };
    await this.markVf();
    return this.vf;
  }

  async useVfWithoutLegacy(): Promise<VfUnderTest> {
    const v = await this.chooseVf('one whose owner driver did not put every legacy command in use', (c) => !c.legacy);
    const fd = (await this.client.must('open_device', { path: v.d.path })).fd;
    this.vf = { path: v.d.path, pfPath: v.pfPath, memberId: v.memberId, fd };
    return this.vf;
  }

  async useVfWithoutMemberNotify(): Promise<VfUnderTest> {
    if (!isX86(this.world.info.platform.arch)) throw new NotApplicable(`${X86_ONLY_REASON} (the host is ${this.world.info.platform.arch})`);
    const v = await this.chooseVf('driven by virtio_vfio_pci with an owner whose NOTIFY_INFO result has no member entry before its end',
      (c) => c.d.driver === 'virtio_vfio_pci' && c.legacy && !c.bar0 && !!c.notify && !VirtioSession.memberEntry(c.notify));
    this.vf = { path: v.d.path, pfPath: v.pfPath, memberId: v.memberId };
    return this.vf;
  }

  async useAnyTranslatorVf(): Promise<VfUnderTest> {
    const v = await this.chooseVf('declared with the virtio-translator role', () => true);
    this.vf = { path: v.d.path, pfPath: v.pfPath, memberId: v.memberId };
    return this.vf;
  }

  vfUnderTest(): VfUnderTest {
    expect(this.vf !== undefined, 'the scenario has no VF yet');
    return this.vf;
  }

  private fd(): number {
    const fd = this.vfUnderTest().fd;
    expect(fd !== undefined, 'the VF was not opened');
    return fd;
  }

  async markVf(): Promise<void> {
    this.vfMark = (await this.tracePull(this.vfUnderTest().path)).length;
  }

  // What the translator did since the last guest action.
  async translatorActions(): Promise<TranslatorAction[]> {
    const vf = this.vfUnderTest();
    const events = (await this.tracePull(vf.path)).slice(this.vfMark);
    this.checkMembers(events, vf);
    return events.map((e) => {
      if (e.kind === 'notify') return { command: `notify ${e.access}`, offset: '', data: e.access === 'write' ? spaced(fromHex(e.data)) : '', readWidth: e.access === 'read' ? `${fromHex(e.data).length}` : '' };
      const c = sentOf(e);
      const h = adminHeader.decode(c.readable);
      const data = c.readable.subarray(ADMIN_CMD_HDR_SIZE);
      const write = h.opcode === ADMIN_OPCODE.LEGACY_COMMON_CFG_WRITE || h.opcode === ADMIN_OPCODE.LEGACY_DEV_CFG_WRITE;
      const read = h.opcode === ADMIN_OPCODE.LEGACY_COMMON_CFG_READ || h.opcode === ADMIN_OPCODE.LEGACY_DEV_CFG_READ;
      return {
        command: opcodeName(h.opcode),
        offset: write ? `${legacyWrite.decode(data).offset}` : read ? `${legacyRead.decode(data).offset}` : '',
        data: write ? spaced(legacyWrite.decode(data).payload) : read ? '' : spaced(data),
        readWidth: read ? `${c.writableLength - ADMIN_CMD_STATUS_SIZE}` : '',
      };
    });
  }

  async translatorEvents(): Promise<TraceEvent[]> {
    return (await this.tracePull(this.vfUnderTest().path)).slice(this.vfMark);
  }

  async configRead(offset: number, count: number): Promise<void> {
    await this.markVf();
    const out = this.world.record(await this.client.call('region_read', { fd: this.fd(), index: VFIO_PCI_CONFIG_REGION_INDEX, offset: `${offset}`, count }));
    this.lastRead = out.ok ? fromHex(out.value.data) : undefined;
  }

  async configValue(offset: number, width: number): Promise<number> {
    const out = await this.client.call('region_read', { fd: this.fd(), index: VFIO_PCI_CONFIG_REGION_INDEX, offset: `${offset}`, count: width });
    expect(out.ok, `reading ${width} byte(s) of config space at 0x${offset.toString(16)} failed with ${out.ok ? '' : out.errno}`);
    return Number(uintFrom(fromHex(out.value.data), 'little'));
  }

  async configWrite(offset: number, data: Uint8Array): Promise<void> {
    await this.markVf();
    this.world.record(await this.client.call('region_write', { fd: this.fd(), index: VFIO_PCI_CONFIG_REGION_INDEX, offset: `${offset}`, data: toHex(data) }));
  }

  async enableIo(): Promise<void> {
    await this.configWrite(PCI_CONFIG.COMMAND, uintBytes(0x1, 2, 'little'));
    expect(this.world.last?.ok === true, 'writing the command register failed');
  }

  async bar0Read(offset: number, count: number): Promise<void> {
    await this.markVf();
    const out = this.world.record(await this.client.call('region_read', { fd: this.fd(), index: VFIO_PCI_BAR0_REGION_INDEX, offset: `${offset}`, count }));
    this.lastRead = out.ok ? fromHex(out.value.data) : undefined;
  }

  async bar0Write(offset: number, data: Uint8Array): Promise<void> {
    await this.markVf();
    this.world.record(await this.client.call('region_write', { fd: this.fd(), index: VFIO_PCI_BAR0_REGION_INDEX, offset: `${offset}`, data: toHex(data) }));
  }

  // | offset | bytes | field |  written in order, each write must succeed.
  async bar0WriteRows(rows: Record<string, string>[]): Promise<void> {
    for (const row of byteRows(rows)) {
      await this.bar0Write(row.offset, Uint8Array.from(row.bytes as number[]));
      expect(this.world.last?.ok === true, `writing ${row.field} at BAR0 offset ${row.offset} failed`);
    }
  }

  readBytes(): Uint8Array {
    expect(this.lastRead !== undefined, `the last read returned no data (${this.world.last?.ok === false ? this.world.last.errno : 'no read'})`);
    return this.lastRead;
  }

  // VFIO_DEVICE_SET_IRQS on the MSI-X index: vectors enabled without eventfds (fd -1), or torn down.
  async setMsix(enabled: boolean): Promise<void> {
    const arg = enabled
      ? irqSet.encode({ flags: VFIO_IRQ_SET.DATA_EVENTFD | VFIO_IRQ_SET.ACTION_TRIGGER, index: VFIO_PCI_IRQ_INDEX.MSIX, start: 0, count: 1, data: uintBytes(0xffffffff, 4, 'little') })
      : irqSet.encode({ flags: VFIO_IRQ_SET.DATA_NONE | VFIO_IRQ_SET.ACTION_TRIGGER, index: VFIO_PCI_IRQ_INDEX.MSIX, start: 0, count: 0, data: new Uint8Array(0) });
    await this.client.must('ioctl', { fd: this.fd(), request: VFIO_DEVICE_SET_IRQS, arg: toHex(arg) });
  }

  // VFIO_DEVICE_SET_IRQS enabling `count` vectors of an index (no eventfds, fd -1), recorded for "the call ...".
  async tryEnableIrqs(index: number, count: number): Promise<void> {
    const data = new Uint8Array(count * 4).fill(0xff);
    const arg = irqSet.encode({ flags: VFIO_IRQ_SET.DATA_EVENTFD | VFIO_IRQ_SET.ACTION_TRIGGER, index, start: 0, count, data });
    this.world.record(await this.client.call('ioctl', { fd: this.fd(), request: VFIO_DEVICE_SET_IRQS, arg: toHex(arg) }));
  }

  async setIrqs(index: number, enabled: boolean): Promise<void> {
    if (!enabled) {
      const arg = irqSet.encode({ flags: VFIO_IRQ_SET.DATA_NONE | VFIO_IRQ_SET.ACTION_TRIGGER, index, start: 0, count: 0, data: new Uint8Array(0) });
      await this.client.must('ioctl', { fd: this.fd(), request: VFIO_DEVICE_SET_IRQS, arg: toHex(arg) });
      return;
    }
    await this.tryEnableIrqs(index, 1);
    expect(this.world.last?.ok === true, `enabling interrupt index ${index} failed with ${this.world.last?.ok === false ? this.world.last.errno : '?'}`);
  }

  // MSI is optional for a VF: a scenario about it needs one whose GET_IRQ_INFO counts MSI vectors.
  async enableMsi(): Promise<void> {
    if ((await this.mustIrqInfo(VFIO_PCI_IRQ_INDEX.MSI)).count === 0) throw new NotApplicable('the VF offers no MSI vector (GET_IRQ_INFO of VFIO_PCI_MSI_IRQ_INDEX counts 0)');
    await this.setIrqs(VFIO_PCI_IRQ_INDEX.MSI, true);
  }

  // VFIO_DEVICE_GET_IRQ_INFO with the given argsz (the buffer always holds the 16 bytes the kernel reads).
  async irqInfo(index: number, argsz: number): Promise<void> {
    const arg = irqInfo.encode({ argsz, flags: 0, index, count: 0 }, Math.max(argsz, VFIO_IRQ_INFO_SIZE));
    const out = await this.client.call('ioctl', { fd: this.fd(), request: VFIO_DEVICE_GET_IRQ_INFO, arg: toHex(arg) });
    this.world.record(out);
    this.lastIrqInfo = out.ok && out.value.arg ? irqInfo.decode(fromHex(out.value.arg)) : undefined;
  }

  async mustIrqInfo(index: number): Promise<IrqInfo> {
    await this.irqInfo(index, VFIO_IRQ_INFO_SIZE);
    expect(this.lastIrqInfo !== undefined, `GET_IRQ_INFO of index ${index} failed with ${this.world.last?.ok === false ? this.world.last.errno : '?'}`);
    return this.lastIrqInfo;
  }

  // "count - 1", "count", "count + 1": vectors relative to what GET_IRQ_INFO counts for the index.
  async tryEnableCounted(index: number, relative: string): Promise<void> {
    const m = /^count(?: ([+-]) (\d+))?$/.exec(relative);
    expect(m !== null, `"${relative}" is not count, count + N or count - N`);
    const { count } = await this.mustIrqInfo(index);
    if (count === 0) throw new NotApplicable(`GET_IRQ_INFO counts no vector for interrupt index ${index}`);
    const n = count + (m[1] === '-' ? -1 : 1) * Number(m[2] ?? 0);
    if (n < 1) throw new NotApplicable(`interrupt index ${index} counts ${count} vector(s); ${relative} leaves none to enable`);
    await this.tryEnableIrqs(index, n);
  }

  async resetVf(): Promise<void> {
    await this.markVf();
    this.world.record(await this.client.call('ioctl', { fd: this.fd(), request: IOCTL.VFIO_DEVICE_RESET, arg: null }));
  }

  async regionInfo(index: number) {
    return this.client.must('region_info', { fd: this.fd(), index });
  }

  async migrationFeature() {
    const arg = encodeFeature({ argsz: 16, flags: FEATURE_FLAG.GET | FEATURE.MIGRATION }, new Uint8Array(8));
    return this.client.call('ioctl', { fd: this.fd(), request: IOCTL.VFIO_DEVICE_FEATURE, arg: toHex(arg) });
  }

  async vfResource(): Promise<ResourceLine[]> {
    return this.resource(this.vfUnderTest().path);
  }

  async ownerResource(): Promise<ResourceLine[]> {
    return this.resource(this.ownerUnderTest().path);
  }

  // --- the host's owner driver ---------------------------------------------------------
  hostPf: string | undefined;

  async useOwnerDriverOfTranslatorPf(): Promise<string> {
    const vf = await this.useAnyTranslatorVf();
    this.hostPf = vf.pfPath;
    return vf.pfPath;
  }

  ownerDriverPf(): string {
    expect(this.hostPf !== undefined, 'the scenario has not chosen an owner driver');
    return this.hostPf;
  }

  // The LIST_QUERY and LIST_USE the owner driver sent at DRIVER_OK.
  async negotiation(): Promise<{ query: SentCommand; use: SentCommand; queried: bigint; used: bigint }> {
    const commands = await this.ownerDriverCommands(this.ownerDriverPf());
    const query = commands.find((c) => adminHeader.decode(c.readable).opcode === ADMIN_OPCODE.LIST_QUERY);
    const use = commands.find((c) => adminHeader.decode(c.readable).opcode === ADMIN_OPCODE.LIST_USE);
    expect(query !== undefined, 'the owner driver sent no LIST_QUERY');
    expect(use !== undefined, 'the owner driver sent no LIST_USE');
    this.expectOk('the owner driver\'s LIST_QUERY', query);
    return {
      query, use,
      queried: opcodeBitmap.decode(query.completion.result),
      used: opcodeBitmap.decode(use.readable.subarray(ADMIN_CMD_HDR_SIZE)),
    };
  }

  // What the owner driver masks LIST_QUERY with: the legacy commands where it
  // is built with them (x86), the device-parts commands from 6.13.
  linuxAdminCmdBitmap(): bigint {
    const { arch, kernel } = this.world.info.platform;
    const [major, minor] = kernel.split('.').map(Number);
    const legacy = isX86(arch) ? LEGACY_ADMIN_CMD_BITMAP : 0n;
    return major > 6 || (major === 6 && minor >= 13) ? legacy | 0x3e780n : legacy;
  }

  // Every declared translator VF, with the facts that decide its emulation.
  async translatorVfFacts() {
    const out = [];
    for (const d of this.declared('virtio-translator')) out.push(await this.describeVf(d));
    return out;
  }

  static memberEntry(entries: NotifyEntry[] | undefined): NotifyEntry | undefined {
    if (!entries) return undefined;
    for (const e of entries) {
      if (e.flags === NOTIFY_FLAGS.END) return undefined;
      if (e.flags === NOTIFY_FLAGS.MEMBER_BAR) return e;
    }
    return undefined;
  }

  async deviceIdOf(path: string): Promise<number> {
    const fd = (await this.client.must('open_device', { path })).fd;
    const out = await this.client.call('region_read', { fd, index: VFIO_PCI_CONFIG_REGION_INDEX, offset: `${PCI_CONFIG.DEVICE_ID}`, count: 2 });
    await this.client.must('close', { fd });
    expect(out.ok, `reading the device id of ${path} failed with ${out.ok ? '' : out.errno}`);
    return Number(uintFrom(fromHex(out.value.data), 'little'));
  }

  async driverOf(path: string): Promise<string | undefined> {
    const out = await this.client.call('sysfs_readlink', { path: `${path}/driver` });
    if (!out.ok) {
      expect(out.errno === 'ENOENT', `reading ${path}/driver failed with ${out.errno}`);
      return undefined;
    }
    return posix.basename(out.value.target);
  }

  async openVf(): Promise<void> {
    const vf = this.vfUnderTest();
    vf.fd = (await this.client.must('open_device', { path: vf.path })).fd;
    await this.markVf();
  }

  // --- guest values in the guest's byte order ---------------------------------------------
  guestBytes(value: number, size: number): Uint8Array {
    return uintBytes(value, size, this.guestOrder);
  }

  guestValue(bytes: Uint8Array): number {
    return Number(uintFrom(bytes, this.guestOrder));
  }

  // The last admin command of this opcode the translator sent since the guest's last action.
  async lastTranslatorCommand(opcode: number): Promise<SentCommand> {
    const sent = (await this.translatorEvents()).filter((e): e is Extract<TraceEvent, { kind: 'admin' }> => e.kind === 'admin').map(sentOf)
      .filter((c) => adminHeader.decode(c.readable).opcode === opcode);
    expect(sent.length > 0, `the translator sent no ${opcodeName(opcode)}`);
    return sent[sent.length - 1];
  }

  // The scenario applies when the owner driver of the VF's PF left at least one of these opcodes out.
  async requirePfOwnerDriverWithout(bits: bigint): Promise<void> {
    const accepted = await this.acceptedCommands(this.vfUnderTest().pfPath);
    if ((accepted & bits) === bits) throw new NotApplicable(`the owner driver of ${this.vfUnderTest().pfPath} put all of ${opcodesText(bits)} in use`);
  }

  // --- VFIO migration of a VF (6.13 and later) ----------------------------------------------
  async useMigratableVf(): Promise<void> {
    const seen: string[] = [];
    for (const d of this.declared('virtio-translator')) {
      if (await this.driverOf(d.path) === undefined) continue;
      const fd = (await this.client.must('open_device', { path: d.path })).fd;
      const arg = encodeFeature({ argsz: 16, flags: FEATURE_FLAG.GET | FEATURE.MIGRATION }, new Uint8Array(8));
      const out = await this.client.call('ioctl', { fd, request: IOCTL.VFIO_DEVICE_FEATURE, arg: toHex(arg) });
      const flags = out.ok && out.value.arg ? Number(u64Payload.decode(fromHex(out.value.arg).subarray(8))) : 0;
      const wanted = MIG_FLAG.STOP_COPY | MIG_FLAG.P2P;
      if ((flags & wanted) === wanted) {
        const pfPath = await this.pfOf(d.path);
        this.vf = { path: d.path, pfPath, memberId: await this.expectedMemberId(d.path, pfPath), fd };
        await this.markVf();
        return;
      }
      seen.push(`${d.path} (${out.ok ? `flags 0x${flags.toString(16)}` : out.errno})`);
      await this.client.must('close', { fd });
    }
    throw new NotApplicable(`no declared translator VF offers VFIO migration with STOP_COPY and P2P; seen: ${seen.join(', ') || 'none'}`);
  }

  async setMigrationStateNamed(name: string): Promise<void> {
    expect(isMigState(name), `${name} is not a migration state`);
    await this.setMigrationState(STATE_VALUE[name]);
  }

  async setMigrationState(state: number): Promise<void> {
    await this.markVf();
    const arg = encodeFeature({ argsz: 16, flags: FEATURE_FLAG.SET | FEATURE.MIG_DEVICE_STATE }, migState.encode({ device_state: state, data_fd: -1 }));
    this.world.record(await this.client.call('ioctl', { fd: this.fd(), request: IOCTL.VFIO_DEVICE_FEATURE, arg: toHex(arg) }));
  }

  static barSize(lines: ResourceLine[], bar: number): bigint | undefined {
    return implemented(lines[bar]) ? resourceSize(lines[bar]) : undefined;
  }

  static vfBarLine(lines: ResourceLine[], bar: number): ResourceLine | undefined {
    return lines[PCI_IOV_RESOURCES + bar];
  }
}

function sentOf(e: Extract<TraceEvent, { kind: 'admin' }>): SentCommand {
  const written = fromHex(e.written);
  return { readable: fromHex(e.data), writableLength: e.writable_length, written, completion: decodeCompletion(written, e.used_length, e.writable_length) };
}

export function spaced(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
}
