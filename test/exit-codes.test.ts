// Each exit code of the README's table, produced by a real run of the runner a
// user starts (small subsets, run side by side), and check-departures, which
// CI calls after a failed kernel run, exiting as the run would.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../support/report/verdict';

const work = mkdtempSync(join(tmpdir(), 'vfio-tck-exit-'));
after(() => rmSync(work, { recursive: true, force: true }));

const CREATE = 'features/mdev/02-create.feature';
const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TCK_')));

function run(script: string, args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register', script, ...args], { env: { ...clean, TS_NODE_TRANSPILE_ONLY: 'true', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
const conformance = (name: string, args: string[], env: Record<string, string> = {}) =>
  run('support/cli/conformance.ts', ['--reports', join(work, name), ...(args.includes('--html') ? args.filter((a) => a !== '--html') : ['--no-html', ...args])], env);
const departures = (name: string) => run('support/cli/departures.ts', [join(work, name)]);

// A harness fault after the scenarios ran: summary.json cannot be written (it is a directory).
mkdirSync(join(work, 'harness', 'summary.json'), { recursive: true });

const NO_JAVA = join(work, 'no-java'); // an empty PATH
mkdirSync(NO_JAVA);

// Started at once; each test awaits its own.
const runs = {
  // With the HTML reports, but no Java on the PATH, so that Allure's is not built (it takes long).
  conformant: conformance('conformant', ['--html', '--tags', '@C-MDEV-013', CREATE], { PATH: NO_JAVA }),
  failed: conformance('failed', ['--tags', '@C-MDEV-014', CREATE], { TCK_MUTANT: 'mdev-name-keeps-case' }),
  usage: conformance('usage', ['--no-such-option', CREATE]),
  broken: conformance('broken', ['--adapter', 'node test/fake-adapters/crash-at-start.js', '--tags', '@C-MDEV-013', CREATE]),
  nothing: conformance('nothing', ['--tags', '@proposal:mdev-class-id', 'features/mdev/08-class-id-proposal.feature']),
  harness: conformance('harness', ['--tags', '@C-MDEV-013', CREATE]),
};
// check-departures on a run's reports, as soon as that run is over.
const gate = Object.fromEntries(['conformant', 'failed', 'broken', 'nothing'].map((name) =>
  [name, runs[name as keyof typeof runs].then(() => departures(name))]));
const COUNT_LINE = /^vfio-tck: (\d+) scenarios: (\d+) passed, (\d+) failed, (\d+) broken, (\d+) skipped \(not applicable\), (\d+) untestable$/m;
const counts = (stdout: string) => COUNT_LINE.exec(stdout)?.slice(1).map(Number);

test('0: the reference on a subset is conformant', async () => {
  const r = await runs.conformant;
  assert.equal(r.status, EXIT.conformant, r.stdout + r.stderr);
  const [total, passed] = counts(r.stdout) ?? [];
  assert.ok(passed > 0 && passed === total, r.stdout);
  assert.equal((await gate.conformant).status, EXIT.conformant, 'check-departures agrees');
  // Cucumber's HTML report, the living documentation, with this run's scenarios in it.
  assert.match(r.stdout, /^Living documentation: .*cucumber-report\.html$/m);
  assert.match(readFileSync(join(work, 'conformant', 'cucumber-report.html'), 'utf8'), /02 Creating an mdev/);
});

test('1: a mutant of the reference fails a scenario', async () => {
  const r = await runs.failed;
  assert.equal(r.status, EXIT.failed, r.stdout + r.stderr);
  assert.ok((counts(r.stdout)?.[2] ?? 0) > 0, r.stdout);
  assert.ok(!existsSync(join(work, 'failed', 'cucumber-report.html')), 'no HTML report with --no-html');
  const d = await gate.failed;
  assert.equal(d.status, EXIT.failed, `no recorded departure explains a mutant: ${d.stdout}`);
  assert.match(d.stdout, /^UNEXPECTED failed: features\/mdev\/02-create\.feature:\d+ /m);
});

test('2: an unknown option is a usage error, named, with the usage', async () => {
  const r = await runs.usage;
  assert.equal(r.status, EXIT.usage, r.stdout + r.stderr);
  assert.match(r.stderr, /--no-such-option/);
  assert.match(r.stderr, /^usage: npm run conformance/m);
});

test('3: an adapter that cannot start leaves every scenario broken', async () => {
  const r = await runs.broken;
  assert.equal(r.status, EXIT.broken, r.stdout + r.stderr);
  const [total, passed, failed, broken] = counts(r.stdout) ?? [];
  assert.ok(total > 0 && broken === total && passed === 0 && failed === 0, r.stdout);
  assert.equal((await gate.broken).status, EXIT.broken, 'check-departures: broken is no verdict');
});

test('3: an uncaught error of the harness itself (a report it cannot write) is broken, not a failure', async () => {
  const r = await runs.harness;
  assert.equal(r.status, EXIT.broken, r.stdout + r.stderr);
  assert.match(r.stderr, /the harness failed/);
  assert.match(r.stderr, /EISDIR/);
});

test('4: a run where every scenario was skipped is "nothing applicable", and check-departures says so too', async () => {
  const r = await runs.nothing;
  assert.equal(r.status, EXIT.nothingApplicable, r.stdout + r.stderr);
  const [total, passed, failed, broken, skipped] = counts(r.stdout) ?? [];
  assert.ok(total > 0 && skipped === total && passed + failed + broken === 0, r.stdout);
  const d = await gate.nothing;
  assert.equal(d.status, EXIT.nothingApplicable, d.stdout + d.stderr);
  assert.match(d.stdout, /no scenario passed/);
});
