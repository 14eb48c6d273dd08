// The mdev model: the oracle an exploration of the mdev lifecycle checks every
// answer against. It tracks the types a sequence chose ("T", "U"), each
// parent's instance counter (the core's, or the driver's where its profile
// fixes it), the mdevs it made with their opens and a removal that waits, the
// scenario's fresh UUID, and parents whose module was unloaded. A driver's own
// count is checked only where the driver's profile fixes it; otherwise any
// count is accepted. Each command acts through the mdev session exactly as its
// step does and records that step, so a sequence reads back as a scenario.
import fc from 'fast-check';
import { NotSupportedByImplementation } from '../contract/client';
import { NotApplicable } from '../world/skip';
import { describeOutcome, expect } from '../world/assert';
import type { MdevSession } from '../mdev/session';
import { decodeEscapes } from '../mdev/text';
import type { ExploreWorld } from './world';
import { Counted, type Journal } from './journal';

export type Alias = 'T' | 'U';
export type MdevName = 'A' | 'B' | 'C' | 'D';
const NAMES: MdevName[] = ['A', 'B', 'C', 'D'];

// What a driver's profile says of its own count: one pool per parent, each
// type taking a number of units (mtty's ports, mbochs's MB), available showing
// the free units divided by that number, given back at the final release.
const PROFILE_UNITS: Record<string, { units: Record<string, number>; count: string; release: string; full: string }> = {
  mtty: { units: { 'mtty-1': 1, 'mtty-2': 2 }, count: 'C-MDEV-046', release: 'C-MDEV-050', full: 'C-MDEV-046' },
  mbochs: { units: { 'mbochs-small': 4, 'mbochs-medium': 16, 'mbochs-large': 64 }, count: 'C-MDEV-048', release: 'C-MDEV-059', full: 'C-MDEV-048' },
};

interface TypeModel { alias: Alias; id: string; parent: string; baseline: number }

interface ParentModel {
  name: string;
  driver: string;
  module?: string;
  count: 'core' | 'profile' | 'unknown';
  free: number; // core: the counter; profile: the free units; unknown: unused
  units: Record<string, number>; // profile: units per type id
  unloaded: boolean;
}

interface MdevModel { type: Alias; parent: string; state: 'present' | 'removing' | 'gone'; opens: number; groupKnown: boolean }

export interface MdevExploreModel {
  types: Partial<Record<Alias, TypeModel>>;
  parents: Record<string, ParentModel>;
  mdevs: Partial<Record<MdevName, MdevModel>>;
  fresh: 'unused' | 'taken' | 'spent'; // the scenario's own {uuid}: unused, an mdev of type freshType, or no longer usable
  freshType?: Alias;
  pending?: MdevName; // the removal written without waiting
  pendingBytes?: number; // and how many bytes it wrote
  shared: SharedFacts;
}

// Facts that hold for the whole exploration (answers of "unsupported", a second open refused).
export interface SharedFacts { unloadUnsupported: boolean; secondOpenRefused: boolean; full: Set<string> }

export interface MdevReal { world: ExploreWorld; journal: Journal; visited: Set<string> }
type Command = fc.AsyncCommand<MdevExploreModel, MdevReal>;

const s = (r: MdevReal): MdevSession => r.world.mdev;
const alive = (m: MdevExploreModel, a: Alias) => {
  const t = m.types[a];
  return t !== undefined && !m.parents[t.parent].unloaded;
};
const opensOf = (m: MdevExploreModel, parent: string) => Object.values(m.mdevs).filter((x) => x && x.parent === parent).reduce((n, x) => n + (x as MdevModel).opens, 0);

// The available_instances the model expects of a type, or undefined where the driver's own count is not known.
function expected(m: MdevExploreModel, a: Alias): number | undefined {
  const t = m.types[a] as TypeModel;
  const p = m.parents[t.parent];
  if (p.count === 'core') return p.free;
  if (p.count === 'profile') return Math.floor(p.free / p.units[t.id]);
  return undefined;
}

