// The group owner: a virtio-net SR-IOV PF with an administration virtqueue.
// It executes one admin command at a time the way the virtio spec's "Device
// groups" section requires: the group type is checked first, then the opcode
// against the used command list of that group type, then the member id, then
// the command's own data. The parts of the descriptor chain are truncated to
// what the driver supplied; missing readable bytes count as zero.
import { Mutations } from '../kernel/mutations';
import {
  ADMIN_CMD_HDR_SIZE, ADMIN_CMD_STATUS_SIZE, ADMIN_OPCODE, ADMIN_QUALIFIER, ADMIN_STATUS, adminHeader, adminStatus, AdminHeader,
  bitmapOf, GROUP_TYPE, legacyRead, legacyWrite, NotifyEntry, notifyInfo, opcodeBitmap, uintFrom,
} from '../../support/uapi/virtio';
import { LegacyNetMember } from './legacy_net';
import { PciAddress, SriovCapability } from './sriov';

export interface BarSpec { index: number; size: number; io?: boolean }

export interface OwnerModel {
  totalVFs: number;
  numVFs: number;
  firstVfOffset: number;
  vfStride: number;
  // The SR-IOV group's supported commands; the Self group supports only LIST_QUERY/LIST_USE.
  sriovOpcodes: bigint;
  pfBars: BarSpec[];
  vfBars: BarSpec[];
  // The NOTIFY_INFO entries the owner reports for a member (1-based id).
  notifyEntries: (memberId: number) => NotifyEntry[];
}

export interface AdminAnswer { written: Uint8Array; used_length: number }

const LIST_BASE = bitmapOf([ADMIN_OPCODE.LIST_QUERY, ADMIN_OPCODE.LIST_USE]);
const LEGACY_OPCODES = new Set<number>([
  ADMIN_OPCODE.LEGACY_COMMON_CFG_WRITE, ADMIN_OPCODE.LEGACY_COMMON_CFG_READ,
  ADMIN_OPCODE.LEGACY_DEV_CFG_WRITE, ADMIN_OPCODE.LEGACY_DEV_CFG_READ, ADMIN_OPCODE.LEGACY_NOTIFY_INFO,
]);

class CommandFailed extends Error {
  constructor(readonly status: number, readonly qualifier: number) {
    super(`admin status ${status} qualifier ${qualifier}`);
  }
}
function refuse(qualifier: number): never {
  throw new CommandFailed(ADMIN_STATUS.EINVAL, qualifier);
}

export class VirtioOwner {
  readonly sriov: SriovCapability;
  readonly members: LegacyNetMember[];
  // Supported and in-use command lists, per group type.
  private readonly supported = new Map<number, bigint>();
  private readonly used = new Map<number, bigint>();

  constructor(readonly address: PciAddress, readonly model: OwnerModel, private readonly mutations: Mutations) {
    this.sriov = {
      totalVFs: model.totalVFs, numVFs: model.numVFs, vfEnable: model.numVFs > 0,
      firstVfOffset: model.firstVfOffset, vfStride: model.vfStride, vfDeviceId: 0x1041,
    };
    this.members = Array.from({ length: model.totalVFs }, (_, i) => new LegacyNetMember(i, mutations));
    this.supported.set(GROUP_TYPE.SELF, LIST_BASE);
    this.supported.set(GROUP_TYPE.SRIOV, model.sriovOpcodes | LIST_BASE);
    this.resetUsedLists();
  }

  private resetUsedLists(): void {
    for (const group of this.supported.keys()) this.used.set(group, LIST_BASE);
  }

  // A function-level reset of the PF: a device reset of the owner. The PCI
  // core restores the SR-IOV capability afterwards, so the VFs come back fresh.
  reset(): void {
    if (!this.mutations.on('reset-keeps-used-list')) this.resetUsedLists();
    for (const m of this.members) m.reset();
  }

  // sriov_configure(): VF Enable follows NumVFs; a new SR-IOV group starts from reset.
  setNumVFs(numVFs: number): void {
    this.sriov.numVFs = numVFs;
    this.sriov.vfEnable = numVFs > 0;
    this.used.set(GROUP_TYPE.SRIOV, LIST_BASE);
    for (const m of this.members) m.reset();
  }

  member(memberId: bigint): LegacyNetMember {
    return this.members[this.mutations.on('members-share-legacy-state') ? 0 : Number(memberId) - 1];
  }

  // --- the admin virtqueue ----------------------------------------------------------
  execute(readable: Uint8Array, writableLength: number): AdminAnswer {
    let status: number = ADMIN_STATUS.OK;
    let qualifier: number = ADMIN_QUALIFIER.OK;
    let result: Uint8Array = new Uint8Array(0);
    try {
      result = this.run(this.decodeHeader(readable), readable.subarray(Math.min(ADMIN_CMD_HDR_SIZE, readable.length)), writableLength);
    } catch (error) {
      if (!(error instanceof CommandFailed)) throw error;
      status = error.status;
      qualifier = error.qualifier;
    }
    const full = new Uint8Array(ADMIN_CMD_STATUS_SIZE + result.length);
    full.set(adminStatus.encode({ status, status_qualifier: qualifier }));
    full.set(result, ADMIN_CMD_STATUS_SIZE);
    // Never write past the writable part; report what was written.
    const written = this.mutations.on('writable-length-ignored') ? full : full.slice(0, Math.min(writableLength, full.length));
    return { written, used_length: this.mutations.on('used-length-counts-whole-part') ? writableLength : written.length };
  }

