// The edges of a run: report paths that cannot be directories give one line
// and exit 2 (no spin, no stack trace); a reports directory in use by a live
// run is refused, one left by a dead run is taken over; SIGTERM halfway stops
// the adapter, writes the reports of what finished marked interrupted, and
// exits 143.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCK_FILE } from '../support/cli/run-guard';

const work = mkdtempSync(join(tmpdir(), 'vfio-tck-guard-'));
after(() => rmSync(work, { recursive: true, force: true }));
const FEATURE = 'features/mdev/08-class-id-proposal.feature';
const ARGV = ['-r', 'ts-node/register', 'support/cli/conformance.ts', '--no-html'];
const clean = () => ({ ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TCK_'))), TS_NODE_TRANSPILE_ONLY: 'true' });
// A hang would be a defect: the bound only keeps the test from waiting for ever.
const run = (reports: string) => spawnSync(process.execPath, [...ARGV, '--reports', reports, FEATURE], { encoding: 'utf8', env: clean(), timeout: 120_000 });

test('a report path that cannot be a directory is one line and exit 2', () => {
  writeFileSync(join(work, 'a-file'), '');
  for (const [path, why] of [[join(work, 'a-file', 'sub'), /a-file is not a directory \(ENOTDIR\)/], ['/proc/vfio-tck-guard', /cannot create \/proc\/vfio-tck-guard \(ENOENT\)/]] as const) {
    const r = run(path);
    assert.equal(r.status, 2, `${path}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, why);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});

test('a reports directory held by a live run is refused; a dead run\'s lock is taken over', () => {
  const dir = join(work, 'locked');
  mkdirSync(dir);
  writeFileSync(join(dir, LOCK_FILE), `${process.pid}\n`); // this test process is alive
  const refused = run(dir);
  assert.equal(refused.status, 2, refused.stdout + refused.stderr);
  assert.match(refused.stderr, new RegExp(`another run \\(process ${process.pid}\\) is writing these reports`));
  assert.ok(!existsSync(join(dir, 'summary.json')), 'nothing written');

  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
  writeFileSync(join(dir, LOCK_FILE), `${dead}\n`);
  const taken = run(dir);
  assert.equal(taken.status, 0, taken.stdout + taken.stderr);
  assert.ok(existsSync(join(dir, 'summary.json')));
  assert.ok(!existsSync(join(dir, LOCK_FILE)), 'the lock goes with the run');
});

function processesOf(reports: string): number[] {
  const mine: number[] = [];
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      if (readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`TCK_REPORTS_DIR=${reports}`)) mine.push(Number(pid));
    } catch {
      // gone, or not ours to read
    }
  }
  return mine;
}

test('SIGTERM halfway: adapter stopped, reports of what finished marked interrupted, exit 143', { skip: !existsSync('/proc/self/environ') && 'needs /proc' }, async () => {
  const reports = join(work, 'interrupted');
  const child = spawn(process.execPath, [...ARGV, '--reports', reports, '--adapter', join('adapters', 'reference', 'vfio-tck-reference-adapter')], { env: clean() });
  let output = '';
  let runningBefore: number[] = [];
  const code = await new Promise<number | null>((resolve) => {
    let sent = false;
    const onData = (d: Buffer) => {
      output += d.toString();
      // The first progress line (a tenth of the run): some scenarios have run.
      if (!sent && /^vfio-tck: [1-9]\d*\/\d+ scenarios \(\d+ %\)/m.test(output)) {
        sent = true;
        runningBefore = processesOf(reports);
        child.kill('SIGTERM');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (c) => resolve(c));
  });
  assert.equal(code, 143, output.slice(-2000));
  assert.match(output, /interrupted by SIGTERM/);
  const summary = JSON.parse(readFileSync(join(reports, 'summary.json'), 'utf8'));
  assert.equal(summary.interrupted, 'SIGTERM');
  assert.ok(summary.scenarios.length > 0, 'what finished is reported');
  const certificate = JSON.parse(readFileSync(join(reports, 'certificate.json'), 'utf8'));
  assert.equal(certificate.verdict, 'no verdict');
  assert.ok(runningBefore.length >= 1, 'the adapter was found running before the signal');
  assert.deepEqual(processesOf(reports), [], 'no adapter process left');
  assert.ok(!existsSync(join(reports, LOCK_FILE)));
});
