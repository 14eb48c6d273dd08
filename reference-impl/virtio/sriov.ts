// SR-IOV topology as the PCI core computes it (drivers/pci/iov.c): a VF's
// routing id is the PF's plus First VF Offset plus index times VF Stride, and
// pci_iov_vf_id() goes the other way. Virtio numbers SR-IOV group members from
// 1, so a VF's group_member_id is its zero-based index plus one.
import type { Mutations } from '../kernel/mutations';
import { formatPciAddress, parsePciAddress, PciAddress, routingId } from '../../support/uapi/pci';

export { formatPciAddress, parsePciAddress, routingId };
export type { PciAddress };

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
