// How an mdev becomes a VFIO device: vfio_register_emulated_iommu_dev() puts
// it alone in a fresh IOMMU group named vfio-noiommu (with a /dev/vfio/<N>
// node, no "noiommu-" prefix) and adds the device cdev; the VFIO device is
// then reachable at /sys/bus/mdev/devices/<uuid>. vfio_unregister_group_dev()
// stops new opens at once, then waits for the last user before the group goes
// and the driver's release runs.
import { FileOps } from '../kernel/file';
import { Mutations } from '../kernel/mutations';
import { Process } from '../kernel/process';
import { CoreConfig, OpenVia, VfioDevice, VfioDriver } from '../vfio/vfio_main';
import type { Sysfs } from './kernfs';
import type { MdevDevice, Module } from './mdev';

const IOMMU_GROUPS = '/sys/kernel/iommu_groups';
const VFIO_DEV_MAJOR = 253;

// A VFIO device that knows when its last user leaves, and pins the module
// owning its driver while it is open (vfio_df_device_first_open takes a module
// reference, the last close drops it).
export class MdevVfioDevice extends VfioDevice {
  users = 0;
  onIdle: (() => void) | undefined;

  // module: the owner of the mdev driver, or null when opens do not pin it.
  private readonly flagOnly: boolean;

  constructor(path: string, driver: VfioDriver, config: CoreConfig, mutations: Mutations, private readonly module: Module | null) {
    super(path, driver, config, mutations);
    this.flagOnly = mutations.on('mdev-module-pin-not-counted');
  }

  // Every open fd holds the registration (a removal waits for all of them);
  // the module is pinned from the first open of the device to its last close
  // (for a cdev fd: from its BIND). The mutant holds it with a flag, not a count.
  override open(process: Process, via: OpenVia = 'group', bound = true): FileOps {
    const file = super.open(process, via, bound);
    this.users++;
    let closed = false;
    return {
      ...file,
      release: () => {
        file.release?.();
        if (closed) return;
        closed = true;
        if (--this.users > 0) return;
        const idle = this.onIdle;
        this.onIdle = undefined;
        idle?.();
      },
    };
  }

  protected override firstOpened(): void {
    if (this.module) this.module.refcnt = this.flagOnly ? 1 : this.module.refcnt + 1;
  }

  protected override lastClosed(): void {
    if (this.module) this.module.refcnt = this.flagOnly ? 0 : this.module.refcnt - 1;
  }
}

export interface MdevVfioRegistration {
  device: MdevVfioDevice;
  group: number;
  index: number;
  release: () => void; // the driver's release callback (vfio_device_ops.release)
}

function lowestFree(used: Set<number>): number {
  let n = 0;
  while (used.has(n)) n++;
  used.add(n);
  return n;
}

export class EmulatedIommu {
  private readonly groups = new Set<number>();
  private readonly indexes = new Set<number>();

  constructor(
    private readonly sysfs: Sysfs,
    private readonly vfioDevices: Map<string, VfioDevice>,
    private readonly config: CoreConfig,
    private readonly mutations: Mutations,
  ) {
    sysfs.mkdir(IOMMU_GROUPS);
    sysfs.mkdir('/sys/class/vfio-dev');
    sysfs.chardev('/dev/vfio/vfio', 0o666);
  }

  register(mdev: MdevDevice, driver: VfioDriver, release: () => void): void {
    const group = this.mutations.on('mdev-group-shared') && this.groups.size > 0 ? 0 : lowestFree(this.groups);
    const index = lowestFree(this.indexes);
    const groupDir = `${IOMMU_GROUPS}/${group}`;
    this.sysfs.mkdir(`${groupDir}/devices`);
    this.sysfs.link(`${groupDir}/devices/${mdev.uuid}`, mdev.dir);
    this.sysfs.file(`${groupDir}/name`, { mode: 0o444, show: () => 'vfio-noiommu\n' });
    this.sysfs.file(`${groupDir}/reserved_regions`, { mode: 0o444, show: () => '' });
    this.sysfs.link(`${mdev.dir}/iommu_group`, groupDir);
    this.sysfs.chardev(`/dev/vfio/${group}`, 0o600);

    const cdevDir = `${mdev.dir}/vfio-dev/vfio${index}`;
    // The cdev's minor is the device index the name carries.
    const minor = this.mutations.on('mdev-vfio-dev-minor-not-index') ? index + 1 : index;
    this.sysfs.mkdir(cdevDir);
    this.sysfs.file(`${cdevDir}/dev`, { mode: 0o444, show: () => `${VFIO_DEV_MAJOR}:${minor}\n` });
    this.sysfs.link(`${cdevDir}/device`, mdev.dir);
    this.sysfs.link(`${cdevDir}/subsystem`, '/sys/class/vfio-dev');
    this.sysfs.file(`${cdevDir}/uevent`, {
      mode: 0o644,
      show: () => `MAJOR=${VFIO_DEV_MAJOR}\nMINOR=${minor}\nDEVNAME=vfio/devices/vfio${index}\n`,
    });
    this.sysfs.link(`/sys/class/vfio-dev/vfio${index}`, cdevDir);
    this.sysfs.chardev(`/dev/vfio/devices/vfio${index}`, 0o600);

    const pinned = this.mutations.on('mdev-module-unload-while-open') ? null : mdev.parent.module;
    const device = new MdevVfioDevice(mdev.busPath, driver, this.config, this.mutations, pinned);
    this.vfioDevices.set(mdev.busPath, device);
    mdev.vfio = { device, group, index, release };
  }

  // Calls done after the last user has closed the device and the driver has
  // released it; until then the caller (a sysfs write) stays blocked.
  unregister(mdev: MdevDevice, done: () => void): void {
    const reg = mdev.vfio;
    if (!reg) {
      done();
      return;
    }
    // No new opens from here on: the device leaves the lookup and its cdev goes.
    this.vfioDevices.delete(mdev.busPath);
    const dropNode = () => {
      this.sysfs.remove(`${mdev.dir}/vfio-dev`);
      this.sysfs.remove(`/sys/class/vfio-dev/vfio${reg.index}`);
      this.sysfs.remove(`/dev/vfio/devices/vfio${reg.index}`);
      this.indexes.delete(reg.index);
    };
    const nodeAtEnd = this.mutations.on('mdev-vfio-dev-kept-while-blocked');
    if (!nodeAtEnd) dropNode();
    const finish = () => {
      if (nodeAtEnd) dropNode();
      if (!this.mutations.on('mdev-group-kept-after-remove')) {
        this.sysfs.remove(`${mdev.dir}/iommu_group`);
        if (!this.mutations.on('mdev-group-shared')) {
          this.sysfs.remove(`${IOMMU_GROUPS}/${reg.group}`);
          this.sysfs.remove(`/dev/vfio/${reg.group}`);
          this.groups.delete(reg.group);
        }
      }
      mdev.vfio = undefined;
      reg.release();
      done();
    };
    if (reg.device.users === 0) finish();
    else reg.device.onIdle = finish;
  }
}
