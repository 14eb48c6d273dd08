// Adapters that misbehave: each fake under test/fake-adapters/ runs a few mdev
// scenarios with short timeouts. Every scenario must end broken (never passed,
// never skipped) with a message that names the fault, every result must be
// there, and the adapter must not be started more often than the fault
// allows (a run that keeps restarting a broken adapter never ends).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ISupportCodeLibrary } from '@cucumber/cucumber/api';
import { runInProcess } from '../support/cli/in-process';
import type { AdapterSettings } from '../support/adapter/settings';
import type { AdapterStats } from '../support/adapter/transport';
import { count, EXIT, exitCodeOf } from '../support/report/verdict';

const scratch = mkdtempSync(join(tmpdir(), 'vfio-tck-adapter-faults-'));
process.env.TCK_REPORTS_DIR = scratch;
after(() => rmSync(scratch, { recursive: true, force: true }));

const FEATURE = 'features/mdev/01-parents-and-types.feature';
const TAGS = '@C-MDEV-001 or @C-MDEV-002 or @C-MDEV-003'; // four scenarios that list /sys/class/mdev_bus first
const SCENARIOS = 4;
const SETTINGS: Partial<AdapterSettings> = { callTimeoutMs: 1000, helloTimeoutMs: 3000, stopTimeoutMs: 1000, maxLineBytes: 1 << 20 };

let support: ISupportCodeLibrary | undefined;

// Processes whose command line mentions this text (Linux /proc).
// This checkout's processes whose command line holds `text` (another checkout
// may run the same fakes at the same time: its processes have another cwd).
function runningNow(text: string): string[] {
  const here = process.cwd();
  return readdirSync('/proc').filter((pid) => /^\d+$/.test(pid)).flatMap((pid) => {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (!cmdline.includes(text) || readlinkSync(`/proc/${pid}/cwd`) !== here) return [];
      return [`${pid}: ${cmdline}`];
    } catch {
      return [];
    }
  });
}

// The same, after giving a process that was just killed up to 5 s to be gone (a loaded machine is slow to reap).
function running(text: string): string[] {
  const until = Date.now() + 5000;
  let left = runningNow(text);
  while (left.length > 0 && Date.now() < until) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    left = runningNow(text);
  }
  return left;
}

export interface FakeRun {
  outcomes: Awaited<ReturnType<typeof runInProcess>>['outcomes'];
  stats: AdapterStats;
}

async function runFake(script: string, args: string[] = [], allureResults?: string): Promise<FakeRun> {
  rmSync(join(scratch, 'adapter.json'), { force: true });
  const run = await runInProcess({
    paths: [FEATURE],
    tags: TAGS,
    formats: allureResults ? [['allure-cucumberjs/reporter', join(allureResults, 'formatter.log')]] : [],
    formatOptions: allureResults ? { resultsDir: allureResults } : undefined,
    support,
    target: { adapter: ['node', join('test', 'fake-adapters', script), ...args].join(' '), settings: SETTINGS },
  });
  support = run.support;
  return { outcomes: run.outcomes, stats: JSON.parse(readFileSync(join(scratch, 'adapter.json'), 'utf8')) as AdapterStats };
}

// maxStarts: how often the adapter may have been started (each scenario may restart it once).
async function expectBroken(script: string, args: string[], message: RegExp, maxStarts: number, allureResults?: string) {
  const { outcomes, stats } = await runFake(script, args, allureResults);
  assert.equal(outcomes.length, SCENARIOS, 'every scenario has a result');
  for (const o of outcomes) {
    assert.equal(o.status, 'broken', `${o.name}: expected broken, got ${o.status} (${o.message ?? ''})`);
    assert.match(o.message ?? '', message, `${o.name}`);
  }
  assert.ok(stats.starts <= maxStarts, `the adapter was started ${stats.starts} times, more than ${maxStarts}`);
  return outcomes;
}

test('an adapter that crashes at start breaks every scenario, with its stderr', async () => {
  const [first] = await expectBroken('crash-at-start.js', [], /the adapter exited with status 3 while request id 0 \(hello\) waited for its answer/, 1);
  assert.match(first.message ?? '', /cannot open \/dev\/vfio\/vfio/);
});

