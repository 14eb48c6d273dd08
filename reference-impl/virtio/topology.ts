// The virtio part of the simulated host: four virtio-net SR-IOV PFs and their
// VFs, with the sysfs attributes a user reads to find them (sriov_*, virtfnN,
// physfn, driver, resource) and the ones it writes (sriov_numvfs, reset).
//
//   0000:3b:00.0  owner under test, bound to vfio-pci: the suite drives its
//                 admin queue. NumVFs 3 of 4, First VF Offset 16, VF Stride 2,
//                 so its VFs are 3b:02.0, 3b:02.2 and 3b:02.4 (members 1..3).
//   0000:5e:00.0  bound to virtio-pci, every legacy command: its VFs 5e:01.0
//                 and 5e:01.2 are shown to guests by virtio-vfio-pci.
//   0000:86:00.0  bound to virtio-pci, legacy commands but no member notify
//                 entry before the end of its NOTIFY_INFO list: the VF 86:00.1
//                 cannot be set up by virtio-vfio-pci.
//   0000:af:00.0  bound to virtio-pci, no legacy commands, VF BAR0 present:
//                 the VF af:00.1 is a plain vfio-pci device.
import type { DeclaredDevice } from '../../support/contract/protocol';
import type { TraceEvent } from '../../support/contract/ops-virtio';
import { fromHex } from '../../support/uapi/bytes';
import { ADMIN_OPCODE, bitmapOf, NOTIFY_FLAGS, NotifyEntry } from '../../support/uapi/virtio';
import { fail, KernelError } from '../kernel/errno';
import type { Machine } from '../machine';
import { variantById } from '../variants';
import { kernelAtLeast } from '../machine';
import { hasChange } from '../../support/kernel/releases';
import { BarSpec, OwnerModel, VirtioOwner } from './owner';
import { formatPciAddress, PciAddress, parsePciAddress, sysfsPath, virtfnAddress } from './sriov';
import { isX86, VirtioPciDriver } from './virtio_pci';
import { VirtioVfioPciDevice, VirtioVfioPciDriver } from './virtio_vfio_pci';

const ALL_LEGACY = bitmapOf([
  ADMIN_OPCODE.LEGACY_COMMON_CFG_WRITE, ADMIN_OPCODE.LEGACY_COMMON_CFG_READ, ADMIN_OPCODE.LEGACY_DEV_CFG_WRITE,
  ADMIN_OPCODE.LEGACY_DEV_CFG_READ, ADMIN_OPCODE.LEGACY_NOTIFY_INFO,
]);

// A modern virtio PF keeps its structures in BAR4; VF notify areas sit in VF BAR2.
const PF_BARS: BarSpec[] = [{ index: 4, size: 0x4000 }];
const VF_BARS_NO_BAR0: BarSpec[] = [{ index: 2, size: 0x4000 }];
const VF_BARS_WITH_BAR0: BarSpec[] = [{ index: 0, size: 0x4000 }];

const ownerEntry = (memberId: number): NotifyEntry => ({ flags: NOTIFY_FLAGS.OWNER_BAR, bar: 4, offset: 0x3000n + 0x10n * BigInt(memberId) });
const END: NotifyEntry = { flags: NOTIFY_FLAGS.END, bar: 0, offset: 0n };

interface PfSpec { name: string; hostDriver: 'vfio-pci' | 'virtio-pci'; model: OwnerModel }

