// The progress of a run: one line rewritten in place on a terminal, with the
// counter and the time left; at most one plain line per tenth elsewhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Envelope } from '@cucumber/messages';
import { Progress, timeLeft } from '../support/report/progress';

// Feeds a run of `total` scenarios, each taking `ms` of the fake clock.
function feed(tty: boolean, total: number, ms: number): string {
  let clock = 0;
  let out = '';
  const p = new Progress({ tty, write: (t) => (out += t), now: () => clock, redrawMs: 200 });
  const send = (e: object) => p.onMessage(e as Envelope);
  send({ testRunStarted: {} });
  for (let i = 0; i < total; i++) send({ testCase: { id: `tc${i}` } });
  for (let i = 0; i < total; i++) {
    send({ testCaseStarted: { id: `s${i}`, testCaseId: `tc${i}` } });
    clock += ms;
    send({ testCaseFinished: { testCaseStartedId: `s${i}`, willBeRetried: false } });
  }
  send({ testRunFinished: {} });
  return out;
}

test('the time left is estimated from the pace so far', () => {
  assert.equal(timeLeft(10_000, 10, 30), 'about 20 s left');
  assert.equal(timeLeft(30_000, 10, 40), 'about 1 min 30 s left');
  assert.equal(timeLeft(1_000, 0, 40), '');
  assert.equal(timeLeft(1_000, 40, 40), '');
});

test('on a terminal: one line redrawn in place (no newline), throttled, cleared at the end', () => {
  const out = feed(true, 50, 100);
  assert.ok(!out.includes('\n'), 'never a new line');
  const draws = out.split('\r').filter((d) => d.startsWith('vfio-tck:'));
  assert.ok(draws.length >= 20 && draws.length <= 27, `redrawn every 200 ms of 5 s, plus the first and last: ${draws.length}`);
  assert.equal(draws[0], 'vfio-tck: 0/50 scenarios (0 %)\x1b[K');
  assert.ok(draws.includes('vfio-tck: 10/50 scenarios (20 %), about 4 s left\x1b[K'), draws.join(' | '));
  assert.equal(draws[draws.length - 1], 'vfio-tck: 50/50 scenarios (100 %)\x1b[K');
  assert.ok(out.endsWith('\r\x1b[K'), 'the line is cleared for the closing count line');
});

test('not on a terminal: plain lines, at most one per tenth of the run', () => {
  for (const total of [3, 10, 37, 552]) {
    const lines = feed(false, total, 50).split('\n').filter(Boolean);
    assert.ok(lines.length <= 10 && lines.length >= Math.min(total, 10), `${total} scenarios: ${lines.length} lines`);
    for (const l of lines) assert.match(l, /^vfio-tck: \d+\/\d+ scenarios \(\d+ %\)(, about (\d+ min )?\d+ s left)?$/);
    assert.equal(lines[lines.length - 1], `vfio-tck: ${total}/${total} scenarios (100 %)`);
    const percents = lines.map((l) => Number(/\((\d+) %\)/.exec(l)?.[1]));
    percents.slice(1).forEach((p, i) => assert.ok(Math.floor(p / 10) > Math.floor(percents[i] / 10), `a new tenth each line: ${percents}`));
  }
});
