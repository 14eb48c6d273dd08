// The transition table is derived twice: by breadth-first search over the arcs
// (support/vfio/arc-model.ts) and by the kernel-style next-step table of the
// reference. Both must agree on every pair under every flag set, and the
// committed feature file must be what the model generates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { expectedTransition, FLAG_SETS, legalStates } from '../support/vfio/arc-model';
import { MIG_STATES, STATE_VALUE, stateName } from '../support/uapi/vfio';
import { vfio_mig_get_next_state } from '../reference-impl/vfio/vfio_main';
import { Mutations } from '../reference-impl/kernel/mutations';
import { KernelError } from '../reference-impl/kernel/errno';
import { render } from '../scripts/generate-arc-table';

const none = new Mutations(undefined);

function walk(flags: number, from: number, to: number): string[] | 'EINVAL' {
  const path = [stateName(from)];
  let at = from;
  try {
    while (at !== to) {
      at = vfio_mig_get_next_state(flags, at, to, none);
      path.push(stateName(at));
    }
  } catch (error) {
    if (error instanceof KernelError && error.errno === 'EINVAL') return 'EINVAL';
    throw error;
  }
  return path;
}

test('the next-step table and the breadth-first model agree for every pair and flag set', () => {
  let pairs = 0;
  for (const flags of FLAG_SETS) {
    for (const from of legalStates(flags)) {
      for (const to of MIG_STATES.filter((s) => s !== 'ERROR')) {
        const expected = expectedTransition(flags, from, to);
        const actual = walk(flags, STATE_VALUE[from], STATE_VALUE[to]);
        if (expected.kind === 'refused') assert.equal(actual, 'EINVAL', `${from}>${to} under ${flags}`);
        else if (expected.kind === 'same') assert.deepEqual(actual, [from]);
        else assert.deepEqual(actual, expected.path, `${from}>${to} under ${flags}`);
        pairs++;
      }
    }
  }
  assert.equal(pairs, (4 + 5 + 5 + 7) * 7);
});

test('ERROR and out-of-range targets are refused from every state', () => {
  for (const flags of FLAG_SETS) {
    for (const from of legalStates(flags)) {
      for (const target of [0, 8, 42]) assert.equal(walk(flags, STATE_VALUE[from], target), 'EINVAL');
    }
  }
});

test('the committed transition table feature is the one the model generates', () => {
  assert.equal(readFileSync('features/vfio-migration/02-transition-table.feature', 'utf8'), render());
});
