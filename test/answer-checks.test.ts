// A lying adapter cannot earn a pass: test/fake-adapters/lying-proxy.js sits
// in front of the reference adapter and changes one field of one kind of
// answer. Every scenario it lied in must end broken (the lie refused, with the
// field named) or failed, never passed; a lie that makes a step not
// applicable may skip it. Each lie runs against features whose scenarios rely
// on the field it changes: where the uAPI lets a driver choose (any errno for
// a failed resume, say) a changed value is a truthful answer of another
// driver, which no check may refuse.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ISupportCodeLibrary } from '@cucumber/cucumber/api';
import { SESSION_ENV } from '../support/adapter/process';
import { runInProcess } from '../support/cli/in-process';
import { exitCodeOf, count, EXIT } from '../support/report/verdict';

const scratch = mkdtempSync(join(tmpdir(), 'vfio-tck-lies-'));
process.env.TCK_REPORTS_DIR = scratch;
after(() => rmSync(scratch, { recursive: true, force: true }));

let support: ISupportCodeLibrary | undefined;

const MIG = 'features/vfio-migration';
const MDEV = 'features/mdev';

async function lieIn(lie: string, paths: string[], { every = false, field }: { every?: boolean; field?: RegExp } = {}) {
  const file = join(scratch, `${lie}.lies`);
  rmSync(file, { force: true });
  const run = await runInProcess({
    paths,
    formats: [],
    support,
    target: { adapter: ['node', 'test/fake-adapters/lying-proxy.js', lie, file, ...(every ? ['every'] : [])].join(' '), settings: { callTimeoutMs: 5000 } },
  });
  support = run.support;
  const lied = new Map((existsSync(file) ? readFileSync(file, 'utf8') : '').split('\n').filter(Boolean).map((l) => l.split('\t') as [string, string]));
  assert.ok(lied.size > 0, `the proxy told no ${lie} lie`);
  const withLie = run.outcomes.filter((o) => lied.has(o.name));
  for (const o of withLie) {
    assert.notEqual(o.status, 'passed', `${o.uri} ${o.name} passed with a lie in ${lied.get(o.name)}`);
    if (o.status === 'broken' && field) assert.match(o.message ?? '', field, `${o.name}`);
  }
  return { outcomes: run.outcomes, withLie };
}

test('a successful ioctl answered with ret -1 is refused, naming ret', async () => {
  const { withLie } = await lieIn('ret', [`${MIG}/08-feature-ioctl.feature`, `${MIG}/04-errors-and-reset.feature`], { field: /ret is -1 for a successful call/ });
  assert.ok(withLie.every((o) => o.status === 'broken'));
});

test('an errno turned into another fails every scenario that names the errno', async () => {
  await lieIn('errno', [`${MIG}/08-feature-ioctl.feature`, `${MDEV}/04-remove.feature`]);
});

test('an errno turned into "unsupported" skips or breaks, and the run is not conformant', async () => {
  const { outcomes, withLie } = await lieIn('unsupported', [`${MIG}/08-feature-ioctl.feature`, `${MDEV}/04-remove.feature`]);
  const inconsistent = withLie.filter((o) => o.status === 'broken');
  assert.ok(inconsistent.length > 0);
  for (const o of inconsistent) assert.match(o.message ?? '', /inconsistent support: .* was answered with a result or an errno in scenario ".+" and is now answered unsupported/);
  assert.equal(exitCodeOf(count(outcomes)), EXIT.broken);
});

test('a byte of a read changed fails the scenario that reads it', async () => {
  await lieIn('byte', [`${MDEV}/02-create.feature`, `${MDEV}/04-remove.feature`], { every: true });
});

test('a user address answered in hex is refused, naming addr', async () => {
  const { withLie } = await lieIn('hex-addr', [`${MIG}/10-dma-logging.feature`], { field: /addr: a u64 travels as a decimal string/ });
  assert.ok(withLie.every((o) => o.status === 'broken'));
});

test('a write swallowed and answered as done fails where the scenario relies on its effect', async () => {
  await lieIn('swallow', [`${MDEV}/02-create.feature`, `${MDEV}/04-remove.feature`, `${MIG}/04-errors-and-reset.feature`, `${MIG}/08-feature-ioctl.feature`]);
});

test('invalid UTF-8 in a sysfs_list entry is refused, naming the answer', async () => {
  const { withLie } = await lieIn('utf8', [`${MDEV}/01-parents-and-types.feature`], { field: /the answer to request id \d+ \(sysfs_list\) is not UTF-8/ });
  assert.ok(withLie.every((o) => o.status === 'broken'));
});

// Processes started by this test process's adapters that are still alive (the
// suite marks each adapter's environment with its session).
function leftRunning(): string[] {
  const mark = `${SESSION_ENV}=${process.pid}-`;
  return readdirSync('/proc').filter((pid) => /^\d+$/.test(pid)).flatMap((pid) => {
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').some((v) => v.startsWith(mark))) return [];
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z') ? [] : [`${pid}: ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')}`];
    } catch {
      return [];
    }
  });
}

test('a schema-valid 5 MiB sysfs_read answer is checked without a stack overflow and fails the scenario that reads it', async () => {
  const { withLie } = await lieIn('huge', [`${MDEV}/01-parents-and-types.feature`]);
  for (const o of withLie) {
    assert.equal(o.status, 'failed', `${o.name}: ${o.status} (${o.message ?? ''})`);
    assert.doesNotMatch(o.message ?? '', /call stack/);
  }
  assert.deepEqual(leftRunning(), []);
});

// The line comes while the next scenario begins: the scenario before is
// broken after the fact, the scenario beginning is not blamed.
for (const [lie, said] of [['duplicate', /a second answer to request id \d+, answered already/], ['ahead', /an answer to request id \d+, which the suite had not sent/]] as const) {
  test(`an answer ${lie === 'duplicate' ? 'sent twice' : 'sent ahead of its request'} breaks the scenario it belongs to, never the next one`, async () => {
    const { outcomes, withLie } = await lieIn(lie, [`${MDEV}/01-parents-and-types.feature`]);
    for (const o of withLie) {
      assert.equal(o.status, 'broken', `${o.name}: ${o.status} (${o.message ?? ''})`);
      assert.match(o.message ?? '', said);
    }
    const innocent = outcomes.filter((o) => !withLie.includes(o));
    assert.ok(innocent.some((o) => o.status === 'passed'), 'the scenarios after a lie run as usual');
    for (const o of innocent) assert.notEqual(o.status, 'broken', `${o.name}: ${o.message ?? ''}`);
    assert.deepEqual(leftRunning(), []);
  });
}
