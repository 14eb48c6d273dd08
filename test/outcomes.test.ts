// How scenario results are classified for the reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Envelope } from '@cucumber/messages';
import { OutcomeCollector } from '../support/report/outcomes';
import { SKIP_REASON_FILE } from '../support/world/skip';

function scenario(collector: OutcomeCollector, n: number, result: Record<string, unknown>, skipReason?: string) {
  const feed = (e: unknown) => collector.onMessage(e as Envelope);
  feed({ pickle: { id: `p${n}`, name: `s${n}`, uri: 'features/vfio-migration/x.feature', astNodeIds: [], tags: [{ name: '@C-MIG-001' }] } });
  feed({ testCase: { id: `t${n}`, pickleId: `p${n}` } });
  feed({ testCaseStarted: { id: `r${n}`, testCaseId: `t${n}` } });
  if (skipReason) feed({ attachment: { testCaseStartedId: `r${n}`, fileName: SKIP_REASON_FILE, body: `Not applicable: ${skipReason}` } });
  feed({ testStepFinished: { testCaseStartedId: `r${n}`, testStepResult: result } });
  feed({ testCaseFinished: { testCaseStartedId: `r${n}`, willBeRetried: false } });
}

test('assertions fail, other errors break, skips need a reason', () => {
  const c = new OutcomeCollector();
  scenario(c, 1, { status: 'PASSED' });
  scenario(c, 2, { status: 'FAILED', exception: { type: 'ConformanceAssertionError', message: 'expected EINVAL' } });
  scenario(c, 3, { status: 'FAILED', exception: { type: 'BrokenImplementation', message: 'result.fd: expected number' } });
  scenario(c, 4, { status: 'SKIPPED' }, 'the device advertises 0x1');
  scenario(c, 5, { status: 'SKIPPED' });
  scenario(c, 6, { status: 'UNDEFINED' });
  assert.deepEqual(c.outcomes.map((o) => o.status), ['passed', 'failed', 'broken', 'skipped', 'broken', 'broken']);
  assert.equal(c.outcomes[3].message, 'the device advertises 0x1');
  assert.deepEqual(c.outcomes[0].clauses, ['C-MIG-001']);
});

test('an @untestable skip is its own outcome; @profile:<driver> sets the level', () => {
  const c = new OutcomeCollector();
  const feed = (e: unknown) => c.onMessage(e as Envelope);
  const tagged = (n: number, tags: string[], result: Record<string, unknown>, reason?: string) => {
    feed({ pickle: { id: `p${n}`, name: `s${n}`, uri: 'features/mdev/x.feature', astNodeIds: [], tags: tags.map((name) => ({ name })) } });
    feed({ testCase: { id: `t${n}`, pickleId: `p${n}` } });
    feed({ testCaseStarted: { id: `r${n}`, testCaseId: `t${n}` } });
    if (reason) feed({ attachment: { testCaseStartedId: `r${n}`, fileName: SKIP_REASON_FILE, body: `Not applicable: ${reason}` } });
    feed({ testStepFinished: { testCaseStartedId: `r${n}`, testStepResult: result } });
    feed({ testCaseFinished: { testCaseStartedId: `r${n}`, willBeRetried: false } });
  };
  tagged(1, ['@C-MDEV-001', '@untestable'], { status: 'SKIPPED' }, 'cannot be observed');
  tagged(2, ['@C-MDEV-002', '@profile:mtty'], { status: 'FAILED', exception: { type: 'AssertionError', message: 'x' } });
  tagged(3, ['@C-MDEV-003'], { status: 'PASSED' });
  assert.deepEqual(c.outcomes.map((o) => [o.status, o.level, o.profile]), [['untestable', 'uapi', undefined], ['failed', 'profile', 'mtty'], ['passed', 'uapi', undefined]]);
});
