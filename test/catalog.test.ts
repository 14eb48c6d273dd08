// The clause catalog and the scenarios agree: every scenario checks known
// clauses of its own level, and every clause is checked by a scenario (or says
// why it cannot be).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLAUSES } from '../support/clauses';
import { clientOf, profileOf, readScenarios } from '../support/clauses/scenarios';
import { CLIENTS } from '../support/clauses/vmm-clients';
import { areaOf, clauseIds } from '../support/world/clauses';

const scenarios = readScenarios();
const AREA_PREFIX: Record<string, string> = { 'vfio-migration': 'C-MIG-', mdev: 'C-MDEV-', 'virtio-legacy': 'C-VLEG-' };
const where = (s: { uri: string; name: string }) => `${s.uri}: ${s.name}`;

test('every scenario names at least one clause, and only clauses of the catalog and of its area', () => {
  assert.ok(scenarios.length > 500, `read ${scenarios.length} scenarios`);
  const problems = scenarios.flatMap((s) => {
    const ids = clauseIds(s.tags);
    if (ids.length === 0) return [`${where(s)}: no clause tag`];
    return ids.flatMap((id) => {
      if (!CLAUSES[id]) return [`${where(s)}: @${id} is not in the catalog (support/clauses/)`];
      if (!id.startsWith(AREA_PREFIX[areaOf(s.uri)] ?? '?')) return [`${where(s)}: @${id} belongs to another area`];
      return [];
    });
  });
  assert.deepEqual(problems, []);
});

test('a scenario tagged @profile:<driver> checks only that driver\'s profile clauses (and uAPI rules under it); every other scenario only uAPI rules', () => {
  const problems = scenarios.flatMap((s) => {
    const driver = profileOf(s.tags);
    return clauseIds(s.tags).flatMap((id) => {
      const clause = CLAUSES[id];
      if (!clause || clause.level === 'uapi') return [];
      if (clause.level === 'client') {
        const vmm = clientOf(s.tags);
        return vmm === clause.client ? [] : [`${where(s)}: @${id} is a ${clause.client} client clause; tag the scenario @client:${clause.client}`];
      }
      if (driver === undefined) return [`${where(s)}: @${id} is a ${clause.driver} profile clause; tag the scenario @profile:${clause.driver}`];
      if (clause.driver !== driver) return [`${where(s)}: @${id} is a ${clause.driver} profile clause, not one of ${driver}'s`];
      return [];
    });
  });
  assert.deepEqual(problems, []);
});

test('a driver-neutral scenario names no driver that has a profile, in its title or its steps', () => {
  const drivers = [...new Set(Object.values(CLAUSES).flatMap((c) => (c.driver ? [c.driver] : [])))];
  const problems = scenarios.filter((s) => !profileOf(s.tags)).flatMap((s) => {
    const text = [s.name, ...s.steps].join('\n');
    const named = drivers.filter((d) => new RegExp(`(^|[^\\w-])${d}([^\\w]|$)`).test(text));
    return named.map((d) => `${where(s)}: names ${d}; run it on whatever the implementation declares, or tag it @profile:${d}`);
  });
  assert.deepEqual(problems, []);
});

test('every clause is checked by a scenario, unless it says why it is untestable', () => {
  const tagged = new Set(scenarios.flatMap((s) => clauseIds(s.tags)));
  const unchecked = Object.values(CLAUSES).filter((c) => !tagged.has(c.id) && !c.untestable).map((c) => `${c.id}: ${c.statement}`);
  assert.deepEqual(unchecked, []);
});

test('every uAPI rule has a driver-neutral scenario, or names the profile its checks need', () => {
  const neutral = new Set(scenarios.filter((s) => !profileOf(s.tags)).flatMap((s) => clauseIds(s.tags)));
  const problems = Object.values(CLAUSES)
    .filter((c) => c.level === 'uapi' && !c.untestable && !neutral.has(c.id) && !c.checkedUnder)
    .map((c) => `${c.id}: checked only under a driver profile; give it a driver-neutral scenario or say why in checkedUnder`);
  assert.deepEqual(problems, []);
});

