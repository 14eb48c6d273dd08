// Byte layouts of the VFIO uAPI as the contract encodes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeFeature, FEATURE_FLAG, IOCTL, loggingControl, loggingReport, migState, precopyInfo } from '../support/uapi/vfio';
import { toHex } from '../support/uapi/bytes';

test('ioctl numbers are those of the asm-generic _IO encoding', () => {
  assert.equal(IOCTL.VFIO_DEVICE_FEATURE, 0x3b75);
  assert.equal(IOCTL.VFIO_MIG_GET_PRECOPY_INFO, 0x3b79);
  assert.equal(IOCTL.VFIO_DEVICE_RESET, 0x3b6f);
  assert.equal(FEATURE_FLAG.GET | FEATURE_FLAG.SET | FEATURE_FLAG.PROBE, 0x70000);
});

test('the feature header is argsz then flags, little-endian, before the payload', () => {
  const bytes = encodeFeature({ argsz: 16, flags: FEATURE_FLAG.GET | 1 }, new Uint8Array([0xaa]));
  assert.equal(toHex(bytes), '1000000001000100aa');
});

test('struct sizes and field offsets', () => {
  assert.equal(toHex(migState.encode({ device_state: 3, data_fd: -1 })), '03000000ffffffff');
  const control = loggingControl.encode({ page_size: 4096n, num_ranges: 2, reserved: 0, ranges: 0x1122n });
  assert.equal(control.length, 24);
  assert.equal(toHex(control.subarray(8, 12)), '02000000');
  const report = loggingReport.encode({ iova: 1n, length: 2n, page_size: 3n, bitmap: 4n });
  assert.equal(report.length, 32);
  assert.equal(report[24], 4);
  const info = precopyInfo.encode({ argsz: 24, flags: 5, initial_bytes: 7n, dirty_bytes: 9n });
  assert.equal(info.length, 24);
  assert.deepEqual(precopyInfo.decode(info), { argsz: 24, flags: 5, initial_bytes: 7n, dirty_bytes: 9n });
});
