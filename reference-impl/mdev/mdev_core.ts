// The mdev core as Linux 6.12 has it (drivers/vfio/mdev/mdev_core.c,
// mdev_sysfs.c, mdev_driver.c) together with the driver-core behaviour user
// space sees around it: parent registration and unregistration, the type
// directories, create and remove with their exact parsing and ordering, the
// two ways of counting instances, the mdev bus with its bind/unbind files,
// and the modules that own parents. Every step that can fail or wait does so
// at the place the kernel does, so errnos and blocking come out in its order.
import { fail } from '../kernel/errno';
import type { Machine } from '../machine';
import type { DeclaredMdevParent } from '../../support/contract/protocol';
import { atLeast } from '../../support/kernel/releases';
import type { CoreConfig } from '../vfio/vfio_main';
import { EmulatedIommu } from './emulated_iommu';
import { Completion, StoreResult, Sysfs } from './kernfs';
import {
  dev_driver_string, MDEV_BUS, MDEV_CLASS_ID_VFIO, MdevDevice, MdevDriver, MdevParent, MdevType, MdevTypeSpec, Module,
  ParentDevice,
} from './mdev';
import { guid_parse, kstrtoul, UUID_STRING_LEN } from './parse';
import { PendingCalls } from './pending';
import { loadSampleModules } from './samples';
import { variantById } from '../variants';

const MDEV_BUS_CLASS = '/sys/class/mdev_bus';
export const PROPOSAL_CLASS_ID = 'mdev-class-id';

// Run tasks that each call their done callback (now or later); then `done`.
function all(tasks: ((done: () => void) => void)[], done: () => void): void {
  let left = tasks.length;
  if (left === 0) return done();
  for (const task of tasks) task(() => { if (--left === 0) done(); });
}

const text = (buf: Uint8Array) => Buffer.from(buf).toString('latin1');

// sysfs_streq(): equal, ignoring one trailing newline on either side; the
// written name ends at its first NUL like any C string.
function sysfs_streq(name: string, buf: Uint8Array): boolean {
  const nul = buf.indexOf(0);
  let s = text(nul < 0 ? buf : buf.subarray(0, nul));
  if (s.endsWith('\n')) s = s.slice(0, -1);
  return s === name;
}

export class MdevCore {
  readonly sysfs = new Sysfs();
  readonly pending = new PendingCalls();
  readonly vfio: EmulatedIommu;
  readonly classIds: boolean; // imitate the 2019 class-id proposal instead of mainline
  private readonly mdev_list: MdevDevice[] = [];
  private readonly parents: MdevParent[] = [];
  private readonly modules = new Map<string, Module>();

  constructor(private readonly machine: Machine, vfioCore: CoreConfig) {
    this.classIds = (machine.options.proposal ?? '').split(',').includes(PROPOSAL_CLASS_ID);
    this.vfio = new EmulatedIommu(this.sysfs, machine.vfioDevices, vfioCore, machine.mutations);
    machine.roles.add('mdev');
    this.busRegister();
    (variantById(machine.options.variant)?.mdevParents ?? loadSampleModules)(this);
  }

  get mutations() {
    return this.machine.mutations;
  }

  kernelAtLeast(major: number, minor: number): boolean {
    return atLeast(this.machine.options.kernel, `${major}.${minor}`);
  }

  // --- the mdev bus --------------------------------------------------------------------
  private busRegister(): void {
    this.sysfs.mkdir(`${MDEV_BUS}/devices`);
    this.sysfs.mkdir(`${MDEV_BUS}/drivers`);
    this.sysfs.file(`${MDEV_BUS}/drivers_autoprobe`, { mode: 0o644, show: () => '1\n', store: (buf) => buf.length });
    this.sysfs.file(`${MDEV_BUS}/drivers_probe`, { mode: 0o200, store: (buf) => this.drivers_probe(buf) });
    this.sysfs.file(`${MDEV_BUS}/uevent`, { mode: 0o200, store: (buf) => buf.length });
    if (this.classIds) {
      // In the proposal the generic bus drivers bind by class id.
      this.busAddDriver('vfio_mdev');
      this.busAddDriver('virtio_mdev');
    }
  }

  // bus_find_device_by_name(): only devices currently on the bus.
  private findOnBus(buf: Uint8Array): MdevDevice | undefined {
    return this.mdev_list.find((d) => d.registered && sysfs_streq(d.uuid, buf));
  }

