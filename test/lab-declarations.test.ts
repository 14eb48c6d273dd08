// The lab declares the sample mdev parents to the generic scenarios exactly as
// the reference does: both imitate Linux 6.12's samples/vfio-mdev. The lab's
// own test driver (lab/test-driver/tckmig.c) is a parent the reference lacks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ReferenceImplementation } from '../reference-impl/server';
import { DeclaredMdevParent } from '../support/contract/protocol';

test('lab/mdev-parents.json is the reference\'s declaration of the sample parents, and fits the protocol', async () => {
  const lab = JSON.parse(readFileSync('lab/mdev-parents.json', 'utf8')) as unknown[];
  for (const parent of lab) DeclaredMdevParent.parse(parent);
  const reference = (await new ReferenceImplementation().hello()).mdev_parents;
  const samples = lab.filter((p) => (p as { name: string }).name !== 'tckmig');
  assert.equal(samples.length, lab.length - 1, 'the lab declares the test driver tckmig');
  assert.deepEqual(samples, reference);
});