const PFS: PfSpec[] = [
  {
    name: '0000:3b:00.0', hostDriver: 'vfio-pci',
    model: {
      totalVFs: 4, numVFs: 3, firstVfOffset: 16, vfStride: 2, sriovOpcodes: ALL_LEGACY, pfBars: PF_BARS, vfBars: VF_BARS_NO_BAR0,
      notifyEntries: (m) => [ownerEntry(m), { flags: NOTIFY_FLAGS.MEMBER_BAR, bar: 2, offset: 0x1000n }, END, END],
    },
  },
  {
    name: '0000:5e:00.0', hostDriver: 'virtio-pci',
    model: {
      totalVFs: 2, numVFs: 2, firstVfOffset: 8, vfStride: 2, sriovOpcodes: ALL_LEGACY, pfBars: PF_BARS, vfBars: VF_BARS_NO_BAR0,
      notifyEntries: (m) => [ownerEntry(m), { flags: NOTIFY_FLAGS.MEMBER_BAR, bar: 2, offset: 0x1000n }, { flags: NOTIFY_FLAGS.MEMBER_BAR, bar: 2, offset: 0x1800n }, END],
    },
  },
  {
    name: '0000:86:00.0', hostDriver: 'virtio-pci',
    model: {
      totalVFs: 1, numVFs: 1, firstVfOffset: 1, vfStride: 1, sriovOpcodes: ALL_LEGACY, pfBars: PF_BARS, vfBars: VF_BARS_NO_BAR0,
      notifyEntries: (m) => [ownerEntry(m), END, { flags: NOTIFY_FLAGS.MEMBER_BAR, bar: 2, offset: 0x1000n }, END],
    },
  },
  {
    name: '0000:af:00.0', hostDriver: 'virtio-pci',
    model: {
      totalVFs: 1, numVFs: 1, firstVfOffset: 1, vfStride: 1, sriovOpcodes: 0n, pfBars: PF_BARS, vfBars: VF_BARS_WITH_BAR0,
      notifyEntries: () => [END, END, END, END],
    },
  },
];

interface PfNode { address: PciAddress; path: string; owner: VirtioOwner; hostDriver: 'vfio-pci' | 'virtio-pci'; pciDriver?: VirtioPciDriver; base: bigint }
interface VfNode { address: PciAddress; path: string; pf: PfNode; index: number; driver?: string; vfio?: VirtioVfioPciDriver }

// IORESOURCE_MEM | IORESOURCE_MEM_64 | IORESOURCE_SIZEALIGN and the 64-bit type bit, as lspci and sysfs show them.
const MEM64_FLAGS = 0x140204n;
const RESOURCE_LINES = 13; // six BARs, the ROM, six SR-IOV VF BARs

export class VirtioTopology {
  readonly pfs = new Map<string, PfNode>();
  readonly vfs = new Map<string, VfNode>();
  // What the host driver of each function sent to its owner (admin_trace).
  private readonly traces = new Map<string, TraceEvent[]>();

  constructor(private readonly machine: Machine) {
    const { arch, kernel, byteOrder } = machine.options;
    const host = { arch, kernel, byteOrder };
    // VIRTIO_PCI_ADMIN_LEGACY needs X86; before 6.13 the VF driver depends on it.
    const legacyBuilt = isX86(arch);
    const vfDriver = legacyBuilt || kernelAtLeast(kernel, 6, 13) ? 'virtio_vfio_pci' : 'vfio-pci';
    // A variant's owners may offer more commands than the legacy ones (offered for
    // LIST_USE only: no driver of this topology sends them).
    const extra = variantById(machine.options.variant)?.extraSriovOpcodes ?? 0n;
    PFS.map((spec) => (extra && spec.model.sriovOpcodes ? { ...spec, model: { ...spec.model, sriovOpcodes: spec.model.sriovOpcodes | extra } } : spec)).forEach((spec, i) => {
      const address = parsePciAddress(spec.name);
      const path = sysfsPath(address);
      const owner = new VirtioOwner(address, spec.model, machine.mutations);
      const pf: PfNode = { address, path, owner, hostDriver: spec.hostDriver, base: 0x38000000000n + BigInt(i) * 0x100000000n };
      this.pfs.set(path, pf);
      this.traces.set(path, []);
      if (spec.hostDriver === 'virtio-pci') pf.pciDriver = new VirtioPciDriver(owner, path, host, machine.mutations);
      if (spec.hostDriver === 'vfio-pci') {
        machine.declared.push({
          path, roles: ['virtio-owner'], driver: 'vfio-pci',
          description: `virtio-net SR-IOV PF with an admin virtqueue, legacy commands and NOTIFY_INFO; NumVFs ${spec.model.numVFs} of ${spec.model.totalVFs}`,
        });
      }
      for (let index = 0; index < owner.sriov.numVFs; index++) this.addVf(pf, index, spec, vfDriver, legacyBuilt);
    });
  }

