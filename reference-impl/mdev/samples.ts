// The three sample parents of samples/vfio-mdev, as Linux 6.12 loads them at
// boot, with the names, descriptions and capacities measured on that kernel:
//   mtty   types mtty-1 / mtty-2 sharing 24 ports; counted by the driver, a
//          create beyond them is refused in probe with ENOSPC;
//   mdpy   types mdpy-vga / -xga / -hd sharing the parent counter of 4 kept by
//          the core (EUSERS when empty); before 6.1 mdpy counted for itself
//          and refused with ENOMEM;
//   mbochs types mbochs-small / -medium / -large (4, 16, 64 MB) sharing a
//          256 MB budget; counted by the driver, ENOSPC in probe.
// Driver-counted capacity comes back when the VFIO device is released, that
// is after its last user has closed it. Each mtty mdev is backed by the
// reference's MttyDevice (migration flags 0x7); mdpy and mbochs devices are
// plain VFIO PCI devices without migration.
// Under the 2019 class-id proposal two more parents exist: mvnet, whose
// devices are of the virtio class, and noclass, whose create callback forgets
// to assign a class.
import { fail } from '../kernel/errno';
import { MttyDevice } from '../vfio/mtty';
import { PciConfig } from '../vfio/pci_config';
import { REGION_FLAG, RegionInfo, VfioDriver } from '../vfio/vfio_main';
import type { MdevCore } from './mdev_core';
import {
  MDEV_CLASS_ID_VFIO, MDEV_CLASS_ID_VIRTIO, MdevDevice, MdevDriver, MdevParent, MdevType, MdevTypeSpec,
} from './mdev';

// A display-like VFIO PCI device: config space, one framebuffer BAR, no migration.
export class DisplayDevice implements VfioDriver {
  readonly migration_flags = 0;
  readonly pci_core = false;
  private readonly config: PciConfig;
  constructor(vendor: number, device: number, private readonly framebuffer: number) {
    this.config = new PciConfig(vendor, device, [{ index: 0, size: framebuffer }], 0x030000);
  }
  region_info(index: number): RegionInfo {
    if (index === 0) return { flags: REGION_FLAG.READ | REGION_FLAG.WRITE | REGION_FLAG.MMAP, size: BigInt(this.framebuffer) };
    if (index === 7) return { flags: REGION_FLAG.READ | REGION_FLAG.WRITE, size: 256n };
    if (index < 9) return { flags: 0, size: 0n };
    fail('EINVAL', 'no such region');
  }
  region_read(index: number, offset: bigint, count: number): Uint8Array {
    if (index === 7) return this.config.read(Number(offset), count);
    if (index === 0 && offset + BigInt(count) <= BigInt(this.framebuffer)) return new Uint8Array(count);
    fail('EINVAL', 'outside the regions');
  }
  region_write(index: number, offset: bigint, data: Uint8Array): number {
    if (index === 7) return this.config.write(Number(offset), data);
    if (index === 0 && offset + BigInt(data.length) <= BigInt(this.framebuffer)) return data.length;
    fail('EINVAL', 'outside the regions');
  }
  reset(): void {}
  open_device(): void {}
  close_device(): void {}
}

// Capacity a driver counts itself, given back once per mdev.
export class Pool {
  private readonly taken = new Map<MdevDevice, number>();
  constructor(public free: number) {}
  take(mdev: MdevDevice, amount: number, errno: 'ENOSPC' | 'ENOMEM'): void {
    if (this.free < amount) fail(errno, 'not enough capacity left');
    this.free -= amount;
    this.taken.set(mdev, amount);
  }
  giveBack(mdev: MdevDevice): void {
    this.free += this.taken.get(mdev) ?? 0;
    this.taken.delete(mdev);
  }
}

// A module that creates a class device /sys/devices/virtual/<className>/<name>
// and registers it as an mdev parent; unloading it unregisters the parent.
export function registerParentModule(
  core: MdevCore, where: { module: string; className: string; name: string }, driver: MdevDriver, specs: MdevTypeSpec[], classId: number | undefined,
): MdevParent {
  let parent: MdevParent | undefined;
  core.loadModule(where.module, (module) => {
    const dev = core.classDevice(where.className, where.name);
    core.registerDriver(driver);
    const registered = core.registerParent(dev, driver, specs, module, core.classIds ? classId : undefined);
    module.exit = (done) => core.unregisterParent(registered, () => {
      core.unregisterDriver(driver);
      core.removeClassDevice(dev);
      done();
    });
    parent = registered;
  });
  return parent as MdevParent;
}

// The samples name module, class and parent device alike.
function registerSample(core: MdevCore, name: string, driver: MdevDriver, specs: MdevTypeSpec[], classId: number | undefined): MdevParent {
  return registerParentModule(core, { module: name, className: name, name }, driver, specs, classId);
}

const MTTY_TYPES: (MdevTypeSpec & { ports: 1 | 2 })[] = [
  { sysfs_name: '1', pretty_name: 'Single port serial', ports: 1 },
  { sysfs_name: '2', pretty_name: 'Dual port serial', ports: 2 },
];
const MAX_MTTYS = 24;

