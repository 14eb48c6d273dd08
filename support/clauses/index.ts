// The clause catalog: every clause id the suite checks, stated in the
// project's own words, with its level (uAPI rule or driver profile) and its
// source. Reports name clauses by these statements.
import type { Clause } from './catalog';
import { MIGRATION_CLAUSES } from './vfio-migration';
import { MDEV_CLAUSES } from './mdev';
import { VIRTIO_LEGACY_CLAUSES } from './virtio-legacy';
import { VMM_CLIENT_CLAUSES } from './vmm-clients';

export type { Clause, Level } from './catalog';

export const CLAUSES: Record<string, Clause> = { ...MIGRATION_CLAUSES, ...MDEV_CLAUSES, ...VIRTIO_LEGACY_CLAUSES, ...VMM_CLIENT_CLAUSES };

export function clauseStatement(id: string): string {
  return CLAUSES[id]?.statement ?? '';
}