  // The bus's match(): mainline matches nothing, so only create binds (v5.14+).
  // Under the class-id proposal a driver matches the class in its id table.
  private match(driverName: string, mdev: MdevDevice): boolean {
    if (this.classIds) return this.classDriver(mdev) === driverName;
    return this.mutations.on('mdev-bus-matches') && driverName === mdev.parent.mdev_driver.name;
  }

  private classDriver(mdev: MdevDevice): string {
    return mdev.classId === MDEV_CLASS_ID_VFIO ? 'vfio_mdev' : 'virtio_mdev';
  }

  private busAddDriver(name: string): void {
    const dir = `${MDEV_BUS}/drivers/${name}`;
    this.sysfs.file(`${dir}/bind`, { mode: 0o200, store: (buf) => this.bind_store(name, buf) });
    this.sysfs.file(`${dir}/unbind`, { mode: 0o200, store: (buf) => this.unbind_store(name, buf) });
    this.sysfs.file(`${dir}/uevent`, { mode: 0o200, store: (buf) => buf.length });
  }

  private bind_store(driverName: string, buf: Uint8Array): number {
    const mdev = this.findOnBus(buf);
    if (!mdev || mdev.driverName || !this.match(driverName, mdev)) fail('ENODEV', 'no such device, or the bus does not match it');
    this.attach(mdev);
    return buf.length;
  }

  private unbind_store(driverName: string, buf: Uint8Array): StoreResult {
    const mdev = this.findOnBus(buf);
    if (!mdev || mdev.driverName !== driverName) fail('ENODEV', 'not bound to this driver');
    return Completion.run((finish) => this.release_driver(mdev, () => finish(buf.length)));
  }

  private drivers_probe(buf: Uint8Array): number {
    const mdev = this.findOnBus(buf);
    if (!mdev) fail('ENODEV');
    if (!mdev.driverName) {
      const name = this.classIds ? this.classDriver(mdev) : mdev.parent.mdev_driver.name;
      if (this.match(name, mdev)) this.attach(mdev);
    }
    return buf.length;
  }

  // mdev_register_driver(): a driver must say which device API it offers.
  registerDriver(driver: MdevDriver): void {
    if (!driver.device_api) fail('EINVAL', 'an mdev driver needs a device_api');
    if (!this.classIds) this.busAddDriver(driver.name);
  }

  unregisterDriver(driver: MdevDriver): void {
    if (!this.classIds) this.sysfs.remove(`${MDEV_BUS}/drivers/${driver.name}`);
  }

  // --- modules --------------------------------------------------------------------------
  loadModule(name: string, init: (module: Module) => void): void {
    const module = new Module(name);
    init(module);
    this.modules.set(name, module);
  }

  // delete_module(2): refused while anything holds the module (an open VFIO
  // device of one of its mdevs does); otherwise its exit runs.
  delete_module(name: string): StoreResult {
    const module = this.modules.get(name);
    if (!module) fail('ENOENT', `no module ${name} is loaded`);
    if (module.refcnt > 0) fail('EAGAIN', `module ${name} is in use`);
    this.modules.delete(name);
    return Completion.run((finish) => module.exit(() => finish(0)));
  }

  // A class device such as the samples create for themselves: /sys/devices/virtual/<class>/<name>.
  classDevice(className: string, name: string): ParentDevice {
    const dir = `/sys/devices/virtual/${className}/${name}`;
    this.sysfs.mkdir(dir);
    this.sysfs.file(`${dir}/uevent`, { mode: 0o644, show: () => '', store: (buf) => buf.length });
    this.sysfs.link(`${dir}/subsystem`, `/sys/class/${className}`);
    this.sysfs.link(`/sys/class/${className}/${name}`, dir);
    return { name, dir, className };
  }

  removeClassDevice(dev: ParentDevice): void {
    this.sysfs.remove(`/sys/class/${dev.className}`);
    this.sysfs.remove(`/sys/devices/virtual/${dev.className}`);
  }

  // --- parents and types -------------------------------------------------------------------
  // mdev_register_parent(): the types are fixed from here to unregistration.
  registerParent(dev: ParentDevice, driver: MdevDriver, specs: MdevTypeSpec[], module: Module, classId?: number): MdevParent {
    const parent = new MdevParent(dev, driver, module, classId);
    if (!driver.get_available) parent.available_instances = driver.max_instances ?? 0;
    this.sysfs.mkdir(MDEV_BUS_CLASS); // the compat class appears with the first parent
    const kset = `${dev.dir}/mdev_supported_types`;
    this.sysfs.mkdir(kset);
    for (const spec of specs) {
      const id = `${dev_driver_string(dev)}-${spec.sysfs_name}`;
      const type = new MdevType(spec, parent, id, `${kset}/${id}`);
      parent.types.push(type);
      this.addTypeFiles(type);
    }
    this.sysfs.link(`${MDEV_BUS_CLASS}/${dev.name}`, dev.dir);
    this.parents.push(parent);
    return parent;
  }

