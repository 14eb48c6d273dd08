// The limit audit over the catalog: a clause with a numeric limit names a
// scenario at limit - 1, limit and limit + 1 (or why one is out of reach).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLAUSES } from '../support/clauses';
import { areaOfClause } from '../support/clauses/pages';
import { limit, type Clause } from '../support/clauses/catalog';
import { LIMIT_WORDING, limitProblems } from '../support/clauses/limits';
import { readScenarios, type ScenarioEntry } from '../support/clauses/scenarios';

const scenarios = readScenarios();

// Clauses whose limits are not audited yet: each still fails the lint (so a
// clause that is fixed must leave this list), and the list only shrinks.
const NOT_YET_AUDITED = ['C-MIG-063', 'C-MIG-067', 'C-MIG-068', 'C-MIG-097', 'C-MIG-233', 'C-MDEV-010'];

test('every clause with a numeric limit has a scenario at limit - 1, limit and limit + 1', () => {
  const audited = Object.values(CLAUSES).filter((c) => !NOT_YET_AUDITED.includes(c.id));
  assert.deepEqual(limitProblems(audited, scenarios, areaOfClause), []);
});

test('every clause left to audit still fails the audit', () => {
  const passing = NOT_YET_AUDITED.filter((id) => limitProblems([CLAUSES[id]], scenarios, areaOfClause).length === 0);
  assert.deepEqual(passing, [], 'these pass the audit now: take them off NOT_YET_AUDITED');
});

test('the audit has something to audit', () => {
  const audited = Object.values(CLAUSES).filter((c) => c.limits?.length);
  assert.ok(audited.length >= 6, `${audited.length} clauses list limits`);
  assert.ok(LIMIT_WORDING.test('argsz below 24 is EINVAL') && LIMIT_WORDING.test('a value of 8 or more') && !LIMIT_WORDING.test('STOP_COPY 3'));
});

// The lint itself, on a made-up clause and scenarios: it fails for each missing point.
const row = (name: string, steps: string[], description = ''): ScenarioEntry => ({
  uri: 'features/vfio-migration/07-x.feature', line: 1, outline: { line: 1, title: '[5] argsz <argsz>' }, name, description, tags: ['@C-MIG-900'], steps,
});
const fake = (extra: Partial<Clause>): Clause => ({ id: 'C-MIG-900', level: 'uapi', statement: 'X with argsz below 24 is EINVAL.', source: 's', ...extra });
const area = () => 'vfio-migration';

test('the lint: an unmarked limit, a missing point, a value no row names, an unreachable point the scenario does not explain', () => {
  const rows = [row('[5] argsz 23', ['argsz 23']), row('[5] argsz 24', ['argsz 24'], 'one byte more reads the same, because nothing past 24 is read')];
  assert.match(limitProblems([fake({})], rows, area).join('\n'), /list it in limits/);
  assert.deepEqual(limitProblems([fake({ noLimit: 'why' })], rows, area), []);
  assert.deepEqual(limitProblems([fake({ limits: [limit('argsz', 24, '07 [5]', '07 [5]', { unreachable: 'nothing past 24 is read', scenario: '07 [5]' })] })], rows, area), []);
  const missing = limitProblems([fake({ limits: [limit('argsz', 24, '07 [5]', '07 [5]', '07 [5]')] })], rows, area);
  assert.deepEqual(missing, ['C-MIG-900 argsz above the limit (25): no row of 07 [5] names 25']);
  const unexplained = limitProblems([fake({ limits: [limit('argsz', 24, '07 [5]', '07 [6]', { unreachable: 'no reason given', scenario: '07 [5]' })] })], rows, area);
  assert.deepEqual(unexplained, ['C-MIG-900 argsz at the limit (24): 07 [6] is no scenario of vfio-migration tagged @C-MIG-900', 'C-MIG-900 argsz above the limit (25): 07 [5] does not say "no reason given" in its text']);
  assert.match(limitProblems([fake({ limits: [limit('argsz', 24, '07 [5]', '07 [5]', '07 [5]')] })], [row('[5] argsz 230, 24 and 25', ['argsz 23'])], area).join('\n'), /names 23$/);
});
