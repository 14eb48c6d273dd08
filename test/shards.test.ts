// Two shards of a run, merged, give the reports of the whole run: the same
// summary, certificate (but its date), JUnit, KTAP and Allure statuses. And
// merging is refused where it would lie (a scenario in two shards).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const work = mkdtempSync(join(tmpdir(), 'vfio-tck-shards-'));
after(() => rmSync(work, { recursive: true, force: true }));
const FEATURES = ['features/mdev/05-parent-unregistration.feature', 'features/vfio-migration/09-data-size.feature', 'features/mdev/08-class-id-proposal.feature'];

function node(script: string, args: string[]) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TCK_')));
  const run = spawnSync(process.execPath, ['-r', 'ts-node/register', script, ...args], { encoding: 'utf8', env: { ...clean, TS_NODE_TRANSPILE_ONLY: 'true' } });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}
const run = (dir: string, ...extra: string[]) => node('support/cli/conformance.ts', ['--no-html', '--reports', join(work, dir), ...extra, ...FEATURES]);
const read = (dir: string, file: string) => readFileSync(join(work, dir, file), 'utf8');
const json = (dir: string, file: string) => JSON.parse(read(dir, file));
const allureStatuses = (dir: string) => readdirSync(join(work, dir, 'allure-results')).filter((f) => f.endsWith('-result.json'))
  .map((f) => JSON.parse(readFileSync(join(work, dir, 'allure-results', f), 'utf8')) as { status: string; labels: { name: string; value: string }[] })
  .map((r) => `${r.labels.find((l) => l.name === 'vfio-tck.scenario')?.value} ${r.status}`).sort();

test('two shards merged equal the whole run', () => {
  assert.equal(run('whole').status, 0);
  const one = run('shard-1', '--shard', '1/2');
  const two = run('shard-2', '--shard', '2/2');
  assert.equal(one.status, 0, one.output);
  assert.equal(two.status, 0, two.output);
  const sizes = [json('shard-1', 'summary.json').scenarios.length, json('shard-2', 'summary.json').scenarios.length];
  assert.ok(sizes.every((n) => n > 0), `each shard ran something (${sizes})`);
  assert.equal(sizes[0] + sizes[1], json('whole', 'summary.json').scenarios.length);

  const merged = node('support/cli/merge-reports.ts', ['--out', join(work, 'merged'), join(work, 'shard-1'), join(work, 'shard-2')]);
  assert.equal(merged.status, 0, merged.output);
  assert.deepEqual(json('merged', 'summary.json'), json('whole', 'summary.json'));
  const undated = (c: { date?: string }) => ({ ...c, date: undefined });
  assert.deepEqual(undated(json('merged', 'certificate.json')), undated(json('whole', 'certificate.json')));
  for (const f of ['junit.xml', 'results.ktap', 'summary.md', 'badge.json']) assert.equal(read('merged', f), read('whole', f), f);
  assert.deepEqual(allureStatuses('merged'), allureStatuses('whole'));
});

test('merging refuses a scenario in two shards and a bad shard index', () => {
  const twice = node('support/cli/merge-reports.ts', ['--out', join(work, 'bad'), join(work, 'whole'), join(work, 'shard-1')]);
  assert.equal(twice.status, 2, twice.output);
  assert.match(twice.output, /is in both .* shards of one run never share a scenario/);
  const missing = node('support/cli/merge-reports.ts', ['--out', join(work, 'bad'), join(work, 'nowhere')]);
  assert.equal(missing.status, 2);
  assert.match(missing.output, /nowhere\/summary\.json: missing/);
  const index = run('never', '--shard', '3/2');
  assert.equal(index.status, 2);
  assert.match(index.output, /--shard 3\/2: expected <index>\/<total>/);
});
