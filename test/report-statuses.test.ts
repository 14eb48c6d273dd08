// Every output of a run gives each scenario the same status: summary.json,
// the Allure results, junit.xml, results.ktap and the certificate. Checked on
// a run of the reference (passes, skips, untestable scenarios) and on an
// adapter run of a broken variant (failures too), each through the runner a
// user starts, so its exit code is checked as well.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALLURE_STATUS } from '../support/report/allure';
import { CLAUSES } from '../support/clauses';
import type { Certificate } from '../support/report/ci-outputs';
import { SCENARIO_LABEL, scenarioKey, type ScenarioOutcome, type Status } from '../support/report/outcomes';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function conformance(args: string[], env: Record<string, string> = {}): { dir: string; status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vfio-tck-statuses-'));
  dirs.push(dir);
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TCK_')));
  const run = spawnSync(process.execPath, ['-r', 'ts-node/register', 'support/cli/conformance.ts', '--no-html', '--reports', dir, ...args], {
    encoding: 'utf8', env: { ...clean, TS_NODE_TRANSPILE_ONLY: 'true', ...env },
  });
  return { dir, status: run.status, output: `${run.stdout}${run.stderr}` };
}

type Seen = Map<string, string>; // scenario key -> status as that output gives it

function fromAllure(dir: string): Seen {
  const seen: Seen = new Map();
  const results = join(dir, 'allure-results');
  for (const file of readdirSync(results).filter((f) => f.endsWith('-result.json'))) {
    const r = JSON.parse(readFileSync(join(results, file), 'utf8')) as { status: string; labels: { name: string; value: string }[] };
    const key = r.labels.find((l) => l.name === SCENARIO_LABEL)?.value;
    if (key) seen.set(key, r.status);
  }
  return seen;
}

function fromJunit(dir: string): Seen {
  const seen: Seen = new Map();
  const xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
  for (const [, body] of xml.matchAll(/<testcase ([\s\S]*?)<\/testcase>/g)) {
    const key = `${/file="([^"]+)"/.exec(body)![1]}:${/line="(\d+)"/.exec(body)![1]}`;
    const status = /<failure /.test(body) ? 'failed' : /<error /.test(body) ? 'broken'
      : /<skipped message="Untestable/.test(body) ? 'untestable' : /<skipped /.test(body) ? 'skipped' : 'passed';
    seen.set(key, status);
  }
  return seen;
}

function fromKtap(dir: string): Seen {
  const seen: Seen = new Map();
  for (const line of readFileSync(join(dir, 'results.ktap'), 'utf8').split('\n')) {
    const m = /^ {4}(not ok|ok) \d+ (\S+:\d+) /.exec(line);
    if (!m) continue;
    const skip = / # SKIP (not applicable|untestable): /.exec(line)?.[1];
    seen.set(m[2], m[1] === 'not ok' ? 'not ok' : skip === 'untestable' ? 'untestable' : skip ? 'skipped' : 'passed');
  }
  return seen;
}

// Each Allure result links every clause it checks to its catalog entry and,
// for a clause read from a kernel file, to that file at elixir.bootlin.com.
function checkAllureLinks(dir: string, scenarios: readonly ScenarioOutcome[]): void {
  const byKey = new Map(scenarios.map((o) => [scenarioKey(o), o]));
  const results = join(dir, 'allure-results');
  for (const file of readdirSync(results).filter((f) => f.endsWith('-result.json'))) {
    const r = JSON.parse(readFileSync(join(results, file), 'utf8')) as { labels: { name: string; value: string }[]; links?: { name: string; url: string }[] };
    const o = byKey.get(r.labels.find((l) => l.name === SCENARIO_LABEL)?.value ?? '');
    if (!o) continue;
    for (const id of o.clauses) {
      const entry = r.links?.find((l) => l.name === `${id} in the clause catalog`);
      assert.ok(entry && entry.url.endsWith(`/docs/catalog/${o.area}.md#${id.toLowerCase()}`), `${scenarioKey(o)} links ${id} to its catalog entry`);
      if (/^(drivers|include|samples)\//.test(CLAUSES[id].source)) {
        assert.ok(r.links?.some((l) => l.name.startsWith(`${id} source: `) && l.url.startsWith('https://elixir.bootlin.com/linux/v')), `${scenarioKey(o)} links ${id} to its source`);
      }
    }
  }
}

// KTAP has no "broken": a failed and a broken scenario are both "not ok".
const ktapOf = (s: Status) => (s === 'failed' || s === 'broken' ? 'not ok' : s);