test('profile clauses name their driver and release; a deviation names an existing uAPI rule', () => {
  const problems = Object.values(CLAUSES).flatMap((c) => {
    if (c.level === 'uapi') return c.driver || c.release || c.deviates || c.client ? [`${c.id}: a uAPI rule carries profile fields`] : [];
    if (c.level === 'client') {
      if (!c.client || !CLIENTS[c.client] || c.release !== CLIENTS[c.client].version) return [`${c.id}: a client clause names a client of CLIENTS and its version`];
      return c.driver || c.deviates ? [`${c.id}: a client clause carries driver profile fields`] : [];
    }
    const out: string[] = [];
    if (!c.driver || !c.release) out.push(`${c.id}: a profile clause needs its driver and release`);
    if (c.deviates && CLAUSES[c.deviates]?.level !== 'uapi') out.push(`${c.id}: deviates from ${c.deviates}, which is not a uAPI rule`);
    return out;
  });
  assert.deepEqual(problems, []);
  for (const c of Object.values(CLAUSES)) {
    assert.ok(c.statement.trim().length > 10, `${c.id} has a statement`);
    assert.ok(c.source.trim().length > 5, `${c.id} has a source`);
  }
});

test('scenario names are numbered and unique within their feature', () => {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const s of scenarios) {
    if (!/^\[\d+\] /.test(s.name)) problems.push(`${where(s)}: the name does not start with its number, e.g. "[3] "`);
    const key = `${s.uri}\u0000${s.name}`;
    // Outline rows share a name only when the name has no <placeholder>; that is a duplicate too.
    if (seen.has(key)) problems.push(`${where(s)}: the name is used twice (give the outline a <placeholder> in its title)`);
    seen.set(key, s.uri);
  }
  assert.deepEqual(problems, []);
});

// A statement with a size, a range, a width or a count to run out of states a numeric limit.
const NUMERIC_LIMIT = /shorter than \d+|longer than \d+|\b\d+\.\.\w+|past byte \d+|max_instances|\b\d+ bytes\b|ULONG_MAX|less \d+|any other width|low \d+ bits|empty counter/;
const LISTS_COVERS = /^C-(MDEV|VLEG)-/;

test('every testable mdev and virtio-legacy clause with a numeric limit lists the limits and variations its scenarios cover', () => {
  const limited = Object.values(CLAUSES).filter((c) => LISTS_COVERS.test(c.id) && !c.untestable && NUMERIC_LIMIT.test(c.statement));
  assert.ok(limited.length >= 10, `found ${limited.length} clauses with numeric limits`);
  const problems = limited.filter((c) => !c.covers?.length).map((c) => `${c.id}: "${c.statement}" states a numeric limit; list what its scenarios cover (covers)`);
  assert.deepEqual(problems, []);
});

test('covers is listed only by clauses a scenario checks, and never empty', () => {
  const problems = Object.values(CLAUSES).filter((c) => c.covers !== undefined).flatMap((c) => {
    if (c.untestable) return [`${c.id}: untestable, so no scenario covers anything`];
    if (c.covers?.some((entry) => entry.trim() === '') || c.covers?.length === 0) return [`${c.id}: an empty covers entry`];
    return [];
  });
  assert.deepEqual(problems, []);
});

test('a scenario tagged @client:<vmm> names a known client, checks only that client\'s clauses and no driver profile', () => {
  const problems = scenarios.filter((s) => clientOf(s.tags)).flatMap((s) => {
    const vmm = clientOf(s.tags) as string;
    const out: string[] = [];
    if (!CLIENTS[vmm]) out.push(`${where(s)}: @client:${vmm} is not in CLIENTS (support/clauses/vmm-clients.ts)`);
    if (profileOf(s.tags)) out.push(`${where(s)}: a client scenario runs on any declared device; it cannot be a driver profile too`);
    for (const id of clauseIds(s.tags)) if (CLAUSES[id]?.level !== 'client') out.push(`${where(s)}: @${id} is not a client clause`);
    return out;
  });
  assert.ok(scenarios.some((s) => clientOf(s.tags) === 'qemu') && scenarios.some((s) => clientOf(s.tags) === 'cloud-hypervisor'));
  assert.deepEqual(problems, []);
});
