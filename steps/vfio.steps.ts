// Migration v2 steps: one line each, the logic is in support/vfio/session.ts.
import { defineParameterType } from '@cucumber/cucumber';
import { pollMask } from '../support/uapi/poll';
import { Given, Then, When } from './dsl';
import { FdRef, VfioSession } from '../support/vfio/session';
import { checks } from '../support/vfio/checks';
import { FLAGS_PATTERN, parseFeatureFlags, parseFlags, parseState, parseStateList, STATE_PATTERN } from '../support/vfio/phrases';
import type { LoggingRange } from '../support/uapi/vfio';
import type { TckWorld } from '../support/world/world';

defineParameterType({ name: 'state', regexp: STATE_PATTERN, transformer: parseState });
defineParameterType({ name: 'flags', regexp: FLAGS_PATTERN, transformer: parseFlags });
defineParameterType({ name: 'device', regexp: /the device|device "[^"]+"/, transformer: (t: string) => (t === 'the device' ? 'device' : t.slice(8, -1)) });
defineParameterType({ name: 'pollEvents', regexp: /nothing|POLL[A-Z]+(?:\+POLL[A-Z]+)*/, transformer: (t: string) => (t === 'nothing' ? 0 : pollMask(t.split('+'))) });
defineParameterType({ name: 'fdref', regexp: /the data fd|the previous data fd/, transformer: (t: string) => t as FdRef });

type DataTable = { hashes(): Record<string, string>[]; rowsHash(): Record<string, string> };
const v = (world: TckWorld): VfioSession => world.vfio;

// --- choosing the device under test --------------------------------------------
Given('a migratable VFIO device', function () { return v(this).openAny('device'); });
Given('a migratable VFIO device advertising {flags}', function (flags: number) { return v(this).openAdvertising('device', flags); });
Given('a migratable VFIO device offering {flags}', function (flags: number) { return v(this).openOffering('device', flags); });
Given('a migratable VFIO device offering {flags} that does DMA', function (flags: number) { return v(this).openOfferingWithDma('device', flags); });
Given('a migratable VFIO device driven by {string}', function (driver: string) { return v(this).openDrivenBy('device', driver); });
Given('a migratable VFIO device not driven by {string}', function (driver: string) { return v(this).openNotDrivenBy('device', driver); });
Given('a migratable VFIO device of mdev type {string}', function (type: string) { return v(this).openOfMdevType('device', type); });
Given('a VFIO device without migration support', function () { return v(this).openWithoutMigration('device'); });
Given('a migratable VFIO device offering DMA logging', function () { return v(this).openWithLogging('device'); });
Given('a migratable VFIO device offering DMA logging that does DMA', function () { return v(this).openWithLoggingAndDma('device'); });
Given('a second migratable VFIO device {string} like the first', function (name: string) { return v(this).openLike(name, 'device'); });

// --- states ----------------------------------------------------------------------------
Given('{device} has reached state {state}', function (device: string, state: number) { return v(this).driveTo(device, state); });
When('{device} is set to {state}', function (device: string, state: number) { return v(this).setStep(device, state); });
When('{device} is reset', function (device: string) { return v(this).reset(device); });
Given('a VFIO device driven by {string}', function (driver: string) { return v(this).openAnyDrivenBy('device', driver); });
When('VFIO_DEVICE_GET_INFO is issued on {device} with argsz {int}', function (device: string, argsz: number) { return v(this).getInfo(device, argsz); });
Then('the device info reports a PCI device with at least {int} regions and {int} interrupt indexes', function (regions: number, irqs: number) {
  checks.pciDeviceInfo(this, regions, irqs);
});
Given(/^(the device|device "[^"]+") (reports|does not report) VFIO_DEVICE_FLAGS_RESET$/, function (device: string, reports: string) {
  return checks.requireResetFlag(this, device, reports === 'reports'); // the {device} type has already named the device
});
Then('{device} is in state {state}', function (device: string, state: number) { return checks.state(this, device, state); });
// "RESUMING, STOP or ERROR": where the uAPI leaves the state after a failure open.
Then(/^(the device|device "[^"]+") is in one of the states (.+)$/, function (device: string, states: string) {
  // The {device} parameter type already turned the capture into the device's name.
  return checks.oneOfStates(this, device, parseStateList(states));
});
Given('the failed SET left {device} in ERROR', function (device: string) { return checks.requireError(this, device); });
Then('the arcs performed on {device} were {string}', function (device: string, path: string) { return checks.arcs(this, device, path); });
Then('a new data fd is returned', function () { checks.dataFd(this, true); });
Then(/^the SET gives (a new data fd|data_fd -1|E[A-Z0-9]+)$/, function (result: string) { checks.setResult(this, result); });
Then('no data fd is returned', function () { checks.dataFd(this, false); });
Then('the payload written back holds device_state {state} and data_fd -1', function (state: number) { checks.failedSetPayload(this, state); });

