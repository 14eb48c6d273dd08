// The whole conformance suite, once against the reference in-process and once
// through the reference adapter over stdio: every scenario must end the same
// way, with the same message. This is what makes the adapter transport
// trustworthy for implementations the suite cannot see inside.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInProcess } from '../support/cli/in-process';

const reports = mkdtempSync(join(tmpdir(), 'vfio-tck-adapter-equivalence-'));
process.env.TCK_REPORTS_DIR = reports;
delete process.env.TCK_ADAPTER; // the first run is the in-process one, whatever the shell says
after(() => rmSync(reports, { recursive: true, force: true }));

const REFERENCE_ADAPTER = join('adapters', 'reference', 'vfio-tck-reference-adapter');

test('the suite through the reference adapter gives exactly the in-process outcomes', async () => {
  const paths = ['features/**/*.feature'];
  const inProcess = await runInProcess({ paths, formats: [] });
  const viaAdapter = await runInProcess({ paths, formats: [], support: inProcess.support, target: { adapter: REFERENCE_ADAPTER } });

  const key = (o: { uri: string; line: number; name: string }) => `${o.uri}:${o.line} ${o.name}`;
  const expected = new Map(inProcess.outcomes.map((o) => [key(o), { status: o.status, message: o.message }]));
  const actual = new Map(viaAdapter.outcomes.map((o) => [key(o), { status: o.status, message: o.message }]));
  assert.ok(expected.size > 500, `the whole suite ran in-process (${expected.size} scenarios)`);
  assert.equal(expected.size, inProcess.outcomes.length, 'scenario keys are unique');
  assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort(), 'the same scenarios ran');
  const differences = [...expected].filter(([k, v]) => JSON.stringify(actual.get(k)) !== JSON.stringify(v));
  assert.deepEqual(
    differences.map(([k, v]) => `${k}: in-process ${v.status} ${v.message ?? ''} / adapter ${actual.get(k)?.status} ${actual.get(k)?.message ?? ''}`),
    [],
  );
  assert.ok(inProcess.outcomes.some((o) => o.status === 'passed'));
});
