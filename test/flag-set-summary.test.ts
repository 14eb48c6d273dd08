// The summary and the certificate count scenarios per flag set of the devices
// they opened and per area, from the attachment the After hook writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Envelope } from '@cucumber/messages';
import { FLAG_SETS_FILE, OutcomeCollector } from '../support/report/outcomes';
import { SKIP_REASON_FILE } from '../support/world/skip';
import { NO_DEVICE, renderMarkdown, summarize } from '../support/report/summary';
import { certificateOf, renderCertificate } from '../support/report/ci-outputs';
import { flagSetLabel, MIG_FLAG } from '../support/uapi/vfio';

const STOP_COPY = flagSetLabel(MIG_FLAG.STOP_COPY);
const PRE_COPY = flagSetLabel(MIG_FLAG.STOP_COPY | MIG_FLAG.PRE_COPY);

function feedScenario(c: OutcomeCollector, n: number, area: string, status: string, sets?: string[], reason?: string) {
  const feed = (e: unknown) => c.onMessage(e as Envelope);
  feed({ pickle: { id: `p${n}`, name: `s${n}`, uri: `features/${area}/x.feature`, astNodeIds: [], tags: [{ name: '@C-MIG-001' }] } });
  feed({ testCase: { id: `t${n}`, pickleId: `p${n}` } });
  feed({ testCaseStarted: { id: `r${n}`, testCaseId: `t${n}` } });
  if (reason) feed({ attachment: { testCaseStartedId: `r${n}`, fileName: SKIP_REASON_FILE, body: `Not applicable: ${reason}` } });
  const result = status === 'FAILED' ? { status, exception: { type: 'AssertionError', message: 'expected EINVAL' } } : { status };
  feed({ testStepFinished: { testCaseStartedId: `r${n}`, testStepResult: result } });
  if (sets) feed({ attachment: { testCaseStartedId: `r${n}`, fileName: FLAG_SETS_FILE, body: JSON.stringify(sets) } });
  feed({ testCaseFinished: { testCaseStartedId: `r${n}`, willBeRetried: false } });
}

test('flag set labels: the names joined, or no migration', () => {
  assert.equal(STOP_COPY, 'STOP_COPY');
  assert.equal(PRE_COPY, 'STOP_COPY|PRE_COPY');
  assert.equal(flagSetLabel(0), 'no migration');
});

test('counts per flag set and area: ran, passed, failed, skipped; two sets count under each; none under NO_DEVICE', () => {
  const c = new OutcomeCollector();
  feedScenario(c, 1, 'vfio-migration', 'PASSED', [STOP_COPY]);
  feedScenario(c, 2, 'vfio-migration', 'FAILED', [PRE_COPY]);
  feedScenario(c, 3, 'vfio-migration', 'PASSED', [PRE_COPY, STOP_COPY, STOP_COPY]);
  feedScenario(c, 4, 'vfio-migration', 'SKIPPED', [STOP_COPY], 'the device advertises STOP_COPY; this needs PRE_COPY');
  feedScenario(c, 5, 'mdev', 'PASSED');
  feedScenario(c, 6, 'vfio-migration', 'SKIPPED', undefined, 'the kernel is older');
  feedScenario(c, 7, 'mdev', 'PASSED', [STOP_COPY]);
  assert.deepEqual(c.outcomes[2].flag_sets, [STOP_COPY, PRE_COPY]);
  assert.equal(c.outcomes[4].flag_sets, undefined);

  const s = summarize(c.outcomes, null);
  assert.deepEqual(Object.keys(s.flag_sets), [STOP_COPY, PRE_COPY, NO_DEVICE]);
  const sc = s.flag_sets[STOP_COPY];
  assert.deepEqual([sc.ran, sc.passed, sc.failed, sc.skipped], [3, 3, 0, 1]);
  assert.deepEqual(Object.keys(sc.areas), ['mdev', 'vfio-migration']);
  assert.deepEqual([sc.areas['vfio-migration'].ran, sc.areas['vfio-migration'].passed, sc.areas['vfio-migration'].skipped], [2, 2, 1]);
  assert.deepEqual([sc.areas.mdev.ran, sc.areas.mdev.passed], [1, 1]);
  const pc = s.flag_sets[PRE_COPY];
  assert.deepEqual([pc.ran, pc.passed, pc.failed, pc.skipped], [2, 1, 1, 0]);
  const none = s.flag_sets[NO_DEVICE];
  assert.deepEqual([none.ran, none.passed, none.skipped], [1, 1, 1]);
  assert.deepEqual(Object.keys(none.areas), ['mdev', 'vfio-migration']);

  const md = renderMarkdown(s);
  assert.match(md, /## Per flag set and area/);
  assert.match(md, /\| STOP_COPY\\\|PRE_COPY \| vfio-migration \| 2 \| 1 \| 1 \| 0 \| 0 \| 0 \|/);
  assert.match(md, /\| STOP_COPY \| all \| 3 \| 3 \| 0 \| 0 \| 1 \| 0 \|/);
  const cert = certificateOf(s, new Date(0));
  assert.deepEqual(cert.flag_sets, s.flag_sets);
  assert.match(renderCertificate(cert), /\| no migration device opened \| mdev \| 1 \| 1 \| 0 \| 0 \| 0 \| 0 \|/);
});

test('a run that opened no device has only the NO_DEVICE row; no outcomes, no table', () => {
  const c = new OutcomeCollector();
  feedScenario(c, 1, 'mdev', 'PASSED');
  assert.deepEqual(Object.keys(summarize(c.outcomes, null).flag_sets), [NO_DEVICE]);
  assert.doesNotMatch(renderMarkdown(summarize([], null)), /Per flag set/);
});