function take(m: MdevExploreModel, a: Alias, n = 1): void {
  const t = m.types[a] as TypeModel;
  const p = m.parents[t.parent];
  if (p.count === 'core') p.free -= n;
  else if (p.count === 'profile') p.free -= n * p.units[t.id];
}

function giveBack(m: MdevExploreModel, a: Alias): void {
  const t = m.types[a] as TypeModel;
  const p = m.parents[t.parent];
  if (p.count === 'core') p.free += 1;
  else if (p.count === 'profile') p.free += p.units[t.id];
}

// The clause a refused create on an empty type breaks, and its errno.
function fullRefusal(m: MdevExploreModel, a: Alias): { clause: string; errno: string } | undefined {
  const p = m.parents[(m.types[a] as TypeModel).parent];
  if (p.count === 'core') return { clause: 'C-MDEV-017', errno: 'EUSERS' };
  if (p.count === 'profile') return { clause: PROFILE_UNITS[p.driver].full, errno: 'ENOSPC' };
  return undefined;
}

function failsWith(r: MdevReal, errno: string): void {
  const last = r.world.last;
  expect(last?.ok === false && last.errno === errno, `expected ${errno}, got ${describeOutcome(last)}`);
}

function expectOk(r: MdevReal, what: string): void {
  expect(r.world.last?.ok === true, `${what}, got ${describeOutcome(r.world.last)}`);
}

const bus = (ref: string) => `/sys/bus/mdev/devices/${ref}`;

// --- the commands ------------------------------------------------------------

class CreateNamed implements Command {
  constructor(readonly name: MdevName, readonly type: Alias) {}
  check(m: MdevExploreModel): boolean {
    if (m.mdevs[this.name] || !alive(m, this.type) || m.shared.full.has((m.types[this.type] as TypeModel).id)) return false;
    const left = expected(m, this.type);
    return left === undefined || left > 0;
  }
  async run(m: MdevExploreModel, r: MdevReal): Promise<void> {
    const j = r.journal;
    const text = `an mdev "${this.name}" of type "${this.type}"`;
    try {
      await j.act('C-MDEV-013', 'Given', text, () => s(r).create(this.name, this.type));
    } catch (error) {
      // A driver-counted type that shows none left: not explored further.
      if (!(error instanceof NotApplicable) || expected(m, this.type) !== undefined) throw error;
      j.steps.pop();
      m.shared.full.add((m.types[this.type] as TypeModel).id);
      return;
    }
    await j.expect('C-MDEV-022', 'these links resolve to:', () => s(r).expectLinks([{ link: `{dev:${this.name}}/mdev_type`, target: `{type:${this.type}}` }]),
      [['link', 'target'], [`{dev:${this.name}}/mdev_type`, `{type:${this.type}}`]]);
    m.mdevs[this.name] = { type: this.type, parent: (m.types[this.type] as TypeModel).parent, state: 'present', opens: 0, groupKnown: true };
    take(m, this.type);
    r.visited.add('created');
  }
  toString(): string {
    return `create(${this.name}, ${this.type})`;
  }
}

class Fill implements Command {
  constructor(readonly type: Alias) {}
  check(m: MdevExploreModel): boolean {
    if (!alive(m, this.type)) return false;
    const left = expected(m, this.type);
    return left !== undefined && left > 0 && left <= 32;
  }
  async run(m: MdevExploreModel, r: MdevReal): Promise<void> {
    const left = expected(m, this.type) as number;
    const p = m.parents[(m.types[this.type] as TypeModel).parent];
    const clause = p.count === 'core' ? 'C-MDEV-017' : PROFILE_UNITS[p.driver].count;
    await r.journal.act(clause, 'Given', `mdevs of type "${this.type}" are created until it shows 0 available`, () => s(r).createUntil(this.type, 0));
    take(m, this.type, left);
    r.visited.add('full');
  }
  toString(): string {
    return `fill(${this.type})`;
  }
}

