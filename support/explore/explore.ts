// Model-based exploration: fast-check generates sequences of commands, runs
// each against the implementation with the area's model as the oracle, and
// shrinks a failing sequence to a short one, which is then written as a
// scenario in the suite's own phrases.
import fc from 'fast-check';
import { BrokenImplementation, Client, NotSupportedByImplementation } from '../contract/client';
import type { Implementation, ImplementationInfo } from '../contract/protocol';
import { CLAUSES, clauseStatement } from '../clauses';
import { implementationFromEnvironment } from '../target';
import { Journal, renderScenario, Violation } from './journal';
import type { JournalStep } from './journal';
import { describeKind, deviceKinds, initialModel, migrationCommands, MigrationModel, MigrationReal } from './migration';
import { ExploreWorld } from './world';
import { mdevCommands, MdevExploreModel, MdevReal, SecondChoice, SharedFacts, startMdev, TypeChoice } from './mdev';
import { startVirtio, virtioCommands, VirtioModel, VirtioReal } from './virtio';
import { startTranslator, translatorCommands, TranslatorModel, TranslatorReal } from './translator';
import { NotApplicable } from '../world/skip';

export const AREAS = ['vfio-migration', 'mdev', 'virtio-legacy'] as const;
export type ExploreArea = (typeof AREAS)[number];
export const EXPLORED_AREAS: readonly ExploreArea[] = ['vfio-migration', 'mdev', 'virtio-legacy'];

export interface ExploreOptions {
  area: ExploreArea;
  seed: number;
  runs: number; // sequences per batch (one fast-check run)
  maxCommands: number;
  steps?: number; // keep exploring in batches until this many commands ran
  timeBudgetMs?: number;
  path?: string; // replay one counterexample of a batch (with its seed)
  replayPath?: string; // and which of its commands ran (fast-check's replayPath of fc.commands)
  env?: NodeJS.ProcessEnv; // the target, as a conformance run reads it (TCK_ADAPTER, TCK_MUTANT, TCK_VARIANT, ...)
}

export interface ExploreFailure {
  clause: string;
  statement: string;
  message: string;
  scenario: string; // ready to paste
  steps: JournalStep[];
  tags: string[];
  seed: number;
  path: string;
  replayPath: string;
  shrinks: number;
  transcript: string[];
  replay: string;
}

export interface ExploreResult {
  area: ExploreArea;
  implementation: string;
  seed: number;
  batches: number;
  sequences: number;
  steps: number;
  lengths: number[];
  wallMs: number;
  interrupted: boolean;
  devices: string[];
  visitedStates: string[];
  unsupported: string[];
  notApplicable?: string;
  broken?: string;
  failure?: ExploreFailure;
}

interface Attempt { journal: Journal; world: ExploreWorld; error: unknown }

export async function explore(options: ExploreOptions): Promise<ExploreResult> {
  const env = options.env ?? process.env;
  const started = Date.now();
  const implementation: Implementation = implementationFromEnvironment(env);
  let sink: string[] | undefined;
  const client = new Client(implementation, ({ request, response, ms }) => sink?.push(JSON.stringify({ request, response, ms })));
  const result: ExploreResult = {
    area: options.area, implementation: '', seed: options.seed, batches: 0, sequences: 0, steps: 0, lengths: [], wallMs: 0,
    interrupted: false, devices: [], visitedStates: [], unsupported: [],
  };
  try {
    const info = await client.hello();
    result.implementation = `${info.name} ${info.version}`;
    const setSink = (s: string[] | undefined) => { sink = s; };
    if (options.area === 'vfio-migration') await exploreMigration(options, env, client, info, result, setSink, started);
    else if (options.area === 'mdev') await exploreMdev(options, client, info, result, setSink, started);
    else await exploreVirtio(options, client, info, result, setSink, started);
  } catch (error) {
    if (!(error instanceof BrokenImplementation)) throw error;
    result.broken = error.message;
  } finally {
    await implementation.shutdown();
    result.wallMs = Date.now() - started;
  }
  return result;
}

