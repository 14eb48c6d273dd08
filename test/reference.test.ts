// The reference implementation answered directly through the contract,
// without Cucumber: a few properties the features rely on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '../support/contract/client';
import { ReferenceImplementation } from '../reference-impl/server';
import { encodeFeature, FEATURE, FEATURE_FLAG, IOCTL, migState, STATE_VALUE } from '../support/uapi/vfio';
import { fromHex, toHex } from '../support/uapi/bytes';

async function openFirst() {
  const client = new Client(new ReferenceImplementation());
  const info = await client.hello();
  const device = info.devices.find((d) => d.driver === 'refmig');
  assert.ok(device, 'the reference declares a refmig device');
  const { fd } = await client.must('open_device', { path: device.path });
  return { client, info, fd };
}

async function setState(client: Client, fd: number, state: number) {
  const arg = encodeFeature({ argsz: 16, flags: FEATURE_FLAG.SET | FEATURE.MIG_DEVICE_STATE }, migState.encode({ device_state: state, data_fd: -1 }));
  const out = await client.call('ioctl', { fd, request: IOCTL.VFIO_DEVICE_FEATURE, arg: toHex(arg) });
  assert.ok(out.ok, `SET ${state} failed`);
  return migState.decode(fromHex(out.value.arg ?? '').subarray(8));
}

test('the reference declares itself with every role and a platform', async () => {
  const { info } = await openFirst();
  assert.equal(info.protocol, 1);
  assert.deepEqual([...info.roles].sort(), ['mdev', 'vfio-migration', 'virtio-owner', 'virtio-translator']);
  assert.equal(info.platform.kernel, '6.12.117');
});

test('a STOP_COPY data fd is a read-only stream that ends with 0 bytes', async () => {
  const { client, fd } = await openFirst();
  await setState(client, fd, STATE_VALUE.STOP);
  const { data_fd } = await setState(client, fd, STATE_VALUE.STOP_COPY);
  assert.ok(data_fd >= 0);
  assert.deepEqual(await client.call('write', { fd: data_fd, data: '00' }), { ok: false, errno: 'EBADF' });
  assert.deepEqual(await client.call('pread', { fd: data_fd, count: 1, offset: '0' }), { ok: false, errno: 'ESPIPE' });
  let total = 0;
  for (;;) {
    const out = await client.must('read', { fd: data_fd, count: 65536 });
    if (out.data.length === 0) break;
    total += out.data.length / 2;
  }
  assert.ok(total > 64 * 1024, 'the stream carries the 64 KiB of device memory');
  await setState(client, fd, STATE_VALUE.STOP);
  assert.deepEqual(await client.call('read', { fd: data_fd, count: 1 }), { ok: false, errno: 'ENODEV' });
});

test('begin_scenario gives a fresh machine: old fds are gone', async () => {
  const { client, fd } = await openFirst();
  await client.must('begin_scenario', { name: 'fresh' });
  assert.deepEqual(await client.call('close', { fd }), { ok: false, errno: 'EBADF' });
});
