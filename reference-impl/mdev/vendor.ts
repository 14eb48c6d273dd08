// Two vendor mdev parents with names of their own, standing for the parents
// real vendor drivers register (a GPU's vGPU types, an accelerator's
// slices), for the conforming variant "vendor-mdev": the driver-neutral mdev
// scenarios must run on them exactly as on the samples. Each makes choices
// that the samples do not:
//   acme-gpu0  class acme_gpu, driver acme_vgpu: two types sharing a parent
//              counter of 2 kept by the core (EUSERS when empty), a
//              description, and a vendor attribute on each mdev;
//   nvx0       class nvx, driver nvx_vfio: types needing 1 and 3 of the
//              parent's 5 units, counted by the driver (ENOSPC in probe),
//              no description.
import type { MdevCore } from './mdev_core';
import { MDEV_CLASS_ID_VFIO, MdevDevice, MdevType, MdevTypeSpec } from './mdev';
import { DisplayDevice, Pool, registerParentModule } from './samples';

const ACME_TYPES: MdevTypeSpec[] = [
  { sysfs_name: 'A1', pretty_name: 'ACME vGPU A1' },
  { sysfs_name: 'A2', pretty_name: 'ACME vGPU A2' },
];

const NVX_TYPES: (MdevTypeSpec & { units: number })[] = [
  { sysfs_name: 'small', pretty_name: 'nvx small slice', units: 1 },
  { sysfs_name: 'large', pretty_name: 'nvx large slice', units: 3 },
];
const NVX_UNITS = 5;

export function loadVendorModules(core: MdevCore): void {
  registerParentModule(core, { module: 'acme_vgpu', className: 'acme_gpu', name: 'acme-gpu0' }, {
    name: 'acme_vgpu',
    device_api: 'vfio-pci',
    max_instances: 2,
    show_description: (type: MdevType) => `ACME virtual GPU, profile ${type.spec.sysfs_name}\n`,
    dev_groups: { acme: { vgpu_id: (mdev: MdevDevice) => `${mdev.uuid.slice(0, 8)}\n` } },
    probe: (mdev) => core.vfio.register(mdev, new DisplayDevice(0x1af4, 0x10f1, 1 << 20), () => undefined),
    remove: (mdev, done) => core.vfio.unregister(mdev, done),
  }, ACME_TYPES, MDEV_CLASS_ID_VFIO);

  const units = (type: MdevType) => (type.spec as (typeof NVX_TYPES)[number]).units;
  const pool = new Pool(NVX_UNITS);
  registerParentModule(core, { module: 'nvx_vfio', className: 'nvx', name: 'nvx0' }, {
    name: 'nvx_vfio',
    device_api: 'vfio-pci',
    get_available: (type) => Math.floor(pool.free / units(type)),
    probe: (mdev) => {
      pool.take(mdev, units(mdev.type), 'ENOSPC');
      core.vfio.register(mdev, new DisplayDevice(0x1af4, 0x10f2, 1 << 16), () => pool.giveBack(mdev));
    },
    remove: (mdev, done) => core.vfio.unregister(mdev, done),
  }, NVX_TYPES, MDEV_CLASS_ID_VFIO);
}
