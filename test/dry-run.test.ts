// --dry-run lists every scenario of the selection with its clauses, level and
// applicability, decided as a real run decides it, and writes no report.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScenarioOutcome } from '../support/report/outcomes';
import { scenarioKey } from '../support/report/outcomes';

const work = mkdtempSync(join(tmpdir(), 'vfio-tck-dry-'));
after(() => rmSync(work, { recursive: true, force: true }));
const FEATURES = ['features/mdev/05-parent-unregistration.feature', 'features/mdev/08-class-id-proposal.feature', 'features/vfio-migration/09-data-size.feature'];
const conformance = (...args: string[]) => spawnSync(process.execPath, ['-r', 'ts-node/register', 'support/cli/conformance.ts', ...args, ...FEATURES], {
  encoding: 'utf8', env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TCK_'))), TS_NODE_TRANSPILE_ONLY: 'true' },
});

test('a dry run lists what a real run would do with each scenario, and writes nothing', () => {
  const dry = conformance('--dry-run', '--reports', join(work, 'never'));
  assert.equal(dry.status, 0, dry.stderr);
  assert.ok(!existsSync(join(work, 'never')), 'no reports directory');
  const listed = new Map<string, string>();
  for (const line of dry.stdout.split('\n')) {
    const m = /^(\S+:\d+) .* \[(C-[A-Z]+-\d{3}[^;]*); (uAPI rule|profile \S+)\]: (would run|not applicable: .+|untestable: .+)$/.exec(line);
    if (m) listed.set(m[1], m[4]);
  }
  const real = conformance('--no-html', '--reports', join(work, 'real'));
  assert.equal(real.status, 0, real.stderr);
  const scenarios = (JSON.parse(readFileSync(join(work, 'real', 'summary.json'), 'utf8')) as { scenarios: ScenarioOutcome[] }).scenarios;
  assert.equal(listed.size, scenarios.length, 'every scenario listed once');
  for (const o of scenarios) {
    const said = listed.get(scenarioKey(o));
    if (said === 'would run') assert.ok(o.status === 'passed' || o.status === 'skipped', `${scenarioKey(o)} would run, and ran: ${o.status}`);
    else if (o.status === 'untestable') assert.equal(said, `untestable: ${o.message}`);
    else assert.equal(said, `not applicable: ${o.message}`, scenarioKey(o));
  }
  assert.ok([...listed.values()].some((v) => v === 'would run') && [...listed.values()].some((v) => v.startsWith('not applicable')));
  assert.match(dry.stdout, /^vfio-tck dry run: \d+ scenarios: \d+ would run, \d+ not applicable, \d+ untestable$/m);
});
