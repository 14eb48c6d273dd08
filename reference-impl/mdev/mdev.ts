// The objects of the mdev core, named as include/linux/mdev.h names them: a
// parent (a device whose driver offers mediated devices), its fixed types,
// the mdev_driver that binds every mdev of the parent, and the mdevs.
import type { MdevVfioRegistration } from './emulated_iommu';

// The device a parent registers with: its sysfs directory and what
// dev_driver_string() would pick its name from.
export interface ParentDevice {
  readonly name: string; // dev_name(), also the /sys/class/mdev_bus link name
  readonly dir: string; // its directory under /sys/devices
  readonly driver?: string;
  readonly bus?: string;
  readonly className?: string;
}

// dev_driver_string(): the bound driver's name, else the bus name, else the
// class name; the prefix of every type directory.
export function dev_driver_string(dev: ParentDevice): string {
  return dev.driver ?? dev.bus ?? dev.className ?? '';
}

export interface MdevTypeSpec {
  readonly sysfs_name: string;
  readonly pretty_name?: string;
}

export interface MdevDriver {
  readonly name: string;
  readonly device_api: string;
  // Only for drivers without get_available: the parent-wide counter's start.
  readonly max_instances?: number;
  readonly get_available?: (type: MdevType) => number;
  readonly show_description?: (type: MdevType) => string;
  // Vendor attribute groups added to a bound mdev (dev_groups): group -> file -> content.
  readonly dev_groups?: Record<string, Record<string, (mdev: MdevDevice) => string>>;
  probe(mdev: MdevDevice): void;
  // Calls done once the driver has let go of the mdev (possibly much later).
  remove(mdev: MdevDevice, done: () => void): void;
}

// A loaded module: what pins it and what its exit does.
export class Module {
  refcnt = 0;
  exit: (done: () => void) => void = (done) => done();
  constructor(readonly name: string) {}
}

export class MdevType {
  constructor(
    readonly spec: MdevTypeSpec,
    readonly parent: MdevParent,
    readonly id: string, // <prefix>-<sysfs_name>
    readonly dir: string,
  ) {}
}

export class MdevParent {
  available_instances = 0; // used only when the driver has no get_available
  unregistering = false; // unreg_sem taken for writing
  readonly types: MdevType[] = [];
  constructor(
    readonly dev: ParentDevice,
    readonly mdev_driver: MdevDriver,
    readonly module: Module,
    // The 2019 class-id proposal: the class the vendor's create callback assigns (none = forgot to).
    readonly classId?: number,
  ) {}
}

export class MdevDevice {
  active = false;
  registered = false; // between device_add and device_del
  driverName: string | null = null; // the mdev bus driver bound to it
  classId: number | undefined;
  vfio: MdevVfioRegistration | undefined;
  capacityReturned = false;
  constructor(
    readonly uuid: string, // the device name: the UUID in lower case
    readonly written: string, // the 36 characters as written to create
    readonly type: MdevType,
  ) {}

  get parent(): MdevParent {
    return this.type.parent;
  }

  get dir(): string {
    return `${this.parent.dev.dir}/${this.uuid}`;
  }

  get busPath(): string {
    return `${MDEV_BUS}/devices/${this.uuid}`;
  }
}

export const MDEV_BUS = '/sys/bus/mdev';

// Class ids of the 2019 proposal (never mainline).
export const MDEV_CLASS_ID_VFIO = 1;
export const MDEV_CLASS_ID_VIRTIO = 2;
