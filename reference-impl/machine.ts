// The simulated host: one user process, the VFIO devices present, and the
// options that choose which kernel behaviour to imitate. A scenario begins on
// a freshly built machine, so nothing leaks from one scenario to the next.
import { Process } from './kernel/process';
import { Mutations } from './kernel/mutations';
import { fail } from './kernel/errno';
import { atLeast, hasChange } from '../support/kernel/releases';
import { MdevCore } from './mdev/mdev_core';
import { PlainDevice } from './vfio/plain';
import { REFMIG_FLAG_SETS, RefmigDevice } from './vfio/refmig';
import { VfioDevice, VfioDriver } from './vfio/vfio_main';
import { VirtioTopology } from './virtio/topology';
import { variantById } from './variants';
import type { DeclaredDevice, Platform, Role } from '../support/contract/protocol';

export interface ReferenceOptions {
  mutant?: string;
  variant?: string; // a conforming variant (reference-impl/variants.ts)
  kernel: string; // the kernel release whose behaviour to imitate
  arch: string;
  byteOrder: 'little' | 'big';
  proposal?: string; // a design that never reached mainline to imitate instead (e.g. mdev-class-id)
}

export const DEFAULT_OPTIONS: ReferenceOptions = { kernel: '6.12.117', arch: 'x86_64', byteOrder: 'little' };

export function kernelAtLeast(release: string, major: number, minor: number): boolean {
  return atLeast(release, `${major}.${minor}`);
}

export const MTTY_DEVICE_PATHS: [string, string][] = [
  ['mtty-2', '/sys/bus/mdev/devices/83b8f4f2-509f-382f-3c1e-e6bfe0fa1001'],
  ['mtty-2', '/sys/bus/mdev/devices/83b8f4f2-509f-382f-3c1e-e6bfe0fa1002'],
  ['mtty-1', '/sys/bus/mdev/devices/83b8f4f2-509f-382f-3c1e-e6bfe0fa1003'],
];

export class Machine {
  readonly process = new Process();
  readonly mutations: Mutations;
  readonly vfioDevices = new Map<string, VfioDevice>();
  readonly declared: DeclaredDevice[] = [];
  readonly roles = new Set<Role>(); // roles a subsystem offers beyond those of the declared devices
  readonly mdev: MdevCore;
  readonly virtio: VirtioTopology;

  constructor(readonly options: ReferenceOptions) {
    this.mutations = new Mutations(options.mutant);
    const core = {
      unknownFeatureErrno: hasChange(options.kernel, 'feature-enotty') ? 'ENOTTY' as const : 'EINVAL' as const,
      pageSize: 4096,
      precopyInfoV2: hasChange(options.kernel, 'precopy-info-v2'),
    };
    // Two devices of each kind, so a stream saved on one can be restored on the
    // other; the full-featured one first, as the default device under test.
    // A migration variant replaces refmig with its own driver and flag sets.
    const variant = variantById(options.variant);
    const migration = variant?.migration;
    const device = migration?.device ?? RefmigDevice;
    const flagSets = migration?.flagSets ?? [...REFMIG_FLAG_SETS].reverse();
    flagSets.forEach((flags, i) => {
      for (const copy of [0, 1]) {
        const path = `/sys/bus/pci/devices/0000:00:${(4 + 2 * i + copy).toString(16).padStart(2, '0')}.0`;
        this.addVfioDevice(path, new device(flags, this.mutations), core, {
          path, roles: ['vfio-migration'], driver: migration ? variant.driver : 'refmig',
          description: `${migration ? `${variant.driver}-like` : 'reference'} migratable PCI device, migration flags 0x${flags.toString(16)}`,
        });
      }
    });
    const plain = '/sys/bus/pci/devices/0000:00:0c.0';
    this.addVfioDevice(plain, new PlainDevice(this.mutations), core, {
      path: plain, roles: ['vfio-migration'], driver: 'vfio-pci', description: 'reference PCI device without migration or DMA logging',
    });
    // The mtty devices the migration suite uses are mdevs like those the mdev suite creates.
    this.mdev = new MdevCore(this, core);
    // (Under a variant whose parents replace the samples there is no mtty.)
    for (const [type, path] of variant?.mdevParents ? [] : MTTY_DEVICE_PATHS) {
      this.mdev.create(type, path.slice(path.lastIndexOf('/') + 1));
      this.declared.push({ path, roles: ['vfio-migration'], driver: 'mtty', mdev_type: type, description: `${type} mediated device` });
    }
    this.virtio = new VirtioTopology(this);
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
