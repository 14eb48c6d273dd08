// Every deliberately broken variant of the reference. `npm test` runs each
// area's features against each of its mutants and fails if one survives.
import { vfioMutants } from './vfio/mutants';

export type Area = 'vfio-migration' | 'mdev' | 'virtio-legacy';
export interface Mutant {
  id: string;
  area: Area;
  description: string;
}

export const MUTANTS: Mutant[] = [...vfioMutants];
