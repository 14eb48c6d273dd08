// mdev lifecycle steps: one line each, the logic is in support/mdev/session.ts.
// Paths and written bytes may hold the placeholders of support/mdev/text.ts.
import type { DataTable } from '@cucumber/cucumber';
import { Given, Then, When } from './dsl';
import type { ErrnoName } from '../support/contract/errno';
import { describeOutcome, expect } from '../support/world/assert';
import type { MdevSession } from '../support/mdev/session';
import type { TckWorld } from '../support/world/world';

const s = (world: TckWorld): MdevSession => world.mdev;
const column = (table: DataTable, name: string) => table.hashes().map((row) => row[name]);

// --- parents, types and mdevs -----------------------------------------------------------
Given('a parent offering the mdev type {string}', async function (type: string) { await s(this).type(type); });
// Types the implementation declares (mdev_parents), named by the scenario: "T", "U".
Given('a declared mdev type {string}', async function (name: string) { await s(this).chooseAny(name); });
Given('a declared mdev type {string} with {int} instances available', async function (name: string, room: number) { await s(this).chooseAny(name, room); });
Given('a declared mdev type {string} counted by the mdev core', async function (name: string) { await s(this).chooseCounted(name, 'core'); });
Given('a declared mdev type {string} counted by its driver', async function (name: string) { await s(this).chooseCounted(name, 'driver'); });
Given('a declared mdev type {string} of the same parent as {string}', async function (name: string, of: string) { await s(this).chooseSibling(name, of); });
Given('a declared mdev type {string} of another parent than {string}', async function (name: string, of: string) { await s(this).chooseOtherParent(name, of); });
Given('a declared mdev type {string} whose parent\'s module can be unloaded', async function (name: string) { await s(this).chooseUnloadable(name); });
Given('a declared mdev type {string} whose mdevs migrate', async function (name: string) { await s(this).chooseMigratable(name); });
Given('an mdev {string} of type {string}', async function (name: string, type: string) { await s(this).create(name, type); });
Given('an mdev {string} of the type whose driver refuses removal while open', async function (name: string) {
  await s(this).create(name, await s(this).refusingType());
});
Given('mdevs of type {string} are created until it shows {int} available', function (type: string, left: number) {
  return s(this).createUntil(type, left);
});
Given('the available instances are noted', function () { return s(this).note(); });

// --- writing and reading sysfs ------------------------------------------------------------------
When('{string} is written to {string}', function (text: string, path: string) { return s(this).write(text, path); });
When('{string} is written to {string} without waiting', function (text: string, path: string) {
  return s(this).writeWithoutWaiting(text, path);
});
When('the file {string} is read', function (path: string) { return s(this).read(path); });
When('the module {string} is unloaded', function (name: string) { return s(this).unloadModule(name); });
When('the module of the parent of {string} is unloaded', function (name: string) { return s(this).unloadModuleOf(name); });

Then('the write returns {int}', function (count: number) { s(this).expectWriteCount(count); });
Then('the write returns the number of bytes written', function () { s(this).expectWriteCount(); });
Then('no mdev was created', function () { return s(this).expectNoMdevCreated(); });
Then('the pending write has not completed after {int} ms', function (ms: number) { return s(this).expectStillBlocked(ms); });
Then('the pending write returns {int}', async function (count: number) {
  await s(this).completePending();
  s(this).expectWriteCount(count);
});
Then('the pending write fails with {errno}', async function (errno: ErrnoName) {
  await s(this).completePending();
  expect(this.last?.ok === false && this.last.errno === errno, `expected ${errno}, got ${describeOutcome(this.last)}`);
});

// --- what sysfs shows -----------------------------------------------------------------------------
Then('the available instances compared with the noted ones are:', function (table: DataTable) {
  return s(this).expectChanges(table.hashes() as { type: string; change: string }[]);
});
Then('the available instances are:', function (table: DataTable) {
  return s(this).expectAvailable(table.hashes() as { type: string; available: string }[]);
});
Then('these paths exist:', function (table: DataTable) { return s(this).expectExisting(table.hashes() as { path: string }[]); });
Then('these paths do not exist:', function (table: DataTable) { return s(this).expectAbsent(column(table, 'path')); });
Then('these links resolve to:', function (table: DataTable) {
  return s(this).expectLinks(table.hashes() as { link: string; target: string }[]);
});
Then('these files read:', function (table: DataTable) {
  return s(this).expectContents(table.hashes() as { file: string; content: string }[]);
});
Then('the directory {string} lists exactly {string}', function (dir: string, entries: string) {
  return s(this).expectListing(dir, entries.split(',').map((e) => e.trim()).filter(Boolean));
});
Then('mdev {string} no longer exists', function (name: string) { return s(this).expectGone(name); });
Then('the vfio-dev node of mdev {string} is numbered as it is named', function (name: string) { return s(this).expectVfioDevNumbered(name); });
Then('mdev {string} still exists', function (name: string) { return s(this).expectPresent(name); });
Then('every type\'s available_instances reads an unsigned decimal number', function () { return s(this).expectDecimalCounts(); });
Then('the mdev_supported_types of the parent of {string} lists exactly its declared types', function (name: string) {
  return s(this).expectDeclaredTypesListed(name);
});
Then('every type of the parent of {string} shows {int} compared with the noted instances', function (name: string, change: number) {
  return s(this).expectParentChange(name, change);
});
Then('the directory {string} lists exactly {string}, and perhaps {string}', function (dir: string, entries: string, optional: string) {
  return s(this).expectListing(dir, entries.split(',').map((e) => e.trim()).filter(Boolean), [optional]);
});
Then('the mdevs in the devices of type {string} are exactly {string}', function (type: string, entries: string) {
  return s(this).expectTypeDevices(type, entries.split(',').map((e) => e.trim()).filter(Boolean));
});
Then('the file {string} reads one line', function (file: string) { return s(this).expectOneLine(file); });
Then('{string} reads one of the VFIO device API strings', function (file: string) { return s(this).expectDeviceApi(file); });
Then('every type directory is named after its parent\'s driver, bus or class', function () { return s(this).expectTypeNaming(); });

// --- the VFIO device of an mdev ---------------------------------------------------------------------
Given('mdev {string} is open', function (name: string) { return s(this).open(name); });
Given('mdev {string} is open twice', async function (name: string) {
  await s(this).open(name);
  await s(this).openAgain(name);
});
Given('the VFIO device of mdev {string} is in STOP_COPY with a data fd', function (name: string) { return s(this).startSaving(name); });
When('one open of mdev {string} is closed', function (name: string) { return s(this).closeOne(name); });
When('mdev {string} is closed', function (name: string) { return s(this).closeAll(name); });
When('the migration flags of mdev {string} are read', function (name: string) { return s(this).readMigrationFlags(name); });
When('the data fd of mdev {string} is read', function (name: string) { return s(this).readDataFd(name); });
Then('the migration flags read {u64}', function (flags: bigint) { s(this).expectMigrationFlags(flags); });
