// The mutant matrix: kill counts, kill rates per area and the mutants only one scenario catches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mutantMatrix, mutantsMarkdown, mutantsTable, writeMutantReports } from '../support/report/mutants';

const results = [
  { id: 'a', area: 'mdev', description: 'first', killedBy: ['f.feature:3 [1] x', 'f.feature:9 [2] y'], brokenBy: [] },
  { id: 'b', area: 'mdev', description: 'second', killedBy: ['f.feature:3 [1] x'], brokenBy: [] },
  { id: 'c', area: 'virtio-legacy', description: 'third', killedBy: [], brokenBy: ['g.feature:4 [1] z'] },
];

test('the matrix counts kills per mutant and per area, and lists survivors and single kills', () => {
  const m = mutantMatrix(results, true);
  assert.deepEqual(m.mutants.map((x) => x.kills), [2, 1, 0]);
  assert.deepEqual(m.totals, { mutants: 3, killed: 2, survived: 1, killRate: 2 / 3, killedOnce: 1 });
  assert.deepEqual(m.areas.mdev, { mutants: 2, killed: 2, killRate: 1, killedOnce: 1 });
  assert.deepEqual(m.areas['virtio-legacy'], { mutants: 1, killed: 0, killRate: 0, killedOnce: 0 });
  assert.deepEqual(m.survivors, ['c']);
  assert.deepEqual(m.killedOnce, ['b']);
});

test('a rate never rounds up to 100 %, and the reports say what was run', () => {
  const many = Array.from({ length: 1000 }, (_, i) => ({ id: `m${i}`, area: 'mdev', description: '', killedBy: i ? ['s'] : [], brokenBy: [] }));
  assert.match(mutantsTable(mutantMatrix(many, true)), /99\.9 %/);
  const dir = mkdtempSync(join(tmpdir(), 'vfio-tck-matrix-'));
  writeMutantReports(dir, mutantMatrix(results, false));
  const json = JSON.parse(readFileSync(join(dir, 'mutants.json'), 'utf8'));
  assert.equal(json.complete, false);
  assert.equal(json.mutants[0].killedBy.length, 2);
  const md = readFileSync(join(dir, 'mutants.md'), 'utf8');
  assert.match(md, /2 of 3 mutants killed \(66\.6 %\)/);
  assert.match(md, /## Survivors\n\n- `c`/);
  assert.match(md, /## Killed by exactly one scenario\n\n- `b`/);
  assert.match(md, /broke rather than failed: 1 scenario/);
  assert.equal(mutantsMarkdown(mutantMatrix(results.slice(0, 1), true)).includes('Survivors'), false);
});