// What each area's exploration provides to the common loop: one sequence, run
// from its start (the sequence's set-up steps) through fast-check's model run.
interface Sequences {
  arbitrary: fc.Arbitrary<unknown[]>;
  // Runs one sequence; returns false when the start found nothing applicable.
  run: (values: unknown[], world: ExploreWorld, journal: Journal) => Promise<boolean>;
}

async function exploreMigration(
  options: ExploreOptions, env: NodeJS.ProcessEnv, client: Client, info: ImplementationInfo, result: ExploreResult,
  setSink: (sink: string[] | undefined) => void, started: number,
): Promise<void> {
  if (!info.roles.includes('vfio-migration')) {
    result.notApplicable = `the implementation does not offer the vfio-migration role (it declares: ${info.roles.join(', ') || 'none'})`;
    return;
  }
  await client.must('begin_scenario', { name: 'explore: device facts' });
  const kinds = await deviceKinds(new ExploreWorld(client, info));
  result.devices = kinds.map(describeKind);
  if (kinds.length === 0) {
    result.notApplicable = 'the implementation declares no migratable VFIO device (none answers GET of VFIO_DEVICE_FEATURE_MIGRATION with flags)';
    return;
  }
  const hangingAllowed = info.options.fsm_error_loop_fixed === true || env.TCK_ALLOW_HANGING_REQUESTS === '1';
  const visited = new Set<string>();
  const sequences: Sequences = {
    arbitrary: fc.tuple(fc.nat({ max: kinds.length - 1 }), fc.boolean(), fc.commands(migrationCommands(), commandOptions(options))),
    run: async ([k, second, commands], world, journal) => {
      const kind = kinds[k as number];
      const withDst = (second as boolean) && kind.like;
      const real: MigrationReal = { world, journal, visited };
      await journal.act('C-MIG-003', 'Given', kind.given, () => kind.open(world));
      if (withDst) await journal.act('C-MIG-003', 'Given', 'a second migratable VFIO device "dst" like the first', () => world.vfio.openLike('dst', 'device'));
      const model: MigrationModel = initialModel(kind, withDst, hangingAllowed);
      await fc.asyncModelRun(() => ({ model, real }), commands as Iterable<fc.AsyncCommand<MigrationModel, MigrationReal>>);
      return true;
    },
  };
  await runBatches(options, client, info, result, setSink, started, sequences);
  result.visitedStates = [...visited].sort();
}

async function exploreMdev(
  options: ExploreOptions, client: Client, info: ImplementationInfo, result: ExploreResult,
  setSink: (sink: string[] | undefined) => void, started: number,
): Promise<void> {
  if (!info.roles.includes('mdev')) {
    result.notApplicable = `the implementation does not offer the mdev role (it declares: ${info.roles.join(', ') || 'none'})`;
    return;
  }
  const parents = info.mdev_parents ?? [];
  result.devices = parents.map((p) => `${p.name} (${p.driver}${p.module ? `, module ${p.module}` : ''}): ${p.types.map((t) => `${t.id} ${t.count}`).join(', ')}`);
  if (parents.length === 0) {
    result.notApplicable = 'the implementation declares no mdev parent (mdev_parents at the start exchange)';
    return;
  }
  const visited = new Set<string>();
  const shared: SharedFacts = { unloadUnsupported: false, secondOpenRefused: false, full: new Set() };
  const sequences: Sequences = {
    arbitrary: fc.tuple(
      fc.constantFrom<TypeChoice>('any', 'any', 'core', 'driver', 'unloadable'), fc.constantFrom<SecondChoice>('none', 'same', 'other', 'other'),
      fc.commands(mdevCommands(), commandOptions(options)),
    ),
    run: async ([first, second, commands], world, journal) => {
      const real: MdevReal = { world, journal, visited };
      const model = await startMdev(real, first as TypeChoice, second as SecondChoice, shared);
      if (!model) return false;
      await fc.asyncModelRun(() => ({ model, real }), commands as Iterable<fc.AsyncCommand<MdevExploreModel, MdevReal>>);
      return true;
    },
  };
  await runBatches(options, client, info, result, setSink, started, sequences);
  result.visitedStates = [...visited].sort();
}

