// Gating on a baseline: a baseline written from a run gates the same run to 0;
// an injected regression (a mutant) exits non-zero and is named; a failure the
// baseline foresaw that passes is an unexpected pass; diff-reports lists the
// new failures between two runs. Plus the file format's errors.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judge, loadBaseline } from '../support/report/baseline';
import type { Summary } from '../support/report/summary';
import type { ScenarioOutcome } from '../support/report/outcomes';

const work = mkdtempSync(join(tmpdir(), 'vfio-tck-baseline-'));
after(() => rmSync(work, { recursive: true, force: true }));
const FEATURES = ['features/mdev/02-create.feature', 'features/mdev/08-class-id-proposal.feature'];
const MUTANT = 'mdev-create-accepts-braces';

function node(script: string, args: string[], env: Record<string, string> = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TCK_')));
  const run = spawnSync(process.execPath, ['-r', 'ts-node/register', script, ...args], { encoding: 'utf8', env: { ...clean, TS_NODE_TRANSPILE_ONLY: 'true', ...env } });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}
const conformance = (reports: string, args: string[], env?: Record<string, string>) =>
  node('support/cli/conformance.ts', ['--no-html', '--reports', join(work, reports), ...args, ...FEATURES], env);

test('a baseline gates on regressions and unexpected passes only', () => {
  const clean = join(work, 'clean.yaml');
  const written = conformance('ref', ['--write-baseline', clean]);
  assert.equal(written.status, 0, written.output);
  assert.match(written.output, /wrote .*clean\.yaml: \d+ expectation\(s\)/);
  assert.ok(loadBaseline(clean).expectations.some((e) => e.expect === 'skip'), 'the proposal scenarios are skipped and written down');

  const same = conformance('ref-again', ['--baseline', clean]);
  assert.equal(same.status, 0, same.output);
  assert.match(same.output, /0 regression\(s\), 0 unexpected pass\(es\)/);

  const regressed = conformance('mutant', ['--baseline', clean], { TCK_MUTANT: MUTANT });
  assert.equal(regressed.status, 1, regressed.output);
  assert.match(regressed.output, /REGRESSION features\/mdev\/02-create\.feature:\d+ .*: failed: /);

  const broken = join(work, 'broken.yaml');
  assert.equal(conformance('mutant-2', ['--write-baseline', broken], { TCK_MUTANT: MUTANT }).status, 1);
  assert.ok(loadBaseline(broken).expectations.some((e) => e.expect === 'fail'));
  const fixed = conformance('fixed', ['--baseline', broken]);
  assert.equal(fixed.status, 1, fixed.output);
  assert.match(fixed.output, /UNEXPECTED PASS features\/mdev\/02-create\.feature:\d+ .*expected to fail/);
  assert.doesNotMatch(fixed.output, /REGRESSION/);

  const diff = node('support/cli/diff-reports.ts', [join(work, 'ref'), join(work, 'mutant')]);
  assert.equal(diff.status, 1, diff.output);
  assert.match(diff.output, /new failures: [1-9]/);
  const back = node('support/cli/diff-reports.ts', [join(work, 'mutant'), join(work, 'ref')]);
  assert.equal(back.status, 0, back.output);
  assert.match(back.output, /new failures: 0\n[\s\S]*fixes: [1-9]/);
});

test('a bad baseline is refused with what is wrong, before any report is written', () => {
  const file = join(work, 'bad.yaml');
  writeFileSync(file, 'expectations:\n  - clause: C-MIG-084\n    expect: pass\n');
  const run = conformance('never', ['--baseline', file]);
  assert.equal(run.status, 2, run.output);
  assert.match(run.output, /baseline .*bad\.yaml: expectations\.0\.expect: .*; expectations\.0\.reason: /);
  assert.throws(() => loadBaseline(join(work, 'missing.yaml')), /cannot read it \(ENOENT\)/);
  writeFileSync(file, 'expectations:\n  - clause: C-MIG-084\n    feature: x\n    scenario: y\n    expect: fail\n    reason: r\n');
  assert.throws(() => loadBaseline(file), /name either a clause, or a feature and a scenario/);
});

test('kernel and architecture limits decide whether an expectation applies', () => {
  const outcome: ScenarioOutcome = { name: 's', uri: 'f', line: 1, area: 'vfio-migration', clauses: ['C-MIG-084'], tags: [], level: 'uapi', status: 'failed', message: 'x' };
  const summary = (kernel: string, arch = 'x86_64') => ({
    implementation: { name: 'i', version: '1', platform: { arch, byte_order: 'little', kernel }, roles: [] },
    scenarios: [outcome],
  }) as unknown as Summary;
  const baseline = { expectations: [{ clause: 'C-MIG-084', expect: 'fail' as const, reason: 'r', kernel: '>=6.12 <6.13', arch: ['x86_64'] }] };
  const regressions = (kernel: string, arch?: string) => judge(summary(kernel, arch), baseline).regressions.length;
  assert.equal(regressions('6.11.9'), 1, 'below the lower bound');
  assert.equal(regressions('6.12.0'), 0, 'at the lower bound');
  assert.equal(regressions('6.12.999'), 0, 'just below the upper bound');
  assert.equal(regressions('6.13.0'), 1, 'at the upper bound');
  assert.equal(regressions('6.12.5', 'aarch64'), 1, 'another architecture');
});