// A create with the scenario's fresh UUID, with nothing, a newline or another 37th byte after it.
class CreateFresh implements Command {
  constructor(readonly type: Alias, readonly suffix: '' | '\\n' | 'x') {}
  check(m: MdevExploreModel): boolean {
    return m.fresh === 'unused' && alive(m, this.type);
  }
  async run(m: MdevExploreModel, r: MdevReal): Promise<void> {
    const j = r.journal;
    const written = `{uuid}${this.suffix}`;
    await j.act('C-MDEV-013', 'When', `"${written}" is written to "{type:${this.type}}/create"`, () => s(r).write(written, `{type:${this.type}}/create`));
    const left = expected(m, this.type);
    const refusal = fullRefusal(m, this.type);
    const bytes = this.suffix === '' ? 36 : 37;
    if (left === 0 && refusal) {
      await j.expect(refusal.clause, `the call fails with ${refusal.errno}`, () => failsWith(r, refusal.errno));
      await j.expect('C-MDEV-018', 'no mdev was created', () => s(r).expectNoMdevCreated());
      return;
    }
    if (left === undefined && r.world.last?.ok === false) {
      // The driver counts for itself: it may refuse (C-MDEV-019), and nothing is then created.
      await j.expect('C-MDEV-019', 'the call fails', () => undefined);
      await j.expect('C-MDEV-018', 'no mdev was created', () => s(r).expectNoMdevCreated());
      m.shared.full.add((m.types[this.type] as TypeModel).id);
      return;
    }
    await j.expect(this.suffix === '' ? 'C-MDEV-013' : 'C-MDEV-012', `the write returns ${bytes}`, () => s(r).expectWriteCount(bytes));
    await j.expect('C-MDEV-022', 'these paths exist:', () => s(r).expectExisting([{ path: bus('{uuid}'), kind: 'link' }]), [['path', 'kind'], [bus('{uuid}'), 'link']]);
    m.fresh = 'taken';
    m.freshType = this.type;
    take(m, this.type);
  }
  toString(): string {
    return `createFresh(${this.type}, ${JSON.stringify(this.suffix)})`;
  }
}

// A create with a malformed UUID: EINVAL before anything is counted.
const MALFORMED = ['{{uuid}}', 'urn:uuid:{uuid}', '{uuid}xy', '{uuid}\\n\\n'];
class CreateMalformed implements Command {
  constructor(readonly type: Alias, readonly written: string) {}
  check(m: MdevExploreModel): boolean {
    return alive(m, this.type);
  }
  async run(_m: MdevExploreModel, r: MdevReal): Promise<void> {
    const j = r.journal;
    await j.act('C-MDEV-011', 'When', `"${this.written}" is written to "{type:${this.type}}/create"`, () => s(r).write(this.written, `{type:${this.type}}/create`));
    const clause = this.written.startsWith('{uuid}') ? 'C-MDEV-010' : 'C-MDEV-011';
    await j.expect(clause, 'the call fails with EINVAL', () => failsWith(r, 'EINVAL'));
    await j.expect(clause, 'no mdev was created', () => s(r).expectNoMdevCreated());
  }
  toString(): string {
    return `createMalformed(${this.type}, ${this.written})`;
  }
}

