// Every deliberately broken variant of the reference. `npm test` runs each
// area's features against each of its mutants and fails if one survives.
import { vfioMutants } from './vfio/mutants';
import { mdevMutants } from './mdev/mutants';
import { virtioMutants } from './virtio/mutants';

export type Area = 'vfio-migration' | 'mdev' | 'virtio-legacy';
export interface Mutant {
  id: string;
  area: Area;
  description: string;
  // The simulated host the fault shows on, when it is not the default one.
  host?: { arch: string; byteOrder: 'little' | 'big' };
  // The kernel release whose behaviour the reference imitates for this mutant,
  // when the fault is in behaviour the default release does not have.
  kernel?: string;
}

export const MUTANTS: Mutant[] = [...vfioMutants, ...mdevMutants, ...virtioMutants];