async function exploreVirtio(
  options: ExploreOptions, client: Client, info: ImplementationInfo, result: ExploreResult,
  setSink: (sink: string[] | undefined) => void, started: number,
): Promise<void> {
  const owners = info.devices.filter((d) => d.roles.includes('virtio-owner'));
  if (owners.length === 0) {
    result.notApplicable = 'the implementation declares no device with the virtio-owner role';
    return;
  }
  const translators = info.devices.filter((d) => d.roles.includes('virtio-translator'));
  result.devices = [...owners, ...translators].map((d) => `${d.path} (${d.driver}${d.roles.includes('virtio-translator') ? ', translator' : ''})`);
  const visited = new Set<string>();
  // A sequence is about the owner's admin commands or, where a VF with the
  // virtio-translator role is declared, about the translator's BAR0 and config space.
  const owner = fc.tuple(fc.constant('owner' as const), fc.tuple(fc.boolean(), fc.boolean()), fc.commands(virtioCommands(), commandOptions(options)));
  const translator = fc.tuple(fc.constant('translator' as const), fc.constant([false, false]), fc.commands(translatorCommands(), commandOptions(options)));
  const sequences: Sequences = {
    arbitrary: translators.length ? fc.oneof(owner, translator) : owner,
    run: async ([side, two, commands], world, journal) => {
      if (side === 'translator') {
        const real: TranslatorReal = { world, journal, visited };
        const model = await startTranslator(real);
        await fc.asyncModelRun(() => ({ model, real }), commands as Iterable<fc.AsyncCommand<TranslatorModel, TranslatorReal>>);
        return true;
      }
      const real: VirtioReal = { world, journal, visited };
      const [twoVfs, wide] = two as boolean[];
      const model = await startVirtio(real, twoVfs, wide);
      await fc.asyncModelRun(() => ({ model, real }), commands as Iterable<fc.AsyncCommand<VirtioModel, VirtioReal>>);
      return true;
    },
  };
  await runBatches(options, client, info, result, setSink, started, sequences);
  result.visitedStates = [...visited].sort();
}

function commandOptions(options: ExploreOptions) {
  return { maxCommands: options.maxCommands, size: 'max' as const, ...(options.replayPath ? { replayPath: options.replayPath } : {}) };
}

// Batches of fast-check runs (seed, seed+1, ...) until the steps or the time are used up or a sequence fails.
async function runBatches(
  options: ExploreOptions, client: Client, info: ImplementationInfo, result: ExploreResult,
  setSink: (sink: string[] | undefined) => void, started: number, sequences: Sequences,
): Promise<void> {
  const unsupported = new Set<string>();
  let failing: Attempt | undefined;
  let shrinking = false;
  let applicable = false;

  const property = fc.asyncProperty(sequences.arbitrary, async (values) => {
    await client.must('begin_scenario', { name: 'explore' });
    const world = new ExploreWorld(client, info);
    const journal = new Journal();
    setSink(world.transcript);
    const explored = !shrinking; // runs while shrinking are not counted in the statistics
    try {
      if (await sequences.run(values, world, journal)) applicable = true;
    } catch (error) {
      if (error instanceof NotSupportedByImplementation || error instanceof NotApplicable) {
        unsupported.add(error.reason); // what the implementation does not do is not explored, and is no failure
        return;
      }
      failing = { journal, world, error };
      shrinking = true;
      throw error;
    } finally {
      setSink(undefined);
      if (explored) {
        result.sequences += 1;
        result.steps += journal.commands;
        result.lengths.push(journal.commands);
      }
    }
  });

  const seeds = options.path ? [options.seed] : undefined;
  for (let batch = 0; ; batch++) {
    const seed = seeds ? seeds[0] : options.seed + batch;
    const left = options.timeBudgetMs === undefined ? undefined : options.timeBudgetMs - (Date.now() - started);
    if (left !== undefined && left <= 0) {
      result.interrupted = true;
      break;
    }
    const details = await fc.check(property, {
      seed, numRuns: options.runs, ...(options.path ? { path: options.path, endOnFailure: true } : {}),
      ...(left !== undefined ? { interruptAfterTimeLimit: left, markInterruptAsFailure: false } : {}),
    });
    result.batches += 1;
    if (details.interrupted) result.interrupted = true;
    if (details.failed) {
      const attempt = failing as Attempt | undefined;
      if (attempt && attempt.error instanceof Violation) {
        const commands = String((details.counterexample?.[0] as unknown[] | undefined)?.slice(-1)[0] ?? '');
        const replayPath = /replayPath="([^"]*)"/.exec(commands)?.[1] ?? '';
        result.failure = describeFailure(options, attempt, attempt.error, seed, details.counterexamplePath ?? '', replayPath, details.numShrinks);
      } else {
        const error = attempt?.error ?? details.errorInstance;
        result.broken = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        if (!(error instanceof BrokenImplementation) && !(error instanceof Error && /AssertionError/.test(error.name))) throw error;
      }
      break;
    }
    if (seeds || details.interrupted || options.steps === undefined || result.steps >= options.steps) break;
  }
  result.unsupported = [...unsupported];
  if (!applicable && !result.failure && !result.broken && result.sequences > 0) {
    result.notApplicable = `no sequence found anything to explore${unsupported.size ? ` (${[...unsupported].join('; ')})` : ''}`;
  }
}