  private addVf(pf: PfNode, index: number, spec: PfSpec, vfDriver: string, legacyBuilt: boolean): void {
    const address = virtfnAddress(pf.address, pf.owner.sriov, index);
    const path = sysfsPath(address);
    const vf: VfNode = { address, path, pf, index };
    this.vfs.set(path, vf);
    const trace: TraceEvent[] = [];
    this.traces.set(path, trace);
    if (spec.hostDriver !== 'virtio-pci') return; // members of the owner under test stay unbound
    const m = this.machine;
    const declared: DeclaredDevice = {
      path, roles: ['virtio-translator'], driver: vfDriver, owner_driver: 'virtio_pci',
      description: `virtio-net VF ${index} of ${formatPciAddress(pf.address)} (driver_override ${vfDriver})`,
    };
    m.declared.push(declared);
    try {
      const driver = new VirtioVfioPciDriver({
        address, vfIndex: index, owner: pf.owner, pfDriver: pf.pciDriver, vfBars: spec.model.vfBars,
        legacyBuilt: legacyBuilt && vfDriver === 'virtio_vfio_pci', hostOrder: m.options.byteOrder, trace,
      }, m.mutations);
      vf.driver = vfDriver;
      vf.vfio = driver;
      m.vfioDevices.set(path, new VirtioVfioPciDevice(path, driver, { unknownFeatureErrno: 'ENOTTY', pageSize: 4096, precopyInfoV2: hasChange(m.options.kernel, 'precopy-info-v2') }, m.mutations));
    } catch (error) {
      // The probe failed: no driver is bound and no VFIO device exists.
      if (!(error instanceof KernelError)) throw error;
    }
  }

  // --- the contract's virtio operations ---------------------------------------------------
  owner(path: string): VirtioOwner | { unsupported: string } {
    const pf = this.pfs.get(path);
    if (!pf) fail('ENODEV', `${path} is not a virtio owner`);
    if (pf.hostDriver === 'virtio-pci') {
      return { unsupported: `${path} is driven by the host's virtio-pci driver; only that driver submits admin commands to it` };
    }
    return pf.owner;
  }

  trace(path: string): TraceEvent[] {
    const events = this.traces.get(path);
    if (!events) fail('ENODEV', `${path} is not a function of a virtio owner`);
    const pf = this.pfs.get(path);
    return [...(pf?.pciDriver?.trace.splice(0) ?? []), ...events.splice(0)];
  }

  mmioWrite(path: string, bar: number, offset: bigint, data: Uint8Array): void {
    const pf = this.pfs.get(path);
    const vf = this.vfs.get(path);
    const bars = pf ? pf.owner.model.pfBars : vf ? vf.pf.owner.model.vfBars : fail('ENOENT', `${path} does not exist`);
    const spec = bars.find((b) => b.index === bar);
    if (!spec) fail('ENOENT', `${path}/resource${bar} does not exist`);
    if (![1, 2, 4, 8].includes(data.length) || offset + BigInt(data.length) > BigInt(spec.size)) fail('EINVAL', 'not one access inside the BAR');
    if (pf) {
      // An owner-BAR notify address: find the member whose entry names it.
      for (let id = 1; id <= pf.owner.sriov.numVFs; id++) pf.owner.notifyAt(id, NOTIFY_FLAGS.OWNER_BAR, bar, offset, data);
    } else if (vf) {
      vf.pf.owner.notifyAt(vf.index + 1, NOTIFY_FLAGS.MEMBER_BAR, bar, offset, data);
    }
  }

  // --- sysfs -----------------------------------------------------------------------------
  private split(path: string): { fn: string; attr: string } {
    const at = path.lastIndexOf('/');
    return { fn: path.slice(0, at), attr: path.slice(at + 1) };
  }

  handles(path: string): boolean {
    const { fn } = this.split(path);
    return this.pfs.has(fn) || this.vfs.has(fn);
  }

  sysfsRead(path: string): string {
    const { fn, attr } = this.split(path);
    const pf = this.pfs.get(fn);
    const vf = this.vfs.get(fn);
    if (!pf && !vf) fail('ENOENT', `${path} does not exist`);
    if (attr === 'vendor') return '0x1af4\n';
    if (attr === 'device') return '0x1041\n';
    if (attr === 'resource') return this.resource(pf, vf);
    if (pf) {
      const s = pf.owner.sriov;
      switch (attr) {
        case 'sriov_totalvfs': return `${s.totalVFs}\n`;
        case 'sriov_numvfs': return `${s.numVFs}\n`;
        case 'sriov_offset': return `${s.firstVfOffset}\n`;
        case 'sriov_stride': return `${s.vfStride}\n`;
        case 'sriov_vf_device': return `${s.vfDeviceId.toString(16)}\n`;
        default: break;
      }
    }
    fail('ENOENT', `${path} does not exist`);
  }