// The UUID of a named mdev written to a create file, in one of its letter cases.
class CreateWithUuidOf implements Command {
  constructor(readonly name: MdevName, readonly type: Alias, readonly form: 'uuid' | 'UUID' | 'Uuid') {}
  check(m: MdevExploreModel): boolean {
    const x = m.mdevs[this.name];
    if (!x || !alive(m, this.type)) return false;
    if (x.state !== 'gone') return true; // a duplicate
    // A second life: on a type of its own parent (the session knows its directory there), with room.
    const left = expected(m, this.type);
    return m.types[this.type]?.parent === x.parent && left !== undefined && left > 0;
  }
  async run(m: MdevExploreModel, r: MdevReal): Promise<void> {
    const x = m.mdevs[this.name] as MdevModel;
    const j = r.journal;
    const written = `{${this.form}:${this.name}}`;
    await j.act('C-MDEV-015', 'When', `"${written}" is written to "{type:${this.type}}/create"`, () => s(r).write(written, `{type:${this.type}}/create`));
    if (x.state !== 'gone') {
      const clause = x.state === 'removing' ? 'C-MDEV-036' : expected(m, this.type) === 0 ? 'C-MDEV-016' : 'C-MDEV-015';
      await j.expect(clause, 'the call fails with EEXIST', () => failsWith(r, 'EEXIST'));
      await j.expect('C-MDEV-018', 'no mdev was created', () => s(r).expectNoMdevCreated());
      return;
    }
    await j.expect('C-MDEV-015', 'the write returns 36', () => s(r).expectWriteCount(36));
    await j.expect('C-MDEV-014', `mdev "${this.name}" still exists`, () => s(r).expectPresent(this.name));
    m.mdevs[this.name] = { type: this.type, parent: x.parent, state: 'present', opens: 0, groupKnown: false };
    take(m, this.type);
  }
  toString(): string {
    return `createWithUuidOf(${this.name}, ${this.type}, ${this.form})`;
  }
}

// What is written to remove, and what the core makes of it (kstrtoul in base 0).
const REMOVE_VALUES: Record<string, 'removes' | 'zero' | 'invalid'> = {
  '1': 'removes', '1\\n': 'removes', '2': 'removes', '0x1': 'removes', '010': 'removes',
  '0': 'zero', '0\\n': 'zero', '1\\x20': 'invalid', 'abc': 'invalid', '1\\n\\n': 'invalid', '-1': 'invalid',
};

class Remove implements Command {
  constructor(readonly name: MdevName, readonly value: string, readonly where: 'bus' | 'dev') {}
  check(m: MdevExploreModel): boolean {
    const x = m.mdevs[this.name];
    if (!x || x.state === 'removing') return false;
    if (x.state === 'gone') return this.where === 'bus' && !Object.values(m.mdevs).some((y) => y?.state === 'removing' && y !== x);
    if (m.parents[x.parent].unloaded) return false;
    return x.opens === 0 || (REMOVE_VALUES[this.value] === 'removes' && m.pending === undefined);
  }
  async run(m: MdevExploreModel, r: MdevReal): Promise<void> {
    const x = m.mdevs[this.name] as MdevModel;
    const j = r.journal;
    const path = this.where === 'bus' ? `${bus(`{uuid:${this.name}}`)}/remove` : `{dev:${this.name}}/remove`;
    const outcome = REMOVE_VALUES[this.value];
    if (x.state === 'gone') {
      await j.act('C-MDEV-033', 'When', `"${this.value}" is written to "${path}"`, () => s(r).write(this.value, path));
      await j.expect('C-MDEV-033', 'the call fails with ENOENT', () => failsWith(r, 'ENOENT'));
      return;
    }
    if (x.opens > 0) {
      await j.act('C-MDEV-034', 'When', `"${this.value}" is written to "${path}" without waiting`, () => s(r).writeWithoutWaiting(this.value, path));
      await j.expect('C-MDEV-034', 'the pending write has not completed after 200 ms', () => s(r).expectStillBlocked(200));
      await j.expect('C-MDEV-036', 'these paths do not exist:', () => s(r).expectAbsent([bus(`{uuid:${this.name}}`)]), [['path'], [bus(`{uuid:${this.name}}`)]]);
      x.state = 'removing';
      m.pending = this.name;
      m.pendingBytes = decodeEscapes(this.value).length;
      r.visited.add('removal waiting');
      return;
    }
    await j.act('C-MDEV-028', 'When', `"${this.value}" is written to "${path}"`, () => s(r).write(this.value, path));
    if (outcome === 'invalid') {
      await j.expect('C-MDEV-026', 'the call fails with EINVAL', () => failsWith(r, 'EINVAL'));
      await j.expect('C-MDEV-026', `mdev "${this.name}" still exists`, () => s(r).expectPresent(this.name));
      return;
    }
    const clause = outcome === 'zero' ? 'C-MDEV-027' : 'C-MDEV-029';
    await j.expect(clause, 'the write returns the number of bytes written', () => s(r).expectWriteCount());
    if (outcome === 'zero') {
      await j.expect('C-MDEV-027', `mdev "${this.name}" still exists`, () => s(r).expectPresent(this.name));
      return;
    }
    await this.gone(m, r, x);
  }
  async gone(m: MdevExploreModel, r: MdevReal, x: MdevModel): Promise<void> {
    await r.journal.expect('C-MDEV-028', `mdev "${this.name}" no longer exists`, () => s(r).expectGone(this.name));
    if (x.groupKnown) {
      const group = `/sys/kernel/iommu_groups/{group:${this.name}}`;
      await r.journal.expect('C-MDEV-042', 'these paths do not exist:', () => s(r).expectAbsent([group]), [['path'], [group]]);
    }
    x.state = 'gone';
    giveBack(m, x.type);
  }
  toString(): string {
    return `remove(${this.name}, ${JSON.stringify(this.value)}, ${this.where})`;
  }
}