function describeFailure(
  options: ExploreOptions, attempt: Attempt, violation: Violation, seed: number, path: string, replayPath: string, shrinks: number,
): ExploreFailure {
  const driver = CLAUSES[violation.clause]?.driver;
  const tags = [`@${violation.clause}`, ...(driver ? [`@profile:${driver}`] : []), ...attempt.journal.tags];
  const statement = clauseStatement(violation.clause);
  const title = `[explored] ${statement.length > 90 ? `${statement.slice(0, 87)}...` : statement}`;
  const replay = `npm run explore -- --area ${options.area} --seed ${seed} --runs ${options.runs} --max-commands ${options.maxCommands} --path ${path} --replay-path '${replayPath}'`;
  return {
    clause: violation.clause,
    statement,
    message: violation.detail,
    scenario: renderScenario(title, tags, attempt.journal.steps),
    steps: attempt.journal.steps,
    tags,
    seed,
    path,
    replayPath,
    shrinks,
    transcript: attempt.world.transcript,
    replay,
  };
}

// The feature file a failure is written to: the scenario under its area's role tag.
const ROLE: Record<ExploreArea, string> = { 'vfio-migration': 'vfio-migration', mdev: 'mdev', 'virtio-legacy': 'virtio-owner' };
export function featureOf(area: ExploreArea, scenario: string): string {
  // A virtio sequence that starts from a translator VF belongs under that role.
  const role = area === 'virtio-legacy' && scenario.includes('Given a VF shown to the guest as a transitional virtio-net device') ? 'virtio-translator' : ROLE[area];
  return `@role:${role}\nFeature: Explored sequences\n  Found by npm run explore; paste the scenario into the matching feature file.\n\n${scenario}`;
}

export function lengthStats(lengths: number[]): { min: number; median: number; mean: number; max: number; histogram: Record<string, number> } {
  const sorted = [...lengths].sort((a, b) => a - b);
  const histogram: Record<string, number> = {};
  for (const n of sorted) {
    const from = Math.floor(n / 10) * 10;
    const key = `${from}-${from + 9}`;
    histogram[key] = (histogram[key] ?? 0) + 1;
  }
  return {
    min: sorted[0] ?? 0,
    median: sorted[Math.floor(sorted.length / 2)] ?? 0,
    mean: sorted.length ? Math.round((sorted.reduce((a, b) => a + b, 0) / sorted.length) * 10) / 10 : 0,
    max: sorted[sorted.length - 1] ?? 0,
    histogram,
  };
}