  private decodeHeader(readable: Uint8Array): AdminHeader {
    if (!this.mutations.on('admin-header-big-endian')) return adminHeader.decode(readable);
    const b = new Uint8Array(ADMIN_CMD_HDR_SIZE);
    b.set(readable.subarray(0, ADMIN_CMD_HDR_SIZE));
    return { opcode: Number(uintFrom(b.subarray(0, 2), 'big')), group_type: Number(uintFrom(b.subarray(2, 4), 'big')), group_member_id: uintFrom(b.subarray(16, 24), 'big') };
  }

  private groupExists(groupType: number): boolean {
    if (groupType === GROUP_TYPE.SELF) return true;
    // The SR-IOV group exists only while VF Enable is set.
    return groupType === GROUP_TYPE.SRIOV && this.sriov.vfEnable;
  }

  private run(h: AdminHeader, data: Uint8Array, writableLength: number): Uint8Array {
    if (!this.groupExists(h.group_type)) refuse(ADMIN_QUALIFIER.INVALID_GROUP);
    const memberFirst = this.mutations.on('member-checked-before-opcode');
    if (memberFirst) this.checkMember(h);
    const inUse = ((this.used.get(h.group_type) ?? 0n) >> BigInt(h.opcode)) & 1n;
    const offered = ((this.supported.get(h.group_type) ?? 0n) >> BigInt(h.opcode)) & 1n;
    if (!inUse && !(offered && this.mutations.on('used-list-not-enforced'))) refuse(ADMIN_QUALIFIER.INVALID_OPCODE);
    if (!memberFirst) this.checkMember(h);

    switch (h.opcode) {
      case ADMIN_OPCODE.LIST_QUERY:
        // One word holds every opcode this owner supports; a larger writable part gets just that word.
        if (this.mutations.on('list-query-needs-one-word-part') && writableLength !== ADMIN_CMD_STATUS_SIZE + 8) return new Uint8Array(0);
        return opcodeBitmap.encode(this.supported.get(h.group_type) ?? 0n);
      case ADMIN_OPCODE.LIST_USE:
        return this.listUse(h.group_type, data);
      case ADMIN_OPCODE.LEGACY_COMMON_CFG_WRITE:
      case ADMIN_OPCODE.LEGACY_DEV_CFG_WRITE: {
        const { offset, payload } = legacyWrite.decode(data);
        const m = this.member(h.group_member_id);
        const ok = h.opcode === ADMIN_OPCODE.LEGACY_COMMON_CFG_WRITE ? m.commonWrite(offset, payload) : m.deviceWrite(offset, payload);
        if (!ok) refuse(ADMIN_QUALIFIER.INVALID_FIELD);
        return new Uint8Array(0);
      }
      case ADMIN_OPCODE.LEGACY_COMMON_CFG_READ:
      case ADMIN_OPCODE.LEGACY_DEV_CFG_READ: {
        const { offset } = legacyRead.decode(data);
        const width = Math.max(0, writableLength - ADMIN_CMD_STATUS_SIZE);
        const m = this.member(h.group_member_id);
        const bytes = h.opcode === ADMIN_OPCODE.LEGACY_COMMON_CFG_READ ? m.commonRead(offset, width) : m.deviceRead(offset, width);
        if (!bytes) refuse(ADMIN_QUALIFIER.INVALID_FIELD);
        return bytes;
      }
      case ADMIN_OPCODE.LEGACY_NOTIFY_INFO:
        return notifyInfo.encode(this.model.notifyEntries(Number(h.group_member_id)));
      default:
        return refuse(ADMIN_QUALIFIER.INVALID_OPCODE);
    }
  }

  // Legacy commands name a member; LIST_QUERY/LIST_USE do not use the field.
  private checkMember(h: AdminHeader): void {
    if (h.group_type !== GROUP_TYPE.SRIOV || !LEGACY_OPCODES.has(h.opcode)) return;
    const id = h.group_member_id;
    const limit = BigInt(this.mutations.on('member-range-uses-totalvfs') ? this.sriov.totalVFs : this.sriov.numVFs);
    if (id < 1n || id > limit) refuse(ADMIN_QUALIFIER.INVALID_MEMBER);
  }

  // The bitmap may run over any number of le64 words; a bit in any of them counts.
  private listUse(groupType: number, data: Uint8Array): Uint8Array {
    if (this.mutations.on('list-use-one-word-exactly') && data.length !== 8) refuse(ADMIN_QUALIFIER.INVALID_FIELD);
    const wanted = opcodeBitmap.decode(this.mutations.on('list-use-first-word-only') ? data.subarray(0, 8) : data);
    const supported = this.supported.get(groupType) ?? 0n;
    if (wanted & ~supported) {
      if (this.mutations.on('list-use-failure-applies')) this.used.set(groupType, wanted & supported);
      refuse(ADMIN_QUALIFIER.INVALID_FIELD);
    }
    this.used.set(groupType, wanted);
    return new Uint8Array(0);
  }

  // --- notify addresses ---------------------------------------------------------------
  // A 16-bit little-endian queue index stored at a reported notify address
  // acts as a Queue Notify write of the member it belongs to.
  notifyAt(memberId: number, flags: number, bar: number, offset: bigint, data: Uint8Array): boolean {
    const entry = this.model.notifyEntries(memberId).find((e) => e.flags === flags && e.bar === bar && e.offset === offset);
    if (!entry || data.length !== 2 || memberId < 1 || memberId > this.sriov.numVFs) return false;
    this.members[memberId - 1].notify(Number(uintFrom(data, 'little')));
    return true;
  }
}
