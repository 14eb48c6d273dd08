// The reference answers every schema-valid request within the contract and
// never crashes: random requests with a fixed seed (npm run fuzz:reference
// runs 100 000), a plain write that blocks for good, and requests the schema
// refuses, sent to the reference adapter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fuzzReference } from '../scripts/fuzz-reference';
import { referenceFromEnvironment } from '../support/target';
import { BlockedForGood } from '../reference-impl/kernel/errno';
import type { Request } from '../support/contract/protocol';
import { WireRequest } from '../support/adapter/envelope';

test('3000 random schema-valid requests (seed 1): no crash, every answer within the contract', async () => {
  const report = await fuzzReference(3000, 1);
  assert.ok(report.requests >= 2950, `only ${report.requests} requests ran`);
  assert.ok(Object.keys(report.byOp).length >= 25, `only ${Object.keys(report.byOp).length} ops were tried`);
});

test('a plain write to the remove file of an open mdev blocks for good instead of throwing', async () => {
  const reference = referenceFromEnvironment({});
  const info = await reference.hello();
  const mdev = info.devices.find((d) => d.path.startsWith('/sys/bus/mdev/devices/'));
  assert.ok(mdev, 'the reference declares an mdev');
  const opened = reference.answer({ op: 'open_device', path: mdev.path } as Request) as { ok: boolean };
  assert.equal(opened.ok, true);
  const answer = reference.answer({ op: 'sysfs_write', path: `${mdev.path}/remove`, data: '31' } as Request);
  assert.ok(answer instanceof BlockedForGood, `expected a call that blocks, got ${JSON.stringify(answer)}`);
  // Through the contract's sysfs_write_start the same write is pending, not lost.
  const fresh = referenceFromEnvironment({});
  fresh.answer({ op: 'open_device', path: mdev.path } as Request);
  const started = fresh.answer({ op: 'sysfs_write_start', path: `${mdev.path}/remove`, data: '31' } as Request) as { ok: boolean };
  assert.equal(started.ok, true);
});

test('the schema refuses a user address that is not a decimal u64 string', () => {
  for (const addr of ['abc', '1e3', '0x1000', '-1', '01', ' 1', '18446744073709551616']) {
    const parsed = WireRequest.safeParse({ id: 1, op: 'mem_read', addr, length: 4 });
    assert.ok(!parsed.success, `addr ${JSON.stringify(addr)} was accepted`);
    assert.deepEqual(parsed.error.issues.map((i) => i.path.join('.')), ['addr']);
  }
  assert.ok(WireRequest.safeParse({ id: 1, op: 'mem_read', addr: '18446744073709551615', length: 4 }).success);
});

test('the reference adapter refuses such a request as malformed, naming the field, without crashing', () => {
  const lines = [{ id: 0, op: 'hello', protocol: 1 }, { id: 1, op: 'mem_write', addr: '1e3', data: '00' }].map((m) => JSON.stringify(m)).join('\n');
  const run = spawnSync('adapters/reference/vfio-tck-reference-adapter', [], { input: `${lines}\n`, encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 2, `exit status ${run.status}, stderr ${run.stderr}`);
  assert.match(run.stderr, /a request does not fit the protocol: addr: a u64 travels as a decimal string/);
  assert.doesNotMatch(run.stderr, /internal error|BigInt/);
  assert.equal(run.stdout.trim().split('\n').length, 1, 'only hello was answered');
});
