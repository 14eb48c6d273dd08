// The stdio transport on its own: the command line, the schema file, the
// validate-every-message mode and a clean stop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScenarioOutcome } from '../support/report/outcomes';
import { EXIT, exitCodeOf } from '../support/report/verdict';
import { writeReports } from '../support/report/write';
import { parseCommandLine, formatCommandLine } from '../support/adapter/command-line';
import { protocolJsonSchemaText, SCHEMA_FILE } from '../support/adapter/json-schema';
import { adapterSettings } from '../support/adapter/settings';
import { StdioAdapter } from '../support/adapter/transport';
import { WireAnswer, WireRequest } from '../support/adapter/envelope';

test('the command line splits into an argv by the documented rules, without a shell', () => {
  assert.deepEqual(parseCommandLine('python3 -u adapter.py --device 0000:00:04.0'), ['python3', '-u', 'adapter.py', '--device', '0000:00:04.0']);
  assert.deepEqual(parseCommandLine(`ssh lab 'cd /opt && ./agent'`), ['ssh', 'lab', 'cd /opt && ./agent']);
  assert.deepEqual(parseCommandLine('run --name="a b" "say \\"hi\\"" \'\' x\\ y'), ['run', '--name=a b', 'say "hi"', '', 'x y']);
  assert.deepEqual(parseCommandLine('["my agent", "--flag", "$HOME"]'), ['my agent', '--flag', '$HOME']);
  assert.throws(() => parseCommandLine('agent | tee log'), /"\|" is a shell operator/);
  assert.throws(() => parseCommandLine('agent $HOME'), /"\$" is a shell operator/);
  assert.throws(() => parseCommandLine('agent "unfinished'), /unterminated double quote/);
  assert.throws(() => parseCommandLine('   '), /empty/);
  const argv = ['node', 'my adapter.js', "it's", '--x=1'];
  assert.deepEqual(parseCommandLine(formatCommandLine(argv)), argv);
});

test('the committed JSON Schema is the one the zod schemas generate (npm run schema)', () => {
  const committed = readFileSync(join(__dirname, '..', SCHEMA_FILE), 'utf8');
  assert.ok(committed === protocolJsonSchemaText(), `${SCHEMA_FILE} is out of date: run npm run schema and commit it`);
});

test('the envelope schemas accept the framing and refuse what breaks it', () => {
  assert.ok(WireRequest.safeParse({ id: 0, op: 'hello', protocol: 1 }).success);
  assert.ok(WireRequest.safeParse({ id: 7, op: 'ioctl', fd: 3, request: 15221, arg: null }).success);
  assert.ok(!WireRequest.safeParse({ id: 1, op: 'hello', protocol: 1 }).success, 'hello is request 0');
  assert.ok(!WireRequest.safeParse({ op: 'close', fd: 3 }).success, 'a request has an id');
  assert.ok(WireAnswer.safeParse({ id: 7, ok: false, errno: 'EINVAL', arg: '00ff' }).success);
  assert.ok(WireAnswer.safeParse({ id: 7, ok: false, unsupported: { reason: 'no DMA here' } }).success);
  assert.ok(!WireAnswer.safeParse({ id: 7, ok: false, errno: 'EWHAT' }).success);
});

test('validate mode reports fields the schema does not know, both ways; stop ends the adapter cleanly', async () => {
  const warnings: string[] = [];
  const adapter = new StdioAdapter(
    adapterSettings(`node ${join('test', 'fake-adapters', 'extra-fields.js')}`, {}, { validate: true, callTimeoutMs: 2000, stopTimeoutMs: 1000 }),
    (text) => warnings.push(text),
  );
  await adapter.hello();
  assert.deepEqual(await adapter.request({ op: 'begin_scenario', name: 'x' }), { ok: true, result: {} });
  assert.deepEqual(await adapter.request({ op: 'sysfs_list', path: '/sys/class/mdev_bus' }), { ok: true, result: { entries: [], size: 3 }, took_ms: 1 });
  await adapter.shutdown();
  assert.deepEqual(adapter.stats().protocol_issues, [
    'the answer to hello has a field the schema does not know: result.vendor',
    'the answer to request id 2 (sysfs_list) has a field the schema does not know: took_ms',
    'the answer to request id 2 (sysfs_list) has a field the schema does not know: result.size',
  ]);
  assert.equal(warnings.length, 3, `only the protocol findings, no complaint about stopping: ${warnings.join(' | ')}`);
  assert.equal(adapter.stats().calls, 2);
});

test('an exit between scenarios is the adapter\'s fault, not the next scenario\'s, and the run cannot conform', async () => {
  const warnings: string[] = [];
  const adapter = new StdioAdapter(adapterSettings(`node ${join('test', 'fake-adapters', 'exit-later.js')}`, {}, { callTimeoutMs: 2000, stopTimeoutMs: 1000 }), (t) => warnings.push(t));
  await adapter.hello();
  adapter.scenarioAt('features/x.feature:3');
  await adapter.request({ op: 'begin_scenario', name: 'A' });
  await adapter.request({ op: 'sysfs_list', path: '/sys/class/mdev_bus' });
  assert.equal(await adapter.takeLateFault(), undefined, 'A ended before the exit');
  await new Promise((resolve) => setTimeout(resolve, 400)); // the fake exits 100 ms after its answer
  adapter.scenarioAt('features/x.feature:7');
  assert.deepEqual(await adapter.request({ op: 'begin_scenario', name: 'B' }), { ok: true, result: {} }, 'B begins with a fresh adapter');
  await adapter.shutdown();
  const stats = adapter.stats();
  assert.equal(stats.starts, 2);
  assert.equal(stats.faults_between_scenarios.length, 1);
  assert.match(stats.faults_between_scenarios[0], /^after scenario "A" ended: the adapter exited with status 0 before it was told to stop, after answering request id 2 \(sysfs_list\)/);
  assert.deepEqual(stats.left_behind, []);
  // Reported in the summary; all passed is still no conformant run.
  const dir = mkdtempSync(join(tmpdir(), 'vfio-tck-between-'));
  try {
    mkdirSync(join(dir, 'allure-results'));
    const passed: ScenarioOutcome = { name: 'A', uri: 'features/mdev/x.feature', line: 3, area: 'mdev', clauses: [], tags: [], level: 'uapi', status: 'passed' };
    const { summary } = writeReports(dir, [passed], null, { rewriteAllure: false, adapterFaults: stats.faults_between_scenarios });
    assert.deepEqual(summary.adapter_faults, stats.faults_between_scenarios);
    assert.match(readFileSync(join(dir, 'summary.md'), 'utf8'), /## Adapter faults outside any scenario\n[^]*after scenario "A" ended: the adapter exited/);
    assert.equal(exitCodeOf(summary.totals, stats.faults_between_scenarios.length), EXIT.broken);
    assert.equal(exitCodeOf(summary.totals), EXIT.conformant);
    assert.equal((JSON.parse(readFileSync(join(dir, 'certificate.json'), 'utf8')) as { verdict: string }).verdict, 'no verdict');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
