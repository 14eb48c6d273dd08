// The clause catalog: every clause id the suite checks, each stated in the
// project's own words. Reports name clauses by these texts.
import { MIGRATION_CLAUSES } from './vfio-migration';
import { MDEV_CLAUSES } from './mdev';
import { VIRTIO_LEGACY_CLAUSES } from './virtio-legacy';

export const CLAUSES: Record<string, string> = { ...MIGRATION_CLAUSES, ...MDEV_CLAUSES, ...VIRTIO_LEGACY_CLAUSES };
