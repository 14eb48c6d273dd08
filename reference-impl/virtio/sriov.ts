// SR-IOV topology as the PCI core computes it (drivers/pci/iov.c): a VF's
// routing id is the PF's plus First VF Offset plus index times VF Stride, and
// pci_iov_vf_id() goes the other way. Virtio numbers SR-IOV group members from
// 1, so a VF's group_member_id is its zero-based index plus one.
import type { Mutations } from '../kernel/mutations';

export interface PciAddress { domain: number; bus: number; devfn: number }

export function parsePciAddress(name: string): PciAddress {
  const m = /^([0-9a-f]{4}):([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$/.exec(name);
  if (!m) throw new Error(`${name} is not a PCI address`);
  return { domain: parseInt(m[1], 16), bus: parseInt(m[2], 16), devfn: (parseInt(m[3], 16) << 3) | Number(m[4]) };
}

export function formatPciAddress(a: PciAddress): string {
  const hex = (v: number, n: number) => v.toString(16).padStart(n, '0');
  return `${hex(a.domain, 4)}:${hex(a.bus, 2)}:${hex(a.devfn >> 3, 2)}.${a.devfn & 7}`;
}

// pci_dev_id(): bus number and devfn as one 16-bit routing id.
export function routingId(a: PciAddress): number {
  return (a.bus << 8) | a.devfn;
}

export function fromRoutingId(domain: number, rid: number): PciAddress {
  return { domain, bus: (rid >> 8) & 0xff, devfn: rid & 0xff };
}

export const PCI_DEVICES = '/sys/bus/pci/devices';
export const sysfsPath = (a: PciAddress) => `${PCI_DEVICES}/${formatPciAddress(a)}`;

// The SR-IOV Extended Capability fields the topology needs.
export interface SriovCapability {
  totalVFs: number;
  numVFs: number;
  vfEnable: boolean;
  firstVfOffset: number;
  vfStride: number;
  vfDeviceId: number;
}

// pci_iov_virtfn_bus()/devfn(): where VF number `index` (0-based) lives.
export function virtfnAddress(pf: PciAddress, sriov: SriovCapability, index: number): PciAddress {
  return fromRoutingId(pf.domain, routingId(pf) + sriov.firstVfOffset + index * sriov.vfStride);
}

// pci_iov_vf_id(): the 0-based VF index of a VF of this PF, or undefined.
export function vfIndexOf(pf: PciAddress, sriov: SriovCapability, vf: PciAddress): number | undefined {
  if (vf.domain !== pf.domain) return undefined;
  const distance = routingId(vf) - (routingId(pf) + sriov.firstVfOffset);
  if (distance < 0 || distance % sriov.vfStride !== 0) return undefined;
  const index = distance / sriov.vfStride;
  return index < sriov.numVFs ? index : undefined;
}

// The virtio SR-IOV group numbers members 1..NumVFs.
export function memberIdOf(index: number, mutations: Mutations): bigint {
  return BigInt(mutations.on('member-id-off-by-one') ? index : index + 1);
}