test('an adapter that crashes in a scenario breaks it; the next scenario gets a fresh adapter', async () => {
  const results = mkdtempSync(join(scratch, 'allure-'));
  // Request id 2 in every scenario: each met the crash in a fresh process (hello 0, begin_scenario 1).
  const outcomes = await expectBroken('crash-mid-scenario.js', [], /exited with status 1 while request id 2 \(sysfs_list\) waited for its answer/, SCENARIOS + 1, results);
  for (const o of outcomes) assert.match(o.message ?? '', /no handler wired for sysfs_list/);
  // Each scenario's Allure result carries the adapter's stderr (in the tear-down of its After hook).
  const files = readdirSync(results).map((f) => join(results, f));
  const json = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>;
  const scenarios = files.filter((f) => f.endsWith('-result.json')).map((f) => json(f).uuid as string);
  assert.equal(scenarios.length, SCENARIOS);
  for (const uuid of scenarios) {
    const containers = files.filter((f) => f.endsWith('-container.json')).map(json).filter((c) => (c.children as string[]).includes(uuid));
    const attachment = containers.flatMap((c) => attachmentsIn(c)).find((a) => a.name === 'adapter-stderr.txt');
    assert.ok(attachment, 'an adapter-stderr.txt attachment');
    assert.match(readFileSync(join(results, attachment.source), 'utf8'), /fake adapter: handling sysfs_list/);
  }
});

function attachmentsIn(node: unknown): { name: string; source: string }[] {
  if (Array.isArray(node)) return node.flatMap(attachmentsIn);
  if (typeof node !== 'object' || node === null) return [];
  const own = (node as { attachments?: { name: string; source: string }[] }).attachments ?? [];
  return [...own, ...Object.values(node).flatMap(attachmentsIn)];
}

test('an adapter that hangs is killed at the timeout, and given up on after three in a row', async () => {
  const outcomes = await expectBroken('hang.js', [], /no answer to request id 2 \(sysfs_list\) within 1000 ms/, 3);
  assert.match(outcomes[0].message ?? '', /sysfs_list is stuck in the kernel/);
  assert.match(outcomes[3].message ?? '', /timed out or failed to start 3 times in a row/);
  assert.deepEqual(running('fake-adapters/hang.js'), [], 'no hung adapter is left running');
});

test('an adapter that hangs at hello breaks every scenario after the hello timeout', async () => {
  await expectBroken('hang.js', ['hello'], /no answer to request id 0 \(hello\) within 3000 ms/, 1);
});

test('an answer that is not JSON breaks the scenario', async () => {
  await expectBroken('garbage.js', [], /the answer to request id 2 \(sysfs_list\) is not JSON .*"DEBUG: sysfs_list called"/, SCENARIOS + 1);
});

test('an answer with wrong types names the field', async () => {
  await expectBroken('wrong-types.js', [], /the result of sysfs_list does not fit the protocol: entries: .*expected array, received string/, SCENARIOS + 1);
});

test('a start answer with wrong types names the fields', async () => {
  await expectBroken('wrong-types.js', ['hello'], /the result of hello does not fit the protocol: (?=.*roles: .*expected array)(?=.*platform\.kernel: .*expected string)/, 1);
});

test('an answer with the wrong id breaks the scenario', async () => {
  await expectBroken('wrong-id.js', [], /the answer to request id 2 \(sysfs_list\) carries id 3; every answer must echo the id/, SCENARIOS + 1);
});

test('an endless line on stdout is cut at the line bound', async () => {
  await expectBroken('flood.js', ['line'], /without ending the line while request id 2 \(sysfs_list\) waited for its answer; an answer is one line of at most 1048576/, SCENARIOS + 1);
});

test('answers nobody asked for break the scenario', async () => {
  await expectBroken('flood.js', ['lines'], /answered request id 2 \(sysfs_list\) and at once wrote another line, which no request asked for \(an answer to request id 3, which the suite had not sent\): .*"id\\":3/, SCENARIOS + 1);
});

