// Deliberately broken behaviour, switched on one at a time by the mutant runner.
// The reference code asks `mutations.on(id)` at the exact place a real driver
// could get it wrong; with no mutant selected every answer is the kernel's.
export class Mutations {
  constructor(private readonly active: string | undefined) {}
  on(id: string): boolean {
    return this.active === id;
  }
}
