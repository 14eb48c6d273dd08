// A VFIO PCI device with neither migration nor DMA logging: the core answers
// every migration and logging feature with ENOTTY for it.
import { fail } from '../kernel/errno';
import { Mutations } from '../kernel/mutations';
import { PciConfig } from './pci_config';
import { REGION_FLAG, RegionInfo, VfioDriver } from './vfio_main';

export class PlainDevice implements VfioDriver {
  readonly migration_flags = 0;
  readonly pci_core = true;
  // A device without FLR, PM or bus reset: vfio-pci refuses VFIO_DEVICE_RESET on it.
  readonly reset_works = false;
  // A PCI Express capability whose DEVCAP has no FLR: Initiate FLR is ignored.
  private readonly config: PciConfig;
  constructor(mutations: Mutations) {
    this.config = new PciConfig(0x1b36, 0x10f1, [], undefined, { flr: false, onFlr: () => {}, mutations });
  }

  region_info(index: number): RegionInfo {
    if (index === 7) return { flags: REGION_FLAG.READ | REGION_FLAG.WRITE, size: 256n };
    if (index < 9) return { flags: 0, size: 0n };
    fail('EINVAL', 'no such region');
  }
  region_read(index: number, offset: bigint, count: number): Uint8Array {
    if (index !== 7) fail('EINVAL', 'region has no data');
    return this.config.read(Number(offset), count);
  }
  region_write(index: number, offset: bigint, data: Uint8Array): number {
    if (index !== 7) fail('EINVAL', 'region has no data');
    return this.config.write(Number(offset), data);
  }
  reset(): void {}
  open_device(): void {}
  close_device(): void {}
}