class RemoveFresh implements Command {
  check(m: MdevExploreModel): boolean {
    return m.fresh === 'taken' && alive(m, m.freshType as Alias);
  }
  async run(m: MdevExploreModel, r: MdevReal): Promise<void> {
    const path = `${bus('{uuid}')}/remove`;
    await r.journal.act('C-MDEV-028', 'When', `"1" is written to "${path}"`, () => s(r).write('1', path));
    await r.journal.expect('C-MDEV-029', 'the write returns 1', () => s(r).expectWriteCount(1));
    await r.journal.expect('C-MDEV-029', 'these paths do not exist:', () => s(r).expectAbsent([bus('{uuid}')]), [['path'], [bus('{uuid}')]]);
    m.fresh = 'spent';
    giveBack(m, m.freshType as Alias);
  }
  toString(): string {
    return 'removeFresh';
  }
}

class Open implements Command {
  constructor(readonly name: MdevName) {}
  check(m: MdevExploreModel): boolean {
    const x = m.mdevs[this.name];
    return x?.state === 'present' && !m.parents[x.parent].unloaded && x.opens < 2 && !(x.opens > 0 && m.shared.secondOpenRefused);
  }
  async run(m: MdevExploreModel, r: MdevReal): Promise<void> {
    const x = m.mdevs[this.name] as MdevModel;
    const text = `mdev "${this.name}" is open`;
    if (x.opens === 0) await r.journal.act('C-MDEV-043', 'Given', text, () => s(r).open(this.name));
    else {
      try {
        await r.journal.act('C-MDEV-043', 'Given', text, () => s(r).openAgain(this.name));
      } catch (error) {
        if (!(error instanceof NotApplicable)) throw error;
        r.journal.steps.pop(); // the device cdev allows one open at a time (C-MIG-224): not explored
        m.shared.secondOpenRefused = true;
        return;
      }
    }
    x.opens += 1;
    r.visited.add(x.opens > 1 ? 'open twice' : 'open');
  }
  toString(): string {
    return `open(${this.name})`;
  }
}

class CloseOne implements Command {
  constructor(readonly name: MdevName) {}
  check(m: MdevExploreModel): boolean {
    return (m.mdevs[this.name]?.opens ?? 0) > 0;
  }
  async run(m: MdevExploreModel, r: MdevReal): Promise<void> {
    const x = m.mdevs[this.name] as MdevModel;
    await r.journal.act('C-MDEV-043', 'When', `one open of mdev "${this.name}" is closed`, () => s(r).closeOne(this.name));
    x.opens -= 1;
    if (x.state === 'removing' && x.opens === 0) {
      const bytes = m.pendingBytes as number;
      await r.journal.expect('C-MDEV-034', `the pending write returns ${bytes}`, async () => {
        await s(r).completePending();
        s(r).expectWriteCount(bytes);
      });
      m.pending = undefined;
      await new Remove(this.name, '1', 'bus').gone(m, r, x);
    }
  }
  toString(): string {
    return `closeOne(${this.name})`;
  }
}