  private addTypeFiles(type: MdevType): void {
    const driver = type.parent.mdev_driver;
    const { dir } = type;
    this.sysfs.mkdir(`${dir}/devices`);
    this.sysfs.file(`${dir}/create`, { mode: 0o200, store: (buf) => this.create_store(type, buf) });
    this.sysfs.file(`${dir}/device_api`, { mode: 0o444, show: () => `${driver.device_api}\n` });
    this.sysfs.file(`${dir}/name`, { mode: 0o444, show: () => `${type.spec.pretty_name ?? type.spec.sysfs_name}\n` });
    this.sysfs.file(`${dir}/available_instances`, { mode: 0o444, show: () => `${this.availableInstances(type)}\n` });
    const describe = driver.show_description;
    if (describe) this.sysfs.file(`${dir}/description`, { mode: 0o444, show: () => describe(type) });
    else if (this.mutations.on('mdev-description-always')) {
      this.sysfs.file(`${dir}/description`, { mode: 0o444, show: () => `${type.id}\n` });
    }
  }

  // What the implementation declares of its parents at the start exchange.
  declaredParents(): DeclaredMdevParent[] {
    return this.parents.map((parent) => {
      const counted = !parent.mdev_driver.get_available;
      return {
        name: parent.dev.name,
        driver: this.classIds ? (parent.classId === MDEV_CLASS_ID_VFIO || parent.classId === undefined ? 'vfio_mdev' : 'virtio_mdev') : parent.mdev_driver.name,
        module: parent.module.name,
        types: parent.types.map((type) => (counted
          ? { id: type.id, count: 'core' as const, max_instances: parent.mdev_driver.max_instances ?? 0 }
          : { id: type.id, count: 'driver' as const })),
      };
    });
  }

  availableInstances(type: MdevType): number {
    const driver = type.parent.mdev_driver;
    return driver.get_available ? driver.get_available(type) : type.parent.available_instances;
  }

  // mdev_unregister_parent(): new creates and removes now fail; every child is
  // removed without asking anyone, then the types go. Calls done at the end.
  unregisterParent(parent: MdevParent, done: () => void): void {
    parent.unregistering = true;
    this.sysfs.remove(`${MDEV_BUS_CLASS}/${parent.dev.name}`);
    const children = this.mutations.on('mdev-children-survive-unregistration')
      ? []
      : this.mdev_list.filter((d) => d.parent === parent && d.registered);
    all(children.map((mdev) => (next: () => void) => this.remove_common(mdev, next)), () => {
      for (const type of parent.types) this.sysfs.remove(type.dir);
      this.sysfs.remove(`${parent.dev.dir}/mdev_supported_types`);
      this.parents.splice(this.parents.indexOf(parent), 1);
      done();
    });
  }

  // --- create -------------------------------------------------------------------------------
  private create_store(type: MdevType, buf: Uint8Array): number {
    let uuidBytes = buf;
    if (this.mutations.on('mdev-create-accepts-braces') && buf[0] === 0x7b && buf[UUID_STRING_LEN + 1] === 0x7d) {
      uuidBytes = buf.subarray(1, UUID_STRING_LEN + 1);
    } else if (buf.length < UUID_STRING_LEN || buf.length > UUID_STRING_LEN + 1) {
      fail('EINVAL', 'a UUID is 36 bytes, optionally followed by one more');
    }
    if (this.mutations.on('mdev-37th-byte-checked') && buf.length === UUID_STRING_LEN + 1 && buf[UUID_STRING_LEN] !== 0x0a) {
      fail('EINVAL', 'the byte after the UUID is not a newline');
    }
    const uuid = guid_parse(uuidBytes, this.mutations);
    if (uuid === null) fail('EINVAL', 'not a UUID');
    this.mdev_device_create(type, uuid, text(uuidBytes.subarray(0, UUID_STRING_LEN)));
    return buf.length;
  }

  private isDuplicate(type: MdevType, uuid: string, written: string): boolean {
    return this.mdev_list.some((d) => {
      if (this.mutations.on('mdev-duplicate-per-parent') && d.parent !== type.parent) return false;
      return this.mutations.on('mdev-duplicate-case-sensitive') ? d.written === written : d.uuid === uuid;
    });
  }