// --- VFIO_DEVICE_FEATURE -------------------------------------------------------------
When('VFIO_DEVICE_FEATURE {string} is issued on {device} with argsz {int}', function (flags: string, device: string, argsz: number) {
  return v(this).featureStep(device, parseFeatureFlags(flags), argsz, new Uint8Array(Math.max(0, argsz - 8)).fill(0xa5));
});
Then('the payload is left untouched', function () { checks.payloadUntouched(this); });
Then('the payload holds migration flags {flags}', function (flags: number) { checks.payloadU64(this, BigInt(flags)); });
Then('the payload holds the value {u64}', function (value: bigint) { checks.payloadU64(this, value); });
Then('MIG_DATA_SIZE of {device} is {int}', function (device: string, size: number) { return checks.dataSize(this, device, BigInt(size)); });
Then('MIG_DATA_SIZE of {device} is the length of the saved stream', function (device: string) { return checks.dataSizeIsStream(this, device); });
Then('GET of MIG_DATA_SIZE on {device} succeeds', function (device: string) { return checks.dataSizeAnswers(this, device); });
Then('the payload holds migration flags including {flags}', function (flags: number) { checks.payloadHasFlags(this, flags); });
Then('MIG_DATA_SIZE of {device} is above 0 where it answers', function (device: string) { return checks.dataSizeAboveZeroWhereAnswered(this, device); });
Given('the last call failed', function () { checks.requireFailure(this); });