class CheckCounts implements Command {
  constructor(readonly type: Alias) {}
  check(m: MdevExploreModel): boolean {
    return alive(m, this.type) && expected(m, this.type) !== undefined;
  }
  async run(m: MdevExploreModel, r: MdevReal): Promise<void> {
    const t = m.types[this.type] as TypeModel;
    const p = m.parents[t.parent];
    const waiting = m.pending !== undefined && m.mdevs[m.pending]?.parent === t.parent;
    const clause = p.count === 'core' ? (waiting ? 'C-MDEV-036' : 'C-MDEV-018') : waiting ? PROFILE_UNITS[p.driver].release : PROFILE_UNITS[p.driver].count;
    const change = `${(expected(m, this.type) as number) - t.baseline}`;
    await r.journal.expect(clause, 'the available instances compared with the noted ones are:', () => s(r).expectChanges([{ type: this.type, change }]),
      [['type', 'change'], [this.type, change]]);
  }
  toString(): string {
    return `counts(${this.type})`;
  }
}

class Unload implements Command {
  constructor(readonly type: Alias) {}
  check(m: MdevExploreModel): boolean {
    const t = m.types[this.type];
    return t !== undefined && alive(m, this.type) && m.parents[t.parent].module !== undefined && !m.shared.unloadUnsupported;
  }
  async run(m: MdevExploreModel, r: MdevReal): Promise<void> {
    const t = m.types[this.type] as TypeModel;
    const p = m.parents[t.parent];
    const j = r.journal;
    try {
      await j.act(opensOf(m, p.name) > 0 ? 'C-MDEV-045' : 'C-MDEV-038', 'When', `the module of the parent of "${this.type}" is unloaded`, () => s(r).unloadModuleOf(this.type));
    } catch (error) {
      if (!(error instanceof NotSupportedByImplementation)) throw error;
      j.steps.pop(); // the implementation cannot unload it: not explored
      m.shared.unloadUnsupported = true;
      return;
    }
    if (opensOf(m, p.name) > 0) {
      await j.expect('C-MDEV-045', 'the call fails with EAGAIN', () => failsWith(r, 'EAGAIN'));
      return;
    }
    await j.expect('C-MDEV-038', 'the call succeeds', () => expectOk(r, 'unloading a module none of whose mdevs is open must succeed'));
    for (const name of NAMES) {
      const x = m.mdevs[name];
      if (x?.parent !== p.name || x.state === 'gone') continue;
      await j.expect('C-MDEV-038', `mdev "${name}" no longer exists`, () => s(r).expectGone(name));
      x.state = 'gone';
    }
    await j.expect('C-MDEV-038', 'these paths do not exist:', () => s(r).expectAbsent([`{type:${this.type}}`]), [['path'], [`{type:${this.type}}`]]);
    if (m.fresh === 'taken' && m.types[m.freshType as Alias]?.parent === p.name) m.fresh = 'spent';
    p.unloaded = true;
    r.visited.add('unloaded');
  }
  toString(): string {
    return `unload(${this.type})`;
  }
}

export function mdevCommands(): fc.Arbitrary<Command>[] {
  const name = fc.constantFrom<MdevName>(...NAMES);
  const type = fc.constantFrom<Alias>('T', 'T', 'U');
  const all: fc.Arbitrary<Command>[] = [
    ...Array(4).fill(fc.tuple(name, type).map(([n, t]) => new CreateNamed(n, t))),
    type.map((t) => new Fill(t)),
    fc.tuple(type, fc.constantFrom<'' | '\\n' | 'x'>('', '\\n', 'x')).map(([t, x]) => new CreateFresh(t, x)),
    fc.tuple(type, fc.constantFrom(...MALFORMED)).map(([t, w]) => new CreateMalformed(t, w)),
    ...Array(2).fill(fc.tuple(name, type, fc.constantFrom<'uuid' | 'UUID' | 'Uuid'>('uuid', 'UUID', 'Uuid')).map(([n, t, f]) => new CreateWithUuidOf(n, t, f))),
    ...Array(3).fill(fc.tuple(name, fc.constantFrom(...Object.keys(REMOVE_VALUES)), fc.constantFrom<'bus' | 'dev'>('bus', 'bus', 'dev')).map(([n, v, w]) => new Remove(n, v, w))),
    fc.constant(new RemoveFresh()),
    ...Array(2).fill(name.map((n) => new Open(n))),
    ...Array(2).fill(name.map((n) => new CloseOne(n))),
    ...Array(2).fill(type.map((t) => new CheckCounts(t))),
    type.map((t) => new Unload(t)),
  ];
  return all.map((a) => a.map((c) => new Counted(c)));
}