  sysfsReadlink(path: string): string {
    const { fn, attr } = this.split(path);
    const pf = this.pfs.get(fn);
    const vf = this.vfs.get(fn);
    if (attr === 'driver') {
      const driver = pf ? pf.hostDriver : vf?.driver;
      if (!driver) fail('ENOENT', `no driver is bound to ${fn}`);
      return `../../../bus/pci/drivers/${driver}`;
    }
    if (vf && attr === 'physfn') return `../${formatPciAddress(vf.pf.address)}`;
    const m = /^virtfn(\d+)$/.exec(attr);
    if (pf && m && Number(m[1]) < pf.owner.sriov.numVFs) return `../${formatPciAddress(virtfnAddress(pf.address, pf.owner.sriov, Number(m[1])))}`;
    fail('ENOENT', `${path} does not exist`);
  }

  sysfsWrite(path: string, data: string): number {
    const { fn, attr } = this.split(path);
    const pf = this.pfs.get(fn);
    const vf = this.vfs.get(fn);
    if (attr === 'reset') {
      if (!/^\s*1\s*$/.test(data)) fail('EINVAL', 'reset takes 1');
      if (pf) pf.owner.reset();
      else if (vf?.vfio) vf.vfio.reset();
      else if (vf) vf.pf.owner.members[vf.index].reset();
      return data.length;
    }
    if (pf && attr === 'sriov_numvfs') {
      // sriov_numvfs_store()
      if (!/^\s*\d+\s*$/.test(data)) fail('EINVAL', 'not a number');
      const wanted = Number(data.trim());
      if (wanted > pf.owner.sriov.totalVFs) fail('ERANGE', 'more than TotalVFs');
      if (wanted === pf.owner.sriov.numVFs) return data.length;
      if (wanted !== 0 && pf.owner.sriov.numVFs !== 0) fail('EBUSY', 'VFs are already enabled');
      for (const [p, node] of this.vfs) {
        if (node.pf === pf) {
          this.vfs.delete(p);
          this.machine.vfioDevices.delete(p);
        }
      }
      pf.owner.setNumVFs(wanted);
      for (let index = 0; index < wanted; index++) {
        const address = virtfnAddress(pf.address, pf.owner.sriov, index);
        this.vfs.set(sysfsPath(address), { address, path: sysfsPath(address), pf, index });
      }
      return data.length;
    }
    fail(this.handles(path) ? 'EACCES' : 'ENOENT', `${path} is not writable`);
  }

  private resource(pf: PfNode | undefined, vf: VfNode | undefined): string {
    const lines: [bigint, bigint, bigint][] = Array.from({ length: RESOURCE_LINES }, () => [0n, 0n, 0n]);
    const put = (line: number, start: bigint, size: bigint) => { lines[line] = [start, start + size - 1n, MEM64_FLAGS]; };
    if (pf) {
      const model = pf.owner.model;
      model.pfBars.forEach((b) => put(b.index, pf.base + BigInt(b.index) * 0x1000000n, BigInt(b.size)));
      // The SR-IOV VF BARs: one window per BAR holding every VF's copy.
      model.vfBars.forEach((b) => put(7 + b.index, pf.base + 0x80000000n + BigInt(b.index) * 0x1000000n, BigInt(b.size * model.totalVFs)));
    } else if (vf) {
      const model = vf.pf.owner.model;
      model.vfBars.forEach((b) => put(b.index, vf.pf.base + 0x80000000n + BigInt(b.index) * 0x1000000n + BigInt(vf.index * b.size), BigInt(b.size)));
    }
    const hex = (v: bigint) => `0x${v.toString(16).padStart(16, '0')}`;
    return lines.map(([s, e, f]) => `${hex(s)} ${hex(e)} ${hex(f)}\n`).join('');
  }
}

export function sysfsText(hex: string): string {
  return Buffer.from(fromHex(hex)).toString('latin1');
}
