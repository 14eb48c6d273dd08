// PCI addresses as sysfs names them (0000:3b:00.1) and as routing ids.
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
