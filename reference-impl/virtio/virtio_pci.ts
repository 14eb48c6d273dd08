// Linux's virtio-pci driver bound to an owner PF, as far as the admin queue
// goes (drivers/virtio/virtio_pci_modern.c and virtio_pci_admin_legacy_io.c):
// at DRIVER_OK it runs LIST_QUERY and LIST_USE with the query result masked by
// the opcodes it was built to use, keeps the accepted bitmap as supported_cmds,
// refuses other opcodes with -EOPNOTSUPP before queuing them, and turns a
// non-zero admin status s into -s. The legacy helpers name a VF by its index
// plus one.
import { ERRNO_NUMBERS, ErrnoName } from '../../support/contract/errno';
import type { TraceEvent } from '../../support/contract/ops-virtio';
import { toHex } from '../../support/uapi/bytes';
import {
  ADMIN_CMD_HDR_SIZE, ADMIN_CMD_STATUS_SIZE, ADMIN_OPCODE, ADMIN_STATUS, ByteOrder, decodeCompletion, DEV_PARTS_ADMIN_CMD_BITMAP,
  GROUP_TYPE, LEGACY_ADMIN_CMD_BITMAP, legacyRead, legacyWrite, NOTIFY_INFO_ENTRIES, NOTIFY_INFO_RESULT_SIZE, notifyInfo, opcodeBitmap,
  uintBytes,
} from '../../support/uapi/virtio';
import { fail } from '../kernel/errno';
import { Mutations } from '../kernel/mutations';
import { kernelAtLeast } from '../machine';
import { VirtioOwner } from './owner';
import { memberIdOf } from './sriov';

export interface Host { arch: string; byteOrder: ByteOrder; kernel: string }

export function isX86(arch: string): boolean {
  return ['x86_64', 'x86', 'i386', 'i686'].includes(arch);
}

// VIRTIO_PCI_ADMIN_LEGACY depends on X86: elsewhere the legacy opcodes are never put in use.
export function adminCmdBitmap(host: Host, mutations: Mutations): bigint {
  const legacy = isX86(host.arch) || mutations.on('legacy-in-use-on-non-x86') ? LEGACY_ADMIN_CMD_BITMAP : 0n;
  return kernelAtLeast(host.kernel, 6, 13) ? legacy | DEV_PARTS_ADMIN_CMD_BITMAP : legacy;
}

interface AdminCmd { opcode: number; group_type: number; group_member_id: bigint; data?: Uint8Array; resultSize?: number }

function errnoOfStatus(status: number): ErrnoName {
  const name = (Object.keys(ERRNO_NUMBERS) as ErrnoName[]).find((n) => ERRNO_NUMBERS[n] === status);
  return name ?? 'EIO'; // the contract names only the errnos it knows
}

export class VirtioPciDriver {
  supported_cmds = 0n;
  // What this driver sent for the PF itself (the list negotiation).
  readonly trace: TraceEvent[] = [];

  constructor(readonly owner: VirtioOwner, readonly pfPath: string, private readonly host: Host, private readonly mutations: Mutations) {
    this.adminCmdListInit();
  }

  // virtio_pci_admin_cmd_list_init(), run when the PF reaches DRIVER_OK with VIRTIO_F_ADMIN_VQ.
  private adminCmdListInit(): void {
    const query = this.exec({ opcode: ADMIN_OPCODE.LIST_QUERY, group_type: GROUP_TYPE.SRIOV, group_member_id: 0n, resultSize: 8 }, this.trace);
    if (!query.ok) return;
    const mask = opcodeBitmap.encode(adminCmdBitmap(this.host, this.mutations));
    const data = query.result.map((b, i) => b & mask[i]);
    const use = this.exec({ opcode: ADMIN_OPCODE.LIST_USE, group_type: GROUP_TYPE.SRIOV, group_member_id: 0n, data }, this.trace);
    if (use.ok) this.supported_cmds = opcodeBitmap.decode(data);
  }

