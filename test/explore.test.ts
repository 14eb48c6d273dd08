// Model-based exploration within small fixed bounds: the reference and the
// migration variants explore with no violation, chosen mutants are found, and
// a shrunk counterexample pasted into a feature file fails against its mutant
// and passes against the reference through the conformance runner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { explore, featureOf, lengthStats } from '../support/explore/explore';
import { runInProcess } from '../support/cli/in-process';

const BOUNDS = { area: 'vfio-migration' as const, seed: 1, runs: 40, maxCommands: 100 };
const target = (extra: Record<string, string>) => {
  const env = { ...process.env, ...extra };
  delete env.TCK_ADAPTER;
  if (!extra.TCK_MUTANT) delete env.TCK_MUTANT;
  if (!extra.TCK_VARIANT) delete env.TCK_VARIANT;
  return env;
};

test('the reference explores with no violation, in sequences long enough to reach deep states', async () => {
  const r = await explore({ ...BOUNDS, env: target({}) });
  assert.equal(r.failure, undefined, r.failure?.scenario);
  assert.equal(r.broken, undefined);
  const stats = lengthStats(r.lengths);
  console.log(`reference: ${r.sequences} sequences, ${r.steps} commands, lengths ${JSON.stringify(stats)}`);
  assert.equal(r.sequences, BOUNDS.runs);
  assert.ok(stats.median >= 10 && stats.max >= 30, `sequences too short: ${JSON.stringify(stats)}`);
  for (const state of ['STOP_COPY', 'RESUMING', 'PRE_COPY', 'PRE_COPY_P2P', 'RUNNING_P2P']) assert.ok(r.visitedStates.includes(state), `${state} was never reached`);
});

for (const variant of ['mlx5', 'pds']) {
  test(`the conforming variant ${variant} explores with no violation`, async () => {
    const r = await explore({ ...BOUNDS, env: target({ TCK_VARIANT: variant }) });
    assert.equal(r.failure, undefined, r.failure?.scenario);
    assert.equal(r.broken, undefined);
    assert.equal(r.sequences, BOUNDS.runs);
  });
}

// The other areas: the reference and their variants explore clean within the same bounds.
for (const [area, variant] of [['mdev', undefined], ['mdev', 'vendor-mdev'], ['virtio-legacy', undefined], ['virtio-legacy', 'virtio-owner-extra']] as const) {
  test(`${area}: ${variant ? `the conforming variant ${variant}` : 'the reference'} explores with no violation`, async () => {
    const r = await explore({ ...BOUNDS, area, env: target(variant ? { TCK_VARIANT: variant } : {}) });
    assert.equal(r.failure, undefined, r.failure?.scenario);
    assert.equal(r.broken, undefined);
    assert.equal(r.notApplicable, undefined);
    assert.equal(r.sequences, BOUNDS.runs);
  });
}

const OTHER_AREAS: [ 'mdev' | 'virtio-legacy', string, string][] = [
  ['mdev', 'mdev-uuid-freed-while-blocked', 'C-MDEV-036'],
  ['mdev', 'mdev-remove-zero-removes', 'C-MDEV-027'],
  ['mdev', 'mtty-pool-not-shared', 'C-MDEV-046'],
  ['virtio-legacy', 'reset-keeps-used-list', 'C-VLEG-010'],
  ['virtio-legacy', 'members-share-legacy-state', 'C-VLEG-022'],
];
for (const [area, mutant, clause] of OTHER_AREAS) {
  test(`${area}: exploration finds the mutant ${mutant} (${clause})`, async () => {
    const r = await explore({ ...BOUNDS, area, runs: 100, env: target({ TCK_MUTANT: mutant }) });
    assert.ok(r.failure, `not found in ${r.sequences} sequences`);
    assert.equal(r.failure.clause, clause, r.failure.scenario);
  });
}

// A mutant may break more than one clause; the first sequence that shows it names one of them.
const FOUND: [string, string][] = [
  ['reset-keeps-state', 'C-MIG-040'],
  ['fd-not-ended-on-leaving-stopcopy', 'C-MIG-025'],
  ['resume-truncated-accepted', 'C-MIG-037'],
  ['close-keeps-transfers', 'C-MIG-088|C-MIG-118'],
  ['precopy-p2p-new-fd', 'C-MIG-017'],
  ['dma-not-logged', 'C-MIG-069|C-MIG-070'],
  ['logging-probe-needs-set', 'C-MIG-056'],
];

for (const [mutant, clause] of FOUND) {
  test(`exploration finds the mutant ${mutant} (${clause})`, async () => {
    const r = await explore({ ...BOUNDS, runs: 100, env: target({ TCK_MUTANT: mutant }) });
    assert.ok(r.failure, `not found in ${r.sequences} sequences`);
    assert.ok(clause.split('|').includes(r.failure.clause), `${r.failure.clause} is not ${clause}\n${r.failure.scenario}`);
    assert.match(r.failure.scenario, new RegExp(`@${r.failure.clause}`));
  });
}

let support: Awaited<ReturnType<typeof runInProcess>>['support'] | undefined; // step definitions load once per process
const PASTED: ['vfio-migration' | 'mdev' | 'virtio-legacy', string][] = [
  ['vfio-migration', 'fd-not-ended-on-leaving-stopcopy'],
  ['mdev', 'mdev-uuid-freed-while-blocked'],
  ['virtio-legacy', 'list-use-failure-applies'],
  ['virtio-legacy', 'bar0-end-off-by-one'],
];
for (const [area, mutant] of PASTED) {
  test(`${area}: a shrunk counterexample replays from its seed and path, and as a pasted scenario fails on ${mutant} and passes on the reference`, async () => {
    const found = await explore({ ...BOUNDS, area, runs: 100, env: target({ TCK_MUTANT: mutant }) });
    assert.ok(found.failure);
    const replayed = await explore({ ...BOUNDS, area, runs: 100, seed: found.failure.seed, path: found.failure.path, replayPath: found.failure.replayPath, env: target({ TCK_MUTANT: mutant }) });
    assert.equal(replayed.failure?.scenario, found.failure.scenario);

    const dir = mkdtempSync(join(tmpdir(), 'vfio-tck-explore-'));
    const file = join(dir, 'explored.feature');
    writeFileSync(file, featureOf(area, found.failure.scenario));
    process.env.TCK_REPORTS_DIR = dir;
    const run = async (mutantId: string | undefined) => {
      if (mutantId) process.env.TCK_MUTANT = mutantId;
      else delete process.env.TCK_MUTANT;
      try {
        const result = await runInProcess({ paths: [file], formats: [], support });
        support = result.support;
        return result.outcomes;
      } finally {
        delete process.env.TCK_MUTANT;
      }
    };
    const onMutant = await run(mutant);
    assert.deepEqual(onMutant.map((o) => o.status), ['failed'], `${found.failure.scenario}\n${onMutant[0]?.message ?? ''}`);
    const onReference = await run(undefined);
    assert.deepEqual(onReference.map((o) => o.status), ['passed'], `${found.failure.scenario}\n${onReference[0]?.message ?? ''}`);
  });
}