// --- data fds and streams ------------------------------------------------------------
When('{int} bytes are read from {fdref}', function (count: number, fd: FdRef) { return v(this).read(fd, count); });
When('{fdref} is read to its end', function (fd: FdRef) { return v(this).saveFrom(fd); });
When('{fdref} is read to its end in reads of MIG_DATA_SIZE of {device}, at most {int} bytes', function (fd: FdRef, device: string, cap: number) {
  return v(this).saveInDataSizeReads(fd, device, cap);
});
When('the saved stream is written to {fdref} one write per read', function (fd: FdRef) { return v(this).writeBlocks(fd); });
When('the saved stream is written to {fdref} in chunks of {int} bytes', function (fd: FdRef, chunk: number) { return v(this).writeStream(fd, chunk); });
When('the first {int} bytes of the saved stream are written to {fdref}', function (count: number, fd: FdRef) { return v(this).writeStreamPart(fd, count); });
When('the rest of the saved stream is written to {fdref}', function (fd: FdRef) { return v(this).writeStreamPart(fd, 'rest'); });
When('{bytes} is written to {fdref}', function (data: Uint8Array, fd: FdRef) { return v(this).writeStream(fd, Math.max(1, data.length), data); });
When('{fdref} is used with {word}', function (fd: FdRef, syscall: string) { return checks.misuse(this, fd, syscall); });
When('{fdref} is closed', function (fd: FdRef) { return checks.close(this, fd); });
When('{device} is closed and opened again', function (device: string) { return v(this).reopen(device); });
When('VFIO_MIG_GET_PRECOPY_INFO is issued on {fdref} with argsz {int}', function (fd: FdRef, argsz: number) { return v(this).precopyInfo(fd, argsz); });
When('VFIO_MIG_GET_PRECOPY_INFO is issued on {fdref} with argsz {int} and flags {int}', function (fd: FdRef, argsz: number, flags: number) { return v(this).precopyInfo(fd, argsz, flags); });
When('{fdref} is polled for {pollEvents}', function (fd: FdRef, events: number) { return v(this).poll(fd, events); });
Then('the poll reports {pollEvents}', function (events: number) { checks.poll(this, events, 'all'); });
Then('the poll reports exactly {pollEvents}', function (events: number) { checks.poll(this, events, 'exactly'); });
Then('the poll does not report {pollEvents}', function (events: number) { checks.poll(this, events, 'none'); });
When('ioctl {u64} is issued on {fdref}', function (request: bigint, fd: FdRef) { return checks.otherIoctl(this, fd, Number(request)); });
Given('the saved stream loses its last {int} bytes', function (count: number) { checks.truncateStream(this, count); });
Given('the saved stream is kept to its first {int} bytes', function (count: number) { checks.keepStreamStart(this, count); });
Given('the saved stream is discarded', function () { v(this).savedStream = new Uint8Array(0); });
Given('byte {int} of the saved stream is inverted', function (at: number) { checks.corruptStream(this, at); });
Given('the byte in the middle of the saved stream is inverted', function () { checks.corruptStream(this, Math.floor(v(this).savedStream.length / 2)); });
Then('the read returns {int} bytes', function (count: number) { checks.readLength(this, count); });
Then('{fdref} is close-on-exec and {word}', function (fd: FdRef, access: string) { return checks.fdFlags(this, fd, access); });
Then('{fdref} has ended', function (fd: FdRef) { return checks.ended(this, fd); });
Then('{fdref} is at a temporary end', function (fd: FdRef) { return checks.temporaryEnd(this, fd); });
Then('{fdref} is at its end', function (fd: FdRef) { return checks.permanentEnd(this, fd); });
Then('the pre-copy info reports:', function (table: DataTable) { checks.precopy(this, table.rowsHash()); });
Then('the saved stream is made of two equal halves', function () { checks.twoEqualHalves(this); });
Then('initial_bytes is at most the previous answer less {int}', function (less: number) { checks.initialShrunk(this, BigInt(less)); });
Then('initial_bytes has not grown', function () { checks.initialShrunk(this, 0n); });
When('the data fd is read until the pre-copy info reports no data', function () { return v(this).readUntilPrecopyDrained('the data fd'); });
Then('the saved stream is {int} bytes long', function (length: number) { checks.streamLength(this, length); });
Then('the saved stream is laid out as:', function (table: DataTable) { checks.streamLayout(this, table.hashes()); });