function checkAgreement(dir: string): ScenarioOutcome[] {
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { scenarios: ScenarioOutcome[] };
  const expect = (map: (s: Status) => string) => new Map(summary.scenarios.map((o) => [scenarioKey(o), map(o.status)]));
  assert.deepEqual(fromAllure(dir), expect((s) => ALLURE_STATUS[s]), 'Allure results');
  checkAllureLinks(dir, summary.scenarios);
  assert.deepEqual(fromJunit(dir), expect((s) => s), 'junit.xml');
  assert.deepEqual(fromKtap(dir), expect(ktapOf), 'results.ktap');
  const totals = /^# Totals: pass:(\d+) fail:(\d+) xfail:0 xpass:0 skip:(\d+) error:(\d+)$/m.exec(readFileSync(join(dir, 'results.ktap'), 'utf8'));
  const n = (...s: Status[]) => String(summary.scenarios.filter((o) => s.includes(o.status)).length);
  assert.deepEqual(totals?.slice(1), [n('passed'), n('failed'), n('skipped', 'untestable'), n('broken')], 'the KTAP Totals line');
  // The certificate, clause by clause: passed, failed and broken counted, the
  // not applicable and untestable scenarios named.
  const certificate = JSON.parse(readFileSync(join(dir, 'certificate.json'), 'utf8')) as Certificate;
  for (const o of summary.scenarios) {
    for (const id of o.clauses) {
      const c = certificate.areas[o.area].clauses[id];
      if (o.status === 'skipped') assert.ok(c.not_applicable.some((s) => s.startsWith(`${scenarioKey(o)}: `)), `${id} names ${scenarioKey(o)} as not applicable`);
      if (o.status === 'untestable') assert.ok(c.untestable.some((s) => s.startsWith(`${scenarioKey(o)}: `)), `${id} names ${scenarioKey(o)} as untestable`);
    }
  }
  for (const [area, a] of Object.entries(certificate.areas)) {
    for (const [id, c] of Object.entries(a.clauses)) {
      const mine = summary.scenarios.filter((o) => o.area === area && o.clauses.includes(id));
      const k = (s: Status) => mine.filter((o) => o.status === s).length;
      assert.deepEqual([c.passed, c.failed, c.broken, c.not_applicable.length, c.untestable.length], [k('passed'), k('failed'), k('broken'), k('skipped'), k('untestable')], `certificate ${id}`);
    }
  }
  return summary.scenarios;
}

test('the reference run: every output agrees, untestable and skipped are never passed, exit 0', () => {
  const run = conformance(['features/mdev/05-parent-unregistration.feature', 'features/mdev/08-class-id-proposal.feature', 'features/vfio-migration/09-data-size.feature']);
  assert.equal(run.status, 0, run.output);
  const scenarios = checkAgreement(run.dir);
  const statuses = new Set(scenarios.map((o) => o.status));
  for (const s of ['passed', 'skipped', 'untestable'] as Status[]) assert.ok(statuses.has(s), `the run has ${s} scenarios to compare (${[...statuses]})`);
  assert.match(readFileSync(join(run.dir, 'certificate.md'), 'utf8'), /Verdict of the run: \*\*conforms\*\*/);
});

test('an adapter run of a broken variant: failures and skips agree everywhere, exit 1, the certificate says fails', () => {
  const run = conformance(['--adapter', join('adapters', 'reference', 'vfio-tck-reference-adapter'), 'features/mdev/02-create.feature', 'features/mdev/08-class-id-proposal.feature'],
    { TCK_MUTANT: 'mdev-create-accepts-braces', TCK_VARIANT: 'vendor-mdev' });
  assert.equal(run.status, 1, run.output);
  const scenarios = checkAgreement(run.dir);
  const statuses = new Set(scenarios.map((o) => o.status));
  for (const s of ['passed', 'failed', 'skipped'] as Status[]) assert.ok(statuses.has(s), `the run has ${s} scenarios to compare (${[...statuses]})`);
  const certificate = JSON.parse(readFileSync(join(run.dir, 'certificate.json'), 'utf8')) as Certificate;
  assert.equal(certificate.areas.mdev.verdict, 'fails');
  assert.equal(JSON.parse(readFileSync(join(run.dir, 'badge.json'), 'utf8')).color, 'red');
  assert.match(readFileSync(join(run.dir, 'badge.svg'), 'utf8'), /^<svg/);
});