  // mdev_device_create(): duplicate check, then the parent counter, then the
  // device goes on the bus and the parent's driver is attached (its probe may
  // refuse), then the type links; any failure puts the device again.
  private mdev_device_create(type: MdevType, uuid: string, written: string): void {
    const parent = type.parent;
    const counted = !parent.mdev_driver.get_available;
    const duplicateFirst = !this.mutations.on('mdev-duplicate-after-capacity');
    if (duplicateFirst && this.isDuplicate(type, uuid, written)) {
      if (counted && this.mutations.on('mdev-refused-create-takes-instance')) parent.available_instances--;
      fail('EEXIST', 'UUID already in use');
    }
    const lastRefused = this.mutations.on('mdev-core-count-last-refused');
    if (counted && parent.available_instances <= (lastRefused ? 1 : 0)) {
      fail(this.mutations.on('mdev-core-count-enospc') ? 'ENOSPC' : 'EUSERS', 'no instance left on this parent');
    }
    if (!duplicateFirst && this.isDuplicate(type, uuid, written)) fail('EEXIST', 'UUID already in use');
    if (counted) parent.available_instances--;

    const mdev = new MdevDevice(uuid, written, type);
    this.mdev_list.push(mdev);
    try {
      if (this.classIds) {
        // The proposal: the vendor's create callback must have set a class.
        if (!parent.classId) fail('EINVAL', 'the vendor driver assigned no device class');
        mdev.classId = parent.classId;
      }
      if (parent.unregistering) fail('ENODEV', 'parent unregistration has started');
      this.device_add(mdev);
      try {
        this.attach(mdev);
      } catch (error) {
        this.device_del(mdev, () => undefined);
        throw error;
      }
      this.sysfs.link(`${type.dir}/devices/${uuid}`, mdev.dir);
      this.sysfs.link(`${mdev.dir}/mdev_type`, type.dir);
      mdev.active = true;
    } catch (error) {
      this.put_device(mdev);
      throw error;
    }
  }

  private device_add(mdev: MdevDevice): void {
    const { dir } = mdev;
    this.sysfs.mkdir(dir);
    this.sysfs.file(`${dir}/remove`, { mode: 0o200, store: (buf) => this.remove_store(mdev, buf) });
    this.sysfs.file(`${dir}/uevent`, { mode: 0o644, show: () => this.uevent(mdev), store: (buf) => buf.length });
    this.sysfs.link(`${dir}/subsystem`, MDEV_BUS);
    this.sysfs.link(mdev.busPath, dir);
    mdev.registered = true;
  }

  // What the device's uevent file shows: DRIVER= once bound; mainline adds no
  // MODALIAS, the class-id proposal added mdev:c<class>.
  private uevent(mdev: MdevDevice): string {
    const lines: string[] = [];
    if (mdev.driverName) lines.push(`DRIVER=${mdev.driverName}`);
    if (this.classIds && mdev.classId !== undefined) {
      lines.push(`MODALIAS=mdev:c${mdev.classId.toString(16).toUpperCase().padStart(2, '0')}`);
    }
    if (this.mutations.on('mdev-modalias-in-uevent')) lines.push(`MODALIAS=mdev:${mdev.type.id}`);
    return lines.map((line) => `${line}\n`).join('');
  }

  // device_driver_attach(): the driver's probe decides; its errno is returned as is.
  private attach(mdev: MdevDevice): void {
    const name = this.classIds ? this.classDriver(mdev) : mdev.parent.mdev_driver.name;
    mdev.parent.mdev_driver.probe(mdev);
    mdev.driverName = name;
    this.sysfs.link(`${mdev.dir}/driver`, `${MDEV_BUS}/drivers/${name}`);
    this.sysfs.link(`${MDEV_BUS}/drivers/${name}/${mdev.uuid}`, mdev.dir);
    for (const [group, attrs] of Object.entries(mdev.parent.mdev_driver.dev_groups ?? {})) {
      for (const [file, show] of Object.entries(attrs)) {
        this.sysfs.file(`${mdev.dir}/${group}/${file}`, { mode: 0o444, show: () => show(mdev) });
      }
    }
  }

