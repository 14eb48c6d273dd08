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