  // vp_modern_admin_cmd_exec(): header and data readable, status and result writable.
  exec(cmd: AdminCmd, trace: TraceEvent[]): { ok: true; result: Uint8Array } | { ok: false; errno: ErrnoName } {
    const base = cmd.opcode === ADMIN_OPCODE.LIST_QUERY || cmd.opcode === ADMIN_OPCODE.LIST_USE;
    if (!base && !((this.supported_cmds >> BigInt(cmd.opcode)) & 1n)) return { ok: false, errno: 'EOPNOTSUPP' };
    const data = cmd.data ?? new Uint8Array(0);
    const readable = new Uint8Array(ADMIN_CMD_HDR_SIZE + data.length);
    readable.set(this.cpuToLe(cmd.opcode, 2), 0);
    readable.set(this.cpuToLe(cmd.group_type, 2), 2);
    readable.set(this.cpuToLe(cmd.group_member_id, 8), 16);
    readable.set(data, ADMIN_CMD_HDR_SIZE);
    const writableLength = ADMIN_CMD_STATUS_SIZE + (cmd.resultSize ?? 0);
    const answer = this.owner.execute(readable, writableLength);
    trace.push({
      kind: 'admin', data: toHex(readable), writable_length: writableLength, written: toHex(answer.written), used_length: answer.used_length,
    });
    const completion = decodeCompletion(answer.written, answer.used_length, writableLength);
    if (completion.status !== ADMIN_STATUS.OK) return { ok: false, errno: errnoOfStatus(completion.status) };
    return { ok: true, result: completion.result };
  }

  // cpu_to_le16()/cpu_to_le64(): the same bytes on every host.
  private cpuToLe(value: number | bigint, size: number): Uint8Array {
    return uintBytes(value, size, this.mutations.on('admin-fields-host-order') ? this.host.byteOrder : 'little');
  }

  // virtio_pci_admin_has_legacy_io(): every legacy opcode must have been accepted.
  has_legacy_io(): boolean {
    return (this.supported_cmds & LEGACY_ADMIN_CMD_BITMAP) === LEGACY_ADMIN_CMD_BITMAP;
  }

  // --- the legacy helpers, for a VF with 0-based index vfIndex ----------------------
  legacyIoWrite(vfIndex: number, opcode: number, offset: number, bytes: Uint8Array, trace: TraceEvent[]): void {
    const out = this.exec({
      opcode, group_type: GROUP_TYPE.SRIOV, group_member_id: memberIdOf(vfIndex, this.mutations), data: legacyWrite.encode(offset, bytes),
    }, trace);
    if (!out.ok) fail(out.errno, `${opcode === ADMIN_OPCODE.LEGACY_COMMON_CFG_WRITE ? 'common' : 'device'} config write failed`);
  }

  legacyIoRead(vfIndex: number, opcode: number, offset: number, size: number, trace: TraceEvent[]): Uint8Array {
    const out = this.exec({
      opcode, group_type: GROUP_TYPE.SRIOV, group_member_id: memberIdOf(vfIndex, this.mutations), data: legacyRead.encode(offset), resultSize: size,
    }, trace);
    if (!out.ok) fail(out.errno, `${opcode === ADMIN_OPCODE.LEGACY_COMMON_CFG_READ ? 'common' : 'device'} config read failed`);
    return out.result.slice(0, size);
  }

  // virtio_pci_admin_legacy_io_notify_info(): the first entry with the wanted
  // flags among at most four, stopping at an end entry; -ENOENT if none.
  notifyInfo(vfIndex: number, wantedFlags: number, trace: TraceEvent[]): { bar: number; offset: bigint } {
    const out = this.exec({
      opcode: ADMIN_OPCODE.LEGACY_NOTIFY_INFO, group_type: GROUP_TYPE.SRIOV, group_member_id: memberIdOf(vfIndex, this.mutations),
      resultSize: NOTIFY_INFO_RESULT_SIZE,
    }, trace);
    if (!out.ok) fail(out.errno, 'NOTIFY_INFO failed');
    const entries = notifyInfo.decode(out.result);
    for (let i = 0; i < NOTIFY_INFO_ENTRIES; i++) {
      const e = entries[i];
      if (e.flags === 0 && !this.mutations.on('notify-info-scans-past-end')) break;
      if (e.flags !== wantedFlags) continue;
      return { bar: e.bar, offset: e.offset };
    }
    fail('ENOENT', 'no notify entry with the wanted flags');
  }
}
