// The simulated host: one user process, the VFIO devices present, and the
// options that choose which kernel behaviour to imitate. A scenario begins on
// a freshly built machine, so nothing leaks from one scenario to the next.
import { Process } from './kernel/process';
import { Mutations } from './kernel/mutations';
import { fail } from './kernel/errno';
import { MttyDevice } from './vfio/mtty';
import { REFMIG_FLAG_SETS, RefmigDevice } from './vfio/refmig';
import { VfioDevice, VfioDriver } from './vfio/vfio_main';
import type { DeclaredDevice, Platform } from '../support/contract/protocol';

export interface ReferenceOptions {
  mutant?: string;
  kernel: string; // the kernel release whose behaviour to imitate
  arch: string;
  byteOrder: 'little' | 'big';
}

export const DEFAULT_OPTIONS: ReferenceOptions = { kernel: '6.12.117', arch: 'x86_64', byteOrder: 'little' };

export function kernelAtLeast(release: string, major: number, minor: number): boolean {
  const [a, b] = release.split('.').map(Number);
  return a > major || (a === major && b >= minor);
}

export const MTTY_DEVICE_PATH = '/sys/bus/mdev/devices/83b8f4f2-509f-382f-3c1e-e6bfe0fa1001';

export class Machine {
  readonly process = new Process();
  readonly mutations: Mutations;
  readonly vfioDevices = new Map<string, VfioDevice>();
  readonly declared: DeclaredDevice[] = [];

  constructor(readonly options: ReferenceOptions) {
    this.mutations = new Mutations(options.mutant);
    const core = {
      unknownFeatureErrno: kernelAtLeast(options.kernel, 6, 6) ? 'ENOTTY' as const : 'EINVAL' as const,
      pageSize: 4096,
    };
    REFMIG_FLAG_SETS.forEach((flags, i) => {
      const path = `/sys/bus/pci/devices/0000:00:0${4 + i}.0`;
      this.addVfioDevice(path, new RefmigDevice(flags, this.mutations), core, {
        path, roles: ['vfio-migration'], driver: 'refmig',
        description: `reference migratable PCI device, migration flags 0x${flags.toString(16)}`,
      });
    });
    this.addVfioDevice(MTTY_DEVICE_PATH, new MttyDevice(2, this.mutations), core, {
      path: MTTY_DEVICE_PATH, roles: ['vfio-migration'], driver: 'mtty', description: 'mtty-2 mediated device (two UART ports)',
    });
  }

  addVfioDevice(path: string, driver: VfioDriver, core: ConstructorParameters<typeof VfioDevice>[2], declared?: DeclaredDevice): void {
    this.vfioDevices.set(path, new VfioDevice(path, driver, core, this.mutations));
    if (declared) this.declared.push(declared);
  }

  vfioDevice(path: string): VfioDevice {
    const device = this.vfioDevices.get(path);
    if (!device) fail('ENODEV', `no VFIO device at ${path}`);
    return device;
  }

  platform(): Platform {
    return { arch: this.options.arch, byte_order: this.options.byteOrder, kernel: this.options.kernel };
  }
}