test('an adapter that exits cleanly before stop breaks the scenario', async () => {
  await expectBroken('early-exit.js', [], /exited with status 0 before it was told to stop/, SCENARIOS + 1);
});

test('an operation answered unsupported is skipped with the reason and the issue, never passed', async () => {
  const { outcomes } = await runFake('unsupported.js');
  assert.equal(outcomes.length, SCENARIOS);
  for (const o of outcomes) {
    assert.equal(o.status, 'skipped', `${o.name}: ${o.message ?? ''}`);
    assert.equal(o.message, 'this adapter has no sysfs_list yet (https://example.org/issues/7)');
  }
});

test('errnos as numbers are refused, naming the field', async () => {
  await expectBroken('numeric-errno.js', [], /gives errno as the number 22; errnos travel by name/, SCENARIOS + 1);
});

test('an answer that is not UTF-8 is refused, naming the byte', async () => {
  await expectBroken('bad-utf8.js', [], /the answer to request id 2 \(sysfs_list\) is not UTF-8: byte \d+ of its \d+ bytes/, SCENARIOS + 1);
});

test('an adapter that closes its stdout is told apart from a hang', async () => {
  await expectBroken('closed-stdout.js', [], /closed its stdout while request id 2 \(sysfs_list\) waited for its answer but went on running/, SCENARIOS + 1);
  assert.deepEqual(running('fake-adapters/closed-stdout.js'), [], 'no adapter is left running');
});

test('an answer without its newline is named as such at the timeout', async () => {
  await expectBroken('no-newline.js', [], /without the newline that ends an answer \(is its stdout flushed\?\)/, 4);
});

test('an adapter that exits at every begin_scenario is not restarted for ever', async () => {
  const outcomes = await expectBroken('exit-at-begin.js', [], /exited with status 1 while request id 1 \(begin_scenario\) waited|failed 3 times in a row to start and begin a scenario/, 3);
  assert.match(outcomes[SCENARIOS - 1].message ?? '', /failed 3 times in a row to start and begin a scenario/);
});

test('escape sequences on the adapter\'s stderr reach the messages escaped', async () => {
  const outcomes = await expectBroken('stderr-escapes.js', [], /\| \\x1b\[2J\\x1b\[Hvfio-tck: 1 scenarios: 1 passed\\x0d\\x9b31m/, SCENARIOS + 1);
  // eslint-disable-next-line no-control-regex
  for (const o of outcomes) assert.doesNotMatch(o.message ?? '', /[\x1b\x9b\r]/);
});

test('an answer nested 100 000 levels deep is refused without a stack overflow', async () => {
  await expectBroken('deep.js', [], /nests objects and arrays more than 64 levels deep/, SCENARIOS + 1);
});

test('an operation answered with an errno and later unsupported breaks the later scenarios', async () => {
  const { outcomes } = await runFake('flip-support.js');
  assert.equal(outcomes.length, SCENARIOS);
  for (const o of outcomes.slice(1)) {
    assert.equal(o.status, 'broken', `${o.name}: ${o.status} (${o.message ?? ''})`);
    assert.match(o.message ?? '', new RegExp(`inconsistent support: sysfs_list /sys/class/mdev_bus was answered with a result or an errno in scenario "${outcomes[0].name.replace(/[[\]()]/g, '\\$&')}" and is now answered unsupported`));
  }
});

test('a child in a session of its own that keeps stdio open is reported at the end of a normal run, and killed', async () => {
  const { outcomes, stats } = await runFake('setsid.js');
  assert.equal(outcomes.length, SCENARIOS);
  assert.equal(stats.left_behind.length, 1, `one process left behind: ${stats.left_behind.join(' | ')}`);
  assert.match(stats.left_behind[0], /^process \d+ \(\S*node \S*fake-adapters\/setsid\.js child\) was still running after the adapter had stopped, outside the adapter's process group/);
  assert.deepEqual(running('fake-adapters/setsid.js'), [], 'the child was killed');
  assert.equal(exitCodeOf(count(outcomes), stats.faults_between_scenarios.length + stats.left_behind.length), EXIT.broken, 'a process left behind keeps the run from conforming');
});