function mtty(core: MdevCore): void {
  const ports = (type: MdevType) => (type.spec as (typeof MTTY_TYPES)[number]).ports;
  const shared = new Pool(MAX_MTTYS);
  const perType = new Map<MdevType, Pool>();
  const pool = (type: MdevType): Pool => {
    if (!core.mutations.on('mtty-pool-not-shared')) return shared;
    if (!perType.has(type)) perType.set(type, new Pool(MAX_MTTYS));
    return perType.get(type) as Pool;
  };
  registerSample(core, 'mtty', {
    name: 'mtty',
    device_api: 'vfio-pci',
    get_available: (type) => Math.floor(pool(type).free / ports(type)),
    dev_groups: { vendor: { sample_mdev_dev: (mdev) => `This is MDEV ${mdev.uuid}\n` } },
    probe: (mdev) => {
      pool(mdev.type).take(mdev, ports(mdev.type), 'ENOSPC');
      core.vfio.register(mdev, new MttyDevice(ports(mdev.type), core.mutations), () => pool(mdev.type).giveBack(mdev));
    },
    remove: (mdev, done) => {
      if (core.mutations.on('mtty-ports-before-release')) pool(mdev.type).giveBack(mdev);
      core.vfio.unregister(mdev, done);
    },
  }, MTTY_TYPES, MDEV_CLASS_ID_VFIO);
}

const MDPY_TYPES: (MdevTypeSpec & { width: number; height: number })[] = [
  { sysfs_name: 'vga', pretty_name: 'mdpy-vga', width: 640, height: 480 },
  { sysfs_name: 'xga', pretty_name: 'mdpy-xga', width: 1024, height: 768 },
  { sysfs_name: 'hd', pretty_name: 'mdpy-hd', width: 1920, height: 1080 },
];
const MDPY_MAX_DEVICES = 4; // the module parameter "count"

function mdpy(core: MdevCore): void {
  const mode = (type: MdevType) => type.spec as (typeof MDPY_TYPES)[number];
  // A framebuffer of width x height x 4 bytes, rounded up to a power of two.
  const framebuffer = (type: MdevType) => 2 ** Math.ceil(Math.log2(mode(type).width * mode(type).height * 4));
  const register = (mdev: MdevDevice, release: () => void) =>
    core.vfio.register(mdev, new DisplayDevice(0x1b36, 0x000f, framebuffer(mdev.type)), release);
  const common = {
    name: 'mdpy',
    device_api: 'vfio-pci',
    show_description: (type: MdevType) => `virtual display, ${mode(type).width}x${mode(type).height} framebuffer\n`,
    dev_groups: { vendor: { resolution: (mdev: MdevDevice) => `${mode(mdev.type).width}x${mode(mdev.type).height}\n` } },
    remove: (mdev: MdevDevice, done: () => void) => core.vfio.unregister(mdev, done),
  };
  if (core.kernelAtLeast(6, 1)) {
    // The core counts: max_instances on the parent, EUSERS when none is left.
    registerSample(core, 'mdpy', { ...common, max_instances: MDPY_MAX_DEVICES, probe: (mdev) => register(mdev, () => undefined) },
      MDPY_TYPES, MDEV_CLASS_ID_VFIO);
    return;
  }
  const pool = new Pool(MDPY_MAX_DEVICES);
  registerSample(core, 'mdpy', {
    ...common,
    get_available: () => pool.free,
    probe: (mdev) => {
      pool.take(mdev, 1, 'ENOMEM');
      register(mdev, () => pool.giveBack(mdev));
    },
  }, MDPY_TYPES, MDEV_CLASS_ID_VFIO);
}

const MBOCHS_TYPES: (MdevTypeSpec & { mbytes: number })[] = [
  { sysfs_name: 'small', pretty_name: 'mbochs-small', mbytes: 4 },
  { sysfs_name: 'medium', pretty_name: 'mbochs-medium', mbytes: 16 },
  { sysfs_name: 'large', pretty_name: 'mbochs-large', mbytes: 64 },
];
const MBOCHS_MAX_MBYTES = 256;

function mbochs(core: MdevCore): void {
  const mbytes = (type: MdevType) => (type.spec as (typeof MBOCHS_TYPES)[number]).mbytes;
  const budget = new Pool(MBOCHS_MAX_MBYTES);
  registerSample(core, 'mbochs', {
    name: 'mbochs',
    device_api: 'vfio-pci',
    get_available: (type) => Math.floor(budget.free / mbytes(type)),
    show_description: (type) => `virtual display, ${mbytes(type)} MB video memory\n`,
    dev_groups: { vendor: { memory: (mdev) => `${mbytes(mdev.type)} MB\n` } },
    probe: (mdev) => {
      budget.take(mdev, mbytes(mdev.type), 'ENOSPC');
      core.vfio.register(mdev, new DisplayDevice(0x1234, 0x1111, mbytes(mdev.type) << 20), () => budget.giveBack(mdev));
    },
    remove: (mdev, done) => core.vfio.unregister(mdev, done),
  }, MBOCHS_TYPES, MDEV_CLASS_ID_VFIO);
}

// The 2019 proposal's rendering: a virtio-class parent (bound by virtio_mdev,
// no VFIO device) and a parent whose create callback assigns no class.
function proposalParents(core: MdevCore): void {
  const plain = (name: string, device_api: string): MdevDriver => ({
    name,
    device_api,
    get_available: () => 8,
    probe: () => undefined,
    remove: (_mdev, done) => done(),
  });
  registerSample(core, 'mvnet', plain('mvnet', 'virtio-mdev'), [{ sysfs_name: 'loopback', pretty_name: 'virtio-net loopback' }],
    MDEV_CLASS_ID_VIRTIO);
  registerSample(core, 'noclass', plain('noclass', 'vfio-pci'), [{ sysfs_name: 'unclassed' }], undefined);
}

export function loadSampleModules(core: MdevCore): void {
  mtty(core);
  mdpy(core);
  mbochs(core);
  if (core.classIds) proposalParents(core);
}
