// An implementation whose mdev parents are none of the samples, driven over
// the adapter protocol: the reference adapter with the vendor-mdev variant
// (acme-gpu0 counted by the core, nvx0 counted by its driver). Every
// driver-neutral mdev scenario must run on its own parents and pass; the
// only ones not applicable are the samples' profiles and what no parent of
// it can show (with their reasons).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInProcess } from '../support/cli/in-process';
import { profileOf } from '../support/clauses/scenarios';

const reports = mkdtempSync(join(tmpdir(), 'vfio-tck-vendor-mdev-'));
process.env.TCK_REPORTS_DIR = reports;
after(() => {
  delete process.env.TCK_VARIANT;
  rmSync(reports, { recursive: true, force: true });
});

test('every driver-neutral mdev scenario runs and passes on vendor parents behind an adapter', async () => {
  process.env.TCK_VARIANT = 'vendor-mdev'; // the adapter process inherits it
  const run = await runInProcess({ paths: ['features/mdev/**/*.feature'], formats: [], target: { adapter: join('adapters', 'reference', 'vfio-tck-reference-adapter') } });
  const neutral = run.outcomes.filter((o) => !profileOf(o.tags));
  const show = (o: { uri: string; line: number; name: string; status: string; message?: string }) => `${o.uri}:${o.line} ${o.name}: ${o.status} ${o.message ?? ''}`;
  assert.deepEqual(run.outcomes.filter((o) => o.status === 'failed' || o.status === 'broken').map(show), []);
  // What may be not applicable on any implementation: untestable clauses, other kernels, the 2019
  // proposal, and a migratable mdev (these parents' mdevs do not migrate).
  const allowed = /cannot be observed through the contract|holds for kernels|proposal|whose mdevs migrate/;
  assert.deepEqual(neutral.filter((o) => o.status === 'skipped' && !allowed.test(o.message ?? '')).map(show), []);
  assert.ok(neutral.filter((o) => o.status === 'passed').length >= 90, `${neutral.filter((o) => o.status === 'passed').length} driver-neutral scenarios passed`);
  const declared = run.outcomes.map((o) => /it declares: ([^)]*)\)/.exec(o.message ?? '')?.[1]).find(Boolean) ?? '';
  assert.match(declared, /acme_vgpu, nvx_vfio/, 'the profile skips name the declared drivers');
  assert.doesNotMatch(declared, /\b(mtty|mdpy|mbochs)\b/, 'the implementation declared no sample');
});