  // __device_release_driver(): the driver links and vendor files go first,
  // then the driver's remove, which may wait for the VFIO device's users.
  private release_driver(mdev: MdevDevice, done: () => void): void {
    const name = mdev.driverName;
    if (!name) return done();
    this.sysfs.remove(`${mdev.dir}/driver`);
    this.sysfs.remove(`${MDEV_BUS}/drivers/${name}/${mdev.uuid}`);
    if (!this.mutations.on('mdev-driver-attrs-kept-at-unbind')) {
      for (const group of Object.keys(mdev.parent.mdev_driver.dev_groups ?? {})) this.sysfs.remove(`${mdev.dir}/${group}`);
    }
    // The type's devices/ link is the mdev core's, not the driver's: it stays until removal.
    if (this.mutations.on('mdev-type-link-dropped-at-unbind') && mdev.active) this.sysfs.remove(`${mdev.type.dir}/devices/${mdev.uuid}`);
    mdev.driverName = null;
    mdev.parent.mdev_driver.remove(mdev, done);
  }

  // device_del(): the uevent file and the bus links go before the driver is
  // unbound; the directory itself only after the driver has let go.
  private device_del(mdev: MdevDevice, done: () => void): void {
    mdev.registered = false;
    const keepBusLink = this.mutations.on('mdev-bus-link-kept-while-blocked');
    this.sysfs.remove(`${mdev.dir}/uevent`);
    this.sysfs.remove(`${mdev.dir}/remove`);
    if (!keepBusLink) this.sysfs.remove(mdev.busPath);
    this.sysfs.remove(`${mdev.dir}/subsystem`);
    this.release_driver(mdev, () => {
      if (keepBusLink) this.sysfs.remove(mdev.busPath);
      this.sysfs.remove(mdev.dir);
      done();
    });
  }

  // The final put: the UUID leaves the list and a core-counted instance comes back.
  private put_device(mdev: MdevDevice): void {
    const at = this.mdev_list.indexOf(mdev);
    if (at >= 0) this.mdev_list.splice(at, 1);
    this.giveBackInstance(mdev);
  }

  private giveBackInstance(mdev: MdevDevice): void {
    if (mdev.capacityReturned || mdev.parent.mdev_driver.get_available) return;
    mdev.capacityReturned = true;
    mdev.parent.available_instances++;
  }

  // --- remove --------------------------------------------------------------------------------
  private remove_store(mdev: MdevDevice, buf: Uint8Array): StoreResult {
    const parsed = kstrtoul(this.mutations.on('mdev-remove-trailing-whitespace') ? trimEnd(buf) : buf);
    if (parsed === null) fail('EINVAL', 'not an unsigned number');
    if (this.mutations.on('mdev-remove-only-one') && parsed !== 1n) fail('EINVAL', 'only 1 removes');
    if (parsed === 0n && !this.mutations.on('mdev-remove-zero-removes')) return buf.length;
    if (this.mutations.on('mdev-remove-open-fails') && (mdev.vfio?.device.users ?? 0) > 0) fail('EBUSY', 'device in use');
    // device_remove_file_self(): the remove file deletes itself, its writer goes on.
    this.sysfs.remove(`${mdev.dir}/remove`);
    return Completion.run((finish) => this.mdev_device_remove(mdev, () => finish(buf.length)));
  }

  private mdev_device_remove(mdev: MdevDevice, done: () => void): void {
    if (!this.mdev_list.includes(mdev)) fail('ENODEV');
    if (!mdev.active) fail('EAGAIN', 'creation has not completed');
    mdev.active = false;
    if (mdev.parent.unregistering) fail('ENODEV', 'parent unregistration has started');
    if (this.mutations.on('mdev-uuid-freed-while-blocked')) this.mdev_list.splice(this.mdev_list.indexOf(mdev), 1);
    if (this.mutations.on('mdev-core-capacity-before-release')) this.giveBackInstance(mdev);
    this.remove_common(mdev, done);
  }

  private remove_common(mdev: MdevDevice, done: () => void): void {
    this.sysfs.remove(`${mdev.dir}/mdev_type`);
    this.sysfs.remove(`${mdev.type.dir}/devices/${mdev.uuid}`);
    this.device_del(mdev, () => {
      if (this.mutations.on('mdev-uuid-kept-after-remove')) this.giveBackInstance(mdev);
      else this.put_device(mdev);
      done();
    });
  }

  // --- boot-time devices ------------------------------------------------------------------------
  // Create an mdev as user space would, for devices a host has before a run starts.
  create(typeId: string, uuid: string): void {
    const type = this.parents.flatMap((p) => p.types).find((t) => t.id === typeId);
    if (!type) throw new Error(`no mdev type ${typeId}`);
    this.create_store(type, new Uint8Array(Buffer.from(uuid, 'latin1')));
  }
}

function trimEnd(buf: Uint8Array): Uint8Array {
  let end = buf.length;
  while (end > 0 && (buf[end - 1] === 0x20 || buf[end - 1] === 0x0a)) end--;
  return buf.subarray(0, end);
}
