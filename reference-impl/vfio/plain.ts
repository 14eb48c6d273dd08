// A VFIO PCI device with neither migration nor DMA logging: the core answers
// every migration and logging feature with ENOTTY for it.
import { fail } from '../kernel/errno';
import { Mutations } from '../kernel/mutations';
import { PciConfig } from './pci_config';
import { REGION_FLAG, RegionInfo, VfioDriver } from './vfio_main';

const BAR0_SIZE = 4096;

export class PlainDevice implements VfioDriver {
  readonly migration_flags = 0;
  readonly pci_core = true;
  // A device without FLR, PM or bus reset: vfio-pci refuses VFIO_DEVICE_RESET on it.
  readonly reset_works = false;
  // A PCI Express capability whose DEVCAP has no FLR: Initiate FLR is ignored.
  private readonly config: PciConfig;
  constructor(private readonly mutations: Mutations) {
    this.config = new PciConfig(0x1b36, 0x10f1, [{ index: 0, size: BAR0_SIZE }], undefined, { flr: false, onFlr: () => {}, mutations });
  }

  // vfio_pci_ioctl_get_region_info(): config space and BAR0 (a 4 KiB memory
  // BAR, mappable); the other BARs and the ROM are empty with flags 0; the VGA
  // region of a device without VGA and every index past the last are EINVAL.
  region_info(index: number): RegionInfo {
    const rw = REGION_FLAG.READ | REGION_FLAG.WRITE;
    if (index === 7) return { flags: rw, size: 256n };
    if (index === 0) return { flags: rw | (this.mutations.on('bar-region-without-mmap') ? 0 : REGION_FLAG.MMAP), size: BigInt(BAR0_SIZE) };
    if (index === 8 && this.mutations.on('vga-region-on-non-vga')) return { flags: 0, size: 0n };
    if (index < 8) return { flags: 0, size: 0n };
    fail('EINVAL', index === 8 ? 'the device has no VGA' : 'no such region');
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
