// PCI facts the suite reads from sysfs, the way lspci and the PCI core use
// them: addresses, routing ids, the SR-IOV numbering of VFs and the resource
// table (/sys/bus/pci/devices/<fn>/resource).
import { posix } from 'node:path';
import { parsePciAddress, PciAddress, routingId } from '../uapi/pci';

export { parsePciAddress, routingId };
export type { PciAddress };

// Sibling of a sysfs device directory named by a relative link target (../0000:3b:02.0).
export function resolveLink(fromPath: string, target: string): string {
  return posix.join(posix.dirname(fromPath), target);
}

export function addressOf(path: string): PciAddress {
  return parsePciAddress(posix.basename(path));
}

// The SR-IOV VF number of `vf` under `pf`: (RID(vf) - RID(pf) - First VF Offset) / VF Stride.
export function vfIndex(pf: PciAddress, vf: PciAddress, firstVfOffset: number, vfStride: number): number {
  const distance = routingId(vf) - routingId(pf) - firstVfOffset;
  if (distance < 0 || distance % vfStride !== 0) throw new Error('the VF is not numbered by its PF\'s First VF Offset and VF Stride');
  return distance / vfStride;
}

export interface ResourceLine { start: bigint; end: bigint; flags: bigint }
export const IORESOURCE_IO = 0x100n;
export const IORESOURCE_MEM = 0x200n;
// Lines 0-5 are the BARs, 6 the ROM, 7-12 the SR-IOV VF BARs of a PF.
export const PCI_IOV_RESOURCES = 7;

export function parseResource(text: string): ResourceLine[] {
  return text.trim().split('\n').map((line) => {
    const [start, end, flags] = line.trim().split(/\s+/).map((v) => BigInt(v));
    return { start, end, flags };
  });
}

export function implemented(line: ResourceLine | undefined): boolean {
  return !!line && (line.flags & (IORESOURCE_IO | IORESOURCE_MEM)) !== 0n && line.end > line.start;
}

export function resourceSize(line: ResourceLine): bigint {
  return line.end - line.start + 1n;
}