// --- the start of a sequence: which types it works with -------------------------

export type TypeChoice = 'any' | 'core' | 'driver' | 'unloadable';
export type SecondChoice = 'none' | 'same' | 'other';
const FIRST: Record<TypeChoice, string> = {
  any: 'a declared mdev type "T"',
  core: 'a declared mdev type "T" counted by the mdev core',
  driver: 'a declared mdev type "T" counted by its driver',
  unloadable: 'a declared mdev type "T" whose parent\'s module can be unloaded',
};
const SECOND: Record<Exclude<SecondChoice, 'none'>, string> = {
  same: 'a declared mdev type "U" of the same parent as "T"',
  other: 'a declared mdev type "U" of another parent than "T"',
};

// Chooses the types through the steps that name them; undefined when the implementation declares none that fits.
export async function startMdev(r: MdevReal, first: TypeChoice, second: SecondChoice, shared: SharedFacts): Promise<MdevExploreModel | undefined> {
  const session = s(r);
  const chosen: [Alias, string, () => Promise<unknown>][] = [['T', FIRST[first], () => chooseFirst(session, first)]];
  if (second !== 'none') chosen.push(['U', SECOND[second], () => (second === 'same' ? session.chooseSibling('U', 'T') : session.chooseOtherParent('U', 'T'))]);
  const model: MdevExploreModel = { types: {}, parents: {}, mdevs: {}, fresh: 'unused', shared };
  for (const [alias, text, choose] of chosen) {
    try {
      await r.journal.act('C-MDEV-008', 'Given', text, choose);
    } catch (error) {
      if (error instanceof NotApplicable && alias === 'T') return undefined;
      if (error instanceof NotApplicable) {
        r.journal.steps.pop();
        continue;
      }
      throw error;
    }
    const info = await session.type(alias);
    const declared = info.declaredParent;
    if (!model.parents[info.parent]) {
      const profile = declared && PROFILE_UNITS[declared.driver];
      const count = info.declared?.count === 'core' ? 'core' : profile && profile.units[info.id] ? 'profile' : 'unknown';
      model.parents[info.parent] = {
        name: info.parent, driver: declared?.driver ?? '', module: declared?.module, count,
        free: count === 'core' ? await session.available(info.id) : count === 'profile' ? await freeUnits(session, declared?.types.map((t) => t.id) ?? [], (profile as { units: Record<string, number> }).units) : 0,
        units: profile?.units ?? {}, unloaded: false,
      };
    }
    model.types[alias] = { alias, id: info.id, parent: info.parent, baseline: 0 };
  }
  await r.journal.act('C-MDEV-008', 'Given', 'the available instances are noted', () => session.note());
  for (const t of Object.values(model.types)) if (t) t.baseline = expected(model, t.alias) ?? 0;
  return model;
}

function chooseFirst(session: MdevSession, first: TypeChoice) {
  if (first === 'any') return session.chooseAny('T');
  if (first === 'unloadable') return session.chooseUnloadable('T');
  return session.chooseCounted('T', first);
}

// A profile pool's free units, from the type that shows them most finely.
async function freeUnits(session: MdevSession, ids: string[], units: Record<string, number>): Promise<number> {
  const finest = ids.filter((id) => units[id] !== undefined).sort((a, b) => units[a] - units[b])[0];
  return (await session.available(finest)) * units[finest];
}

