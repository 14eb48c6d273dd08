// The per-client answer of the summary and certificate: "yes" only when the
// client's scenarios passed, otherwise the first expectation that failed (or
// broke), or why none applied; client scenarios never decide the uAPI verdict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ScenarioOutcome, Status } from '../support/report/outcomes';
import { summarize } from '../support/report/summary';
import { certificateOf, renderCertificate } from '../support/report/ci-outputs';

const uri = 'features/vfio-migration/30-vmm-clients.feature';
const o = (line: number, client: string | undefined, status: Status, message?: string): ScenarioOutcome => ({
  name: `[${line}] s`, uri, line, area: 'vfio-migration', clauses: [], tags: client ? [`@client:${client}`] : [],
  level: client ? 'client' : 'uapi', ...(client ? { client } : {}), status, ...(message ? { message } : {}),
});

test('a client that passed everything can migrate; one that failed names its first failed expectation', () => {
  const s = summarize([o(1, undefined, 'passed'), o(2, 'qemu', 'passed'), o(4, 'qemu', 'failed', 'MIG_DATA_SIZE answered 0\nmore'),
    o(3, 'qemu', 'failed', 'expected a new data fd'), o(5, 'cloud-hypervisor', 'passed'), o(6, 'cloud-hypervisor', 'skipped', 'no device')], null);
  assert.equal(s.clients['cloud-hypervisor'].answer, 'yes');
  assert.equal(s.clients.qemu.answer, 'no');
  assert.equal(s.clients.qemu.because, `${uri}:3 [3] s: expected a new data fd`);
  assert.equal(s.clients.qemu.version, '9.1-dev (019d9e6cc408)');
  assert.equal(s.areas['vfio-migration'].uapi.verdict, 'conforms', 'client failures stay out of the uAPI verdict');
  const md = renderCertificate(certificateOf(s));
  assert.match(md, /QEMU 9\.1-dev \(019d9e6cc408\): can migrate the declared devices: \*\*no\*\*/);
  assert.match(md, /Cloud Hypervisor v53\.0-246-gae44c2971: can migrate the declared devices: \*\*yes\*\*/);
});

test('a client none of whose scenarios applied is not applicable, with the reason', () => {
  const s = summarize([o(1, 'qemu', 'skipped', 'no declared device is migratable'), o(2, 'qemu', 'broken', 'adapter crashed')], null);
  assert.equal(s.clients.qemu.answer, 'no verdict');
  const t = summarize([o(1, 'qemu', 'skipped', 'no declared device is migratable')], null);
  assert.equal(t.clients.qemu.answer, 'not applicable');
  assert.match(t.clients.qemu.because ?? '', /no declared device is migratable/);
});