// --- regions, DMA and dirty logging ----------------------------------------------------
When('{bytes} is written to region {int} of {device} at offset {int}', function (data: Uint8Array, index: number, device: string, offset: number) {
  return v(this).regionWrite(device, index, offset, data);
});
When('{bytes} is written one byte at a time to region {int} of {device} at offset {int}', function (data: Uint8Array, index: number, device: string, offset: number) {
  return v(this).regionWriteBytewise(device, index, offset, data);
});
When('the info of region {int} is asked of {device}', function (index: number, device: string) { return v(this).regionInfoStep(device, index); });
When('the info of the region past the last is asked of {device}', function (device: string) { return v(this).regionInfoStep(device, 'past-last'); });
Then('the config region of {device} is readable and writable and as large as its config space', function (device: string) { return checks.configRegion(this, device); });
Then('each BAR region of {device} agrees with its BAR register', function (device: string) { return checks.barRegions(this, device); });
Given('{device} is not a display controller', function (device: string) { return checks.requireNotVga(this, device); });
Given('{device} has a PCI Express capability', function (device: string) { return v(this).requirePcie(device, false); });
Given('{device} offers Function Level Reset in its PCI Express capability', function (device: string) { return v(this).requirePcie(device, true); });
When('Initiate FLR is written to the PCI Express Device Control register of {device}', function (device: string) { return v(this).writeFlr(device); });
Then('the Initiate FLR bit of {device} reads 0', function (device: string) { return checks.flrBitClear(this, device); });
Then('the config space of {device} answers', function (device: string) { return checks.configAnswers(this, device); });
Then('region {int} of {device} at offset {int} reads {bytes}', function (index: number, device: string, offset: number, data: Uint8Array) {
  return checks.region(this, device, index, offset, data);
});
Then('{int} single-byte reads of region {int} of {device} at offset {int} give {bytes}', function (reads: number, index: number, device: string, offset: number, data: Uint8Array) {
  return checks.regionBytewise(this, device, index, offset, reads, data);
});
Given('{int} KiB of memory is mapped at IOVA {u64} for {device}', function (kib: number, iova: bigint, device: string) {
  return v(this).mapMemory(device, iova, kib * 1024);
});
When('{device} writes {bytes} to IOVA {u64} by DMA', function (device: string, data: Uint8Array, iova: bigint) { return v(this).deviceDma(device, iova, data, false); });
When('{device} writes {bytes} to IOVA {u64} by peer-to-peer DMA', function (device: string, data: Uint8Array, iova: bigint) { return v(this).deviceDma(device, iova, data, true); });
Then('memory at IOVA {u64} of {device} reads {bytes}', function (iova: bigint, device: string, data: Uint8Array) { return checks.memory(this, device, iova, data); });
When('DMA logging is started on {device} with page size {u64} over:', function (device: string, pageSize: bigint, table: DataTable) {
  return v(this).loggingStart(device, pageSize, ranges(table));
});
When('DMA logging is started on {device} with page size {u64} and num_ranges {int}', function (device: string, pageSize: bigint, count: number) {
  return v(this).loggingStart(device, pageSize, [], count);
});
Given('DMA logging runs on {device} with page size {u64} over:', function (device: string, pageSize: bigint, table: DataTable) {
  return checks.loggingRuns(this, device, pageSize, ranges(table));
});
When('DMA logging is started on {device} with page size {u64} over {int} ranges of one page, every {int} pages from IOVA {u64}', function (device: string, pageSize: bigint, count: number, every: number, iova: bigint) {
  return v(this).loggingStart(device, pageSize, spacedRanges(count, every, iova, pageSize));
});
Given('DMA logging runs on {device} with page size {u64} over {int} ranges of one page, every {int} pages from IOVA {u64}', function (device: string, pageSize: bigint, count: number, every: number, iova: bigint) {
  return checks.loggingRuns(this, device, pageSize, spacedRanges(count, every, iova, pageSize));
});
Given('DMA logging runs on {device} with page size {u64} over the first {int} ranges of:', function (device: string, pageSize: bigint, count: number, table: DataTable) {
  return checks.loggingRuns(this, device, pageSize, ranges(table).slice(0, count));
});
When('DMA logging is stopped on {device}', function (device: string) { return checks.loggingStop(this, device); });
When('the dirty pages of {device} are reported for IOVA {u64} length {u64} at page size {u64}', function (device: string, iova: bigint, length: bigint, pageSize: bigint) {
  return v(this).loggingReport(device, iova, length, pageSize);
});
When('the dirty pages of {device} are reported for IOVA {u64} length {u64} at page size {u64} into a bitmap with bits {string} set', function (device: string, iova: bigint, length: bigint, pageSize: bigint, bits: string) {
  return v(this).loggingReport(device, iova, length, pageSize, bits.split(',').map((b) => Number(b.trim())));
});
When('the dirty pages of {device} are reported for IOVA {u64} length {u64} at the page size written back', function (device: string, iova: bigint, length: bigint) {
  return v(this).loggingReport(device, iova, length, v(this).startedPageSize);
});
Then('the reported dirty pages are {string}', function (pages: string) { checks.dirtyPages(this, pages); });
Then('the reported dirty pages include {string} and none of {string}', function (set: string, clear: string) { checks.dirtyPagesWithin(this, set, clear); });
Then('the page size written back is {u64}', function (pageSize: bigint) { checks.startedPageSize(this, pageSize); });
Then('the page size written back is a power of two', function () { checks.startedPageSizePowerOfTwo(this); });

// count ranges of one page each, the k-th at iova + k * every pages.
function spacedRanges(count: number, every: number, iova: bigint, pageSize: bigint): LoggingRange[] {
  return Array.from({ length: count }, (_, k) => ({ iova: iova + BigInt(k * every) * pageSize, length: pageSize }));
}

function ranges(table: DataTable): LoggingRange[] {
  return table.hashes().map((row) => ({ iova: BigInt(row.iova), length: BigInt(row.length) }));
}
