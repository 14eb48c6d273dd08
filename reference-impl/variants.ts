// Conforming variants of the reference: each makes the choices the uAPI
// leaves open the way one real driver does, read from its source. `npm test`
// runs the driver-neutral scenarios of the variant's area against each one
// and fails on any failure: a scenario that fails a legal implementation is a
// defect of the suite. The variant's own profile scenarios run too.
import type { Area } from './mutants';
import { MIG_FLAG } from '../support/uapi/vfio';
import { RefmigDevice } from './vfio/refmig';
import { Mlx5LikeDevice, PdsLikeDevice } from './vfio/variant_drivers';
import type { Mutations } from './kernel/mutations';
import type { MdevCore } from './mdev/mdev_core';
import { loadVendorModules } from './mdev/vendor';

export interface Variant {
  id: string;
  area: Area;
  driver: string; // the driver its devices or parents declare, whose @profile scenarios then apply
  description: string;
  source: string;
  migration?: { device: new (flags: number, mutations: Mutations) => RefmigDevice; flagSets: number[] };
  mdevParents?: (core: MdevCore) => void; // loads these parents instead of the samples
  extraSriovOpcodes?: bigint; // admin commands the owners offer beyond the legacy ones
  kernel?: string; // the kernel release the reference imitates under this variant
}

const { STOP_COPY, P2P, PRE_COPY } = MIG_FLAG;

export const VARIANTS: Variant[] = [
  {
    id: 'mlx5',
    area: 'vfio-migration',
    driver: 'mlx5_vfio_pci',
    description: 'resume data loaded during write(); RESUMING to STOP always succeeds; MIG_DATA_SIZE an estimate above the stream length',
    source: 'drivers/vfio/pci/mlx5/main.c, cmd.c (Linux 6.12.117)',
    migration: { device: Mlx5LikeDevice, flagSets: [STOP_COPY | P2P | PRE_COPY, STOP_COPY | P2P] },
  },
  {
    id: 'pds',
    area: 'vfio-migration',
    driver: 'pds_vfio_pci',
    description: 'no PRE_COPY; restore writes unchecked; RESUMING to STOP fails with the firmware\'s errno and stays in RESUMING; MIG_DATA_SIZE the constant 65536, below the stream length',
    source: 'drivers/vfio/pci/pds/lm.c, vfio_dev.c (Linux 6.12.117)',
    migration: { device: PdsLikeDevice, flagSets: [STOP_COPY | P2P] },
  },
  {
    id: 'linux-7.1',
    area: 'vfio-migration',
    driver: 'refmig',
    description: 'the reference as Linux 7.1: VFIO_DEVICE_FEATURE_MIG_PRECOPY_INFOv2 and flags as an output of VFIO_MIG_GET_PRECOPY_INFO after it',
    source: 'drivers/vfio/vfio_main.c, include/linux/vfio.h: vfio_check_precopy_ioctl() (Linux 7.1)',
    kernel: '7.1',
  },
  {
    id: 'vendor-mdev',
    area: 'mdev',
    driver: 'acme_vgpu',
    description: 'vendor parents instead of the samples: acme-gpu0 (core-counted, 2 instances, described, a vendor attribute) and nvx0 (driver-counted units, undescribed)',
    source: 'drivers/vfio/mdev/mdev_core.c, mdev_sysfs.c (Linux 6.12.117): what the core does for any parent',
    mdevParents: loadVendorModules,
  },
  {
    id: 'virtio-owner-extra',
    area: 'virtio-legacy',
    driver: 'virtio_pci',
    description: 'owners that offer the capability and device-parts commands (0x7-0x11) beside the legacy ones; Linux before 6.13 puts only the legacy ones in use',
    source: 'virtio 1.3 (2.12.1 group administration commands); drivers/virtio/virtio_pci_modern.c (Linux 6.12.117): the owner driver masks what it uses',
    extraSriovOpcodes: [0x7, 0x8, 0x9, 0xa, 0xd, 0xe, 0xf, 0x10, 0x11].reduce((bits, opcode) => bits | (1n << BigInt(opcode)), 0n),
  },
];

export function variantById(id: string | undefined): Variant | undefined {
  if (id === undefined) return undefined;
  const variant = VARIANTS.find((v) => v.id === id);
  if (!variant) throw new Error(`unknown reference variant ${id}; known: ${VARIANTS.map((v) => v.id).join(', ')}`);
  return variant;
}
