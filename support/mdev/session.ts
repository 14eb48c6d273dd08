// Everything the mdev steps do, in sysfs terms: finding parents and types by
// listing /sys/class/mdev_bus, creating and removing mdevs by writing their
// files, following links the way realpath(3) does, counting instances, and
// opening an mdev's VFIO device. Steps stay one line; the logic lives here.
//
// Counting is relative where the clause allows it: a real host may already
// have mdevs (the migration runs keep an mtty-2), so scenarios note
// available_instances first and check the change.
import { randomUUID } from 'node:crypto';
import { posix } from 'node:path';
import type { Outcome } from '../contract/client';
import type { DeclaredMdevParent, DeclaredMdevType } from '../contract/protocol';
import { fromHex, toHex } from '../uapi/bytes';
import { encodeFeature, FEATURE, FEATURE_FLAG, FEATURE_HEADER_SIZE, IOCTL, migState, STATE_VALUE, u64Payload } from '../uapi/vfio';
import { describeOutcome, expect, expectEqual, show } from '../world/assert';
import { NotApplicable } from '../world/skip';
import type { TckWorld } from '../world/world';
import { decodeEscapes, PLACEHOLDER, showBytes, uuidForm, UuidForm } from './text';

const MDEV_BUS_DEVICES = '/sys/bus/mdev/devices';
const MDEV_BUS = '/sys/bus/mdev';
const MDEV_BUS_CLASS = '/sys/class/mdev_bus';
const IOMMU_GROUPS = '/sys/kernel/iommu_groups';
const VFIO_DEV_CLASS = '/sys/class/vfio-dev';
// How long a write that should finish may take before it counts as blocked.
const COMPLETION_WAIT_MS = 10_000;
const MAX_CREATES = 2_000;
// VFIO_DEVICE_API_*_STRING of include/uapi/linux/vfio.h.
const VFIO_DEVICE_APIS = ['vfio-pci', 'vfio-platform', 'vfio-amba', 'vfio-ccw', 'vfio-ap'];

export interface MdevRef {
  name: string;
  uuid: string;
  type: string;
  typeDir: string;
  dir: string; // its directory under the parent
  driver: string | undefined; // the driver bound at creation
  group: string | undefined; // its IOMMU group number at creation
  vfio: string | undefined; // the name of its vfio-dev node at creation (vfio<N>)
  fds: number[]; // open VFIO device fds, oldest first
  dataFd?: number;
}

interface TypeInfo {
  id: string;
  parent: string; // its name under /sys/class/mdev_bus
  parentDir: string;
  dir: string;
  declared?: DeclaredMdevType;
  declaredParent?: DeclaredMdevParent;
}

interface CreateSnapshot { bus: string[]; groups: string[]; vfioDevs: string[]; available: Record<string, number> }

export type ExpectedEntry = { path: string; kind?: string; mode?: string };

const ascii = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));
const latin1 = (hex: string) => Buffer.from(fromHex(hex)).toString('latin1');

export class MdevSession {
  private readonly uuid = randomUUID();
  private readonly mdevs = new Map<string, MdevRef>();
  private typeCache: Map<string, TypeInfo> | undefined;
  private readonly unregistered = new Set<string>(); // parents whose module a scenario unloaded
  private noted: Map<string, number> | undefined;
  private readonly aliases = new Map<string, string>(); // the scenario's type names -> type ids
  // what each chosen type's devices/ held when the scenario chose it (mdevs a host had before)
  private readonly devicesBefore = new Map<string, string[]>();
  private beforeCreate: CreateSnapshot | undefined;
  private lastWritten: Uint8Array | undefined;
  private pending: number | undefined;

  constructor(private readonly world: TckWorld) {}

  private get client() {
    return this.world.client;
  }

  // --- parents and types --------------------------------------------------------------
  // Every type sysfs shows, with what the implementation declared of it.
  private async types(): Promise<Map<string, TypeInfo>> {
    if (!this.world.info.roles.includes('mdev')) throw new NotApplicable('the implementation does not declare the mdev role');
    if (this.typeCache) return this.typeCache;
    const declared = new Map<string, DeclaredMdevParent>((this.world.info.mdev_parents ?? []).map((p) => [p.name, p]));
    const types = new Map<string, TypeInfo>();
    for (const parent of await this.listOrEmpty(MDEV_BUS_CLASS)) {
      const parentDir = await this.realpath(`${MDEV_BUS_CLASS}/${parent}`);
      const declaredParent = declared.get(parent);
      for (const id of await this.listOrEmpty(`${parentDir}/mdev_supported_types`)) {
        const declaredType = declaredParent?.types.find((t) => t.id === id);
        types.set(id, { id, parent, parentDir, dir: `${parentDir}/mdev_supported_types/${id}`, declared: declaredType, declaredParent });
      }
    }
    this.typeCache = types;
    return types;
  }

  // A scenario's name for a type ("T") or a type id as sysfs names it ("mtty-2").
  async type(name: string): Promise<TypeInfo> {
    const types = await this.types();
    const type = types.get(this.aliases.get(name) ?? name);
    if (!type) {
      if (/^[A-Z]$/.test(name)) throw new Error(`the scenario chose no mdev type "${name}" (use a Given that declares it)`);
      throw new NotApplicable(`the implementation offers no mdev type ${name} (it offers: ${[...types.keys()].join(', ') || 'none'})`);
    }
    return type;
  }

  // The declared types in the order the implementation declared them.
  private async declaredTypes(): Promise<TypeInfo[]> {
    const types = await this.types();
    const order = (this.world.info.mdev_parents ?? []).flatMap((p) => p.types.map((t) => t.id));
    const declared = order.map((id) => types.get(id)).filter((t): t is TypeInfo => t !== undefined);
    if (declared.length === 0) {
      throw new NotApplicable(`the implementation declares no mdev parent whose types sysfs shows (mdev_parents at the start exchange; sysfs shows: ${[...types.keys()].join(', ') || 'none'})`);
    }
    return declared;
  }

  // Give the scenario's name to the first declared type that fits and has room.
  async chooseType(name: string, wanted: string, fits: (t: TypeInfo) => boolean | Promise<boolean>, room = 1): Promise<TypeInfo> {
    const taken = new Set(this.aliases.values());
    const seen: string[] = [];
    for (const type of await this.declaredTypes()) {
      if (taken.has(type.id)) continue;
      const available = await this.available(type.id);
      seen.push(`${type.id} (parent ${type.parent}, ${type.declared?.count ?? 'unknown'} count, ${available} available)`);
      if (available < room || !(await fits(type))) continue;
      this.aliases.set(name, type.id);
      this.devicesBefore.set(type.id, await this.listOrEmpty(`${type.dir}/devices`));
      return type;
    }
    throw new NotApplicable(`no declared mdev type is ${wanted}${room > 1 ? ` with ${room} instances available` : ' with an instance available'}; declared: ${seen.join(', ') || 'none besides those the scenario already chose'}`);
  }

  chooseAny(name: string, room = 1) {
    return this.chooseType(name, 'free', () => true, room);
  }

  chooseCounted(name: string, count: 'core' | 'driver') {
    return this.chooseType(name, `counted by the ${count === 'core' ? 'mdev core' : 'driver'}`, (t) => t.declared?.count === count);
  }

  async chooseSibling(name: string, of: string) {
    const first = await this.type(of);
    return this.chooseType(name, `another type of the parent of "${of}" (${first.parent})`, (t) => t.parent === first.parent);
  }

  async chooseOtherParent(name: string, of: string) {
    const first = await this.type(of);
    return this.chooseType(name, `a type of another parent than ${first.parent}`, (t) => t.parent !== first.parent);
  }

  chooseUnloadable(name: string) {
    return this.chooseType(name, 'of a parent whose module can be unloaded (mdev_parents[].module)', (t) => t.declaredParent?.module !== undefined);
  }

  // A type whose mdevs are migratable VFIO devices: a trial mdev is made, asked and removed.
  chooseMigratable(name: string) {
    return this.chooseType(name, 'one whose mdevs migrate (GET of VFIO_DEVICE_FEATURE_MIGRATION succeeds)', async (t) => {
      const trial = await this.create(`${name} trial`, t.id);
      await this.open(trial.name);
      const fd = trial.fds[0];
      const out = await this.feature(fd, FEATURE_FLAG.GET | FEATURE.MIGRATION, new Uint8Array(8));
      await this.closeAll(trial.name);
      await this.removeQuietly(trial);
      return out.ok;
    });
  }

  private async removeQuietly(ref: MdevRef): Promise<void> {
    const { pending } = await this.client.must('sysfs_write_start', { path: `${ref.dir}/remove`, data: toHex(ascii('1')) });
    const done = await this.finish(pending, `removing the trial mdev ${ref.uuid}`);
    expect(done.ok, `removing the trial mdev ${ref.uuid} failed with ${describeOutcome(done)}`);
    this.mdevs.delete(ref.name);
  }

  // The mdev driver the parent of a type binds its mdevs to: as declared, else as its first mdev shows.
  private async driverOf(name: string): Promise<string> {
    const type = await this.type(name);
    if (type.declaredParent) return type.declaredParent.driver;
    throw new NotApplicable(`the implementation does not declare the parent ${type.parent} (mdev_parents), so the suite does not know its mdev driver`);
  }

  private async otherDriver(name: string): Promise<string> {
    const own = await this.driverOf(name);
    const other = (await this.listOrEmpty(`${MDEV_BUS}/drivers`)).sort().find((d) => d !== own);
    if (!other) throw new NotApplicable(`no mdev driver besides ${own} is registered (/sys/bus/mdev/drivers), so there is no other driver to bind to`);
    return other;
  }

  async expectDeclaredTypesListed(name: string): Promise<void> {
    const type = await this.type(name);
    const declared = type.declaredParent?.types.map((t) => t.id);
    if (!declared) throw new NotApplicable(`the implementation does not declare the parent ${type.parent}`);
    await this.expectListing(`${type.parentDir}/mdev_supported_types`, declared);
  }

  async available(id: string): Promise<number> {
    const path = `${(await this.type(id)).dir}/available_instances`;
    const text = await this.readText(path);
    expect(/^\d+\n$/.test(text), `${path} must read an unsigned decimal and a newline, got ${show(text)}`);
    return Number(text.trim());
  }

  // The types of parents still registered: those of a parent whose module was unloaded are gone.
  private async registeredTypes(): Promise<string[]> {
    return [...(await this.types()).values()].filter((t) => !this.unregistered.has(t.parent)).map((t) => t.id);
  }

  // --- mdevs ---------------------------------------------------------------------------------
  mdev(name: string): MdevRef {
    const ref = this.mdevs.get(name);
    if (!ref) throw new Error(`the scenario created no mdev "${name}"`);
    return ref;
  }

  // Create with a fresh UUID, written as mdevctl writes it (lower case, no newline),
  // and make sure the device is really there: a create that only claims success
  // must not let a scenario go on.
  async create(name: string, typeName: string): Promise<MdevRef> {
    const type = await this.type(typeName);
    const available = await this.available(typeName);
    if (available === 0) throw new NotApplicable(`no instance of ${type.id} is available on this host (available_instances reads 0)`);
    const uuid = randomUUID();
    const out = await this.client.call('sysfs_write', { path: `${type.dir}/create`, data: toHex(ascii(uuid)) });
    expect(out.ok, `creating an mdev of type ${type.id} (writing ${uuid} to ${type.dir}/create) failed with ${describeOutcome(out)}`);
    const dir = `${type.parentDir}/${uuid}`;
    const there = await this.client.call('sysfs_stat', { path: `${MDEV_BUS_DEVICES}/${uuid}` });
    expect(there.ok && there.value.type === 'link', `writing ${uuid} to ${type.dir}/create returned success, but ${MDEV_BUS_DEVICES}/${uuid} is ${there.ok ? `a ${there.value.type}` : `missing (${there.errno})`}`);
    const ref: MdevRef = {
      name, uuid, type: type.id, typeDir: type.dir, dir,
      driver: await this.linkName(`${dir}/driver`),
      group: await this.linkName(`${dir}/iommu_group`),
      vfio: (await this.listOrEmpty(`${dir}/vfio-dev`))[0],
      fds: [],
    };
    this.mdevs.set(name, ref);
    return ref;
  }

  async createUntil(typeName: string, left: number): Promise<void> {
    const { id } = await this.type(typeName);
    let available = await this.available(id);
    if (available < left) throw new NotApplicable(`${id} shows ${available} available; the scenario needs at least ${left}`);
    for (let n = 1; available > left; n++) {
      expect(n <= MAX_CREATES, `${id} still shows ${available} available after ${MAX_CREATES} creates`);
      await this.create(`${id} #${n}`, id);
      const now = await this.available(id);
      expect(now < available, `creating an mdev of ${id} left its available_instances at ${now}`);
      available = now;
    }
  }

  // A type the implementation says refuses removal while its device is open
  // (a vendor remove callback that fails, possible before 5.2).
  async refusingType(): Promise<string> {
    const type = this.world.info.options.mdev_busy_remove_type;
    if (typeof type !== 'string') {
      throw new NotApplicable('the implementation names no mdev type whose driver refuses removal while open (options.mdev_busy_remove_type)');
    }
    return type;
  }

  // --- instance counts -------------------------------------------------------------------------
  async note(): Promise<void> {
    const noted = new Map<string, number>();
    for (const id of await this.registeredTypes()) noted.set(id, await this.available(id));
    this.noted = noted;
  }

  async expectChanges(rows: { type: string; change: string }[]): Promise<void> {
    expect(this.noted !== undefined, 'the scenario noted no available instances');
    const wrong: string[] = [];
    for (const row of rows) {
      const { id } = await this.type(row.type);
      const before = this.noted.get(id);
      if (before === undefined) throw new NotApplicable(`the implementation offers no mdev type ${id}`);
      const now = await this.available(id);
      if (now - before !== Number(row.change)) wrong.push(`${id}: ${before} -> ${now} (expected ${row.change})`);
    }
    expect(wrong.length === 0, `available_instances changed unlike expected: ${wrong.join('; ')}`);
  }

  // Every type of the parent of a type changed by the same amount (a counter they share).
  async expectParentChange(name: string, change: number): Promise<void> {
    const { parent } = await this.type(name);
    const rows = [...(await this.types()).values()].filter((t) => t.parent === parent).map((t) => ({ type: t.id, change: `${change}` }));
    await this.expectChanges(rows);
  }

  async expectAvailable(rows: { type: string; available: string }[]): Promise<void> {
    const wrong: string[] = [];
    for (const { type, available } of rows) {
      const now = await this.available(type);
      if (now !== Number(available)) wrong.push(`${type} shows ${now}, expected ${available}`);
    }
    expect(wrong.length === 0, wrong.join('; '));
  }

  // --- writes and reads ------------------------------------------------------------------------------
  async write(text: string, pathTemplate: string): Promise<void> {
    const { path, data } = await this.prepareWrite(text, pathTemplate);
    // remove and unbind may wait in the kernel: run them apart and bound the wait.
    if (/\/(remove|unbind)$/.test(path)) {
      const { pending } = await this.client.must('sysfs_write_start', { path, data: toHex(data) });
      this.world.record(await this.finish(pending, `writing "${showBytes(data)}" to ${path}`));
      return;
    }
    this.world.record(await this.client.call('sysfs_write', { path, data: toHex(data) }));
  }

  async writeWithoutWaiting(text: string, pathTemplate: string): Promise<void> {
    const { path, data } = await this.prepareWrite(text, pathTemplate);
    this.pending = (await this.client.must('sysfs_write_start', { path, data: toHex(data) })).pending;
  }

  private async prepareWrite(text: string, pathTemplate: string): Promise<{ path: string; data: Uint8Array }> {
    const path = await this.expand(pathTemplate);
    const data = decodeEscapes(await this.expand(text));
    this.lastWritten = data;
    if (path.endsWith('/create')) this.beforeCreate = await this.createSnapshot();
    return { path, data };
  }

  async read(pathTemplate: string): Promise<void> {
    this.world.record(await this.client.call('sysfs_read', { path: await this.expand(pathTemplate) }));
  }

  expectWriteCount(count?: number): void {
    const last = this.world.last;
    const expected = count ?? this.lastWritten?.length;
    expect(last?.ok === true, `expected the write to return ${expected}, got ${describeOutcome(last)}`);
    expectEqual((last.value as { count: number }).count, expected, 'what write() returned');
  }

  // What a refused create must leave as it found: the mdevs on the bus, the
  // IOMMU groups, the VFIO device nodes, and every type's available_instances.
  private async createSnapshot(): Promise<CreateSnapshot> {
    const available: Record<string, number> = {};
    for (const id of await this.registeredTypes()) available[id] = await this.available(id);
    return {
      bus: await this.busDevices(),
      groups: (await this.listOrEmpty(IOMMU_GROUPS)).sort(),
      vfioDevs: (await this.listOrEmpty(VFIO_DEV_CLASS)).sort(),
      available,
    };
  }

  async expectNoMdevCreated(): Promise<void> {
    const before = this.beforeCreate;
    expect(before !== undefined, 'the scenario wrote no create file');
    const after = await this.createSnapshot();
    const written = `after writing "${showBytes(this.lastWritten ?? new Uint8Array())}"`;
    expectEqual(after.bus, before.bus, `the mdevs on the bus ${written}`);
    expectEqual(after.groups, before.groups, `the IOMMU groups (${IOMMU_GROUPS}) ${written}`);
    expectEqual(after.vfioDevs, before.vfioDevs, `the VFIO device nodes (${VFIO_DEV_CLASS}) ${written}`);
    expectEqual(after.available, before.available, `every type's available_instances ${written}`);
  }

  private async busDevices(): Promise<string[]> {
    return (await this.listOrEmpty(MDEV_BUS_DEVICES)).sort();
  }

  // --- writes still in flight -------------------------------------------------------------------------
  private async finish(pending: number, what: string): Promise<Outcome<{ count: number }>> {
    const state = await this.client.must('pending_wait', { pending, timeout_ms: COMPLETION_WAIT_MS });
    expect(state.done, `${what} had not completed after ${COMPLETION_WAIT_MS / 1000} s`);
    return state.outcome.ok ? { ok: true, value: { count: state.outcome.count } } : { ok: false, errno: state.outcome.errno };
  }

  private get pendingWrite(): number {
    expect(this.pending !== undefined, 'the scenario started no write without waiting');
    return this.pending;
  }

  async expectStillBlocked(ms: number): Promise<void> {
    const state = await this.client.must('pending_wait', { pending: this.pendingWrite, timeout_ms: ms });
    if (state.done) this.pending = undefined;
    expect(!state.done, `the write was expected to wait, but it completed after less than ${ms} ms with ${state.done ? show(state.outcome) : ''}`);
  }

  async completePending(): Promise<void> {
    const pending = this.pendingWrite;
    this.pending = undefined;
    this.world.record(await this.finish(pending, 'the pending write'));
  }

  // --- sysfs observations ----------------------------------------------------------------------------------
  async expectExisting(rows: ExpectedEntry[]): Promise<void> {
    const wrong: string[] = [];
    for (const row of rows) {
      const path = await this.expand(row.path);
      const out = await this.client.call('sysfs_stat', { path });
      if (!out.ok) wrong.push(`${path}: ${out.errno}`);
      else if (row.kind && out.value.type !== row.kind) wrong.push(`${path} is a ${out.value.type}, not a ${row.kind}`);
      else if (row.mode && out.value.mode !== parseInt(row.mode, 8)) wrong.push(`${path} has mode 0${out.value.mode.toString(8)}, not ${row.mode}`);
    }
    expect(wrong.length === 0, `expected paths are not as specified: ${wrong.join('; ')}`);
  }

  async expectAbsent(paths: string[]): Promise<void> {
    const present: string[] = [];
    for (const template of paths) {
      const path = await this.expand(template);
      const out = await this.client.call('sysfs_stat', { path });
      if (out.ok || out.errno !== 'ENOENT') present.push(`${path} (${out.ok ? `a ${out.value.type}` : out.errno})`);
    }
    expect(present.length === 0, `these paths should not exist: ${present.join(', ')}`);
  }

  async expectLinks(rows: { link: string; target: string }[]): Promise<void> {
    const wrong: string[] = [];
    for (const row of rows) {
      const link = await this.expand(row.link);
      const target = await this.expand(row.target);
      const stat = await this.client.call('sysfs_stat', { path: link });
      if (!stat.ok || stat.value.type !== 'link') {
        wrong.push(`${link} is ${stat.ok ? `a ${stat.value.type}` : `missing (${stat.errno})`}, not a link`);
        continue;
      }
      const [resolved, expected] = [await this.realpath(link), await this.realpath(target)];
      if (resolved !== expected) wrong.push(`${link} leads to ${resolved}, not ${expected}`);
    }
    expect(wrong.length === 0, wrong.join('; '));
  }

  async expectContents(rows: { file: string; content: string }[]): Promise<void> {
    const wrong: string[] = [];
    for (const row of rows) {
      const path = await this.expand(row.file);
      const expected = Buffer.from(decodeEscapes(await this.expand(row.content))).toString('latin1');
      const out = await this.client.call('sysfs_read', { path });
      if (!out.ok) wrong.push(`${path}: ${out.errno}`);
      else if (latin1(out.value.data) !== expected) wrong.push(`${path} reads ${show(latin1(out.value.data))}, expected ${show(expected)}`);
    }
    expect(wrong.length === 0, wrong.join('; '));
  }

  // The entries of a directory, exactly; the optional ones may be there or not.
  async expectListing(dirTemplate: string, entries: string[], optional: string[] = []): Promise<void> {
    const dir = await this.expand(dirTemplate);
    const expected = (await Promise.all(entries.map((e) => this.expand(e)))).sort();
    const out = await this.client.call('sysfs_list', { path: dir });
    expect(out.ok, `listing ${dir} failed with ${describeOutcome(out)}`);
    const listed = [...out.value.entries].filter((e) => !optional.includes(e)).sort();
    expectEqual(listed, expected, `the entries of ${dir}${optional.length ? ` (besides the optional ${optional.join(', ')})` : ''}`);
  }

  // A type's devices/, less the links it held when the scenario chose the type.
  async expectTypeDevices(typeName: string, entries: string[]): Promise<void> {
    const type = await this.type(typeName);
    const before = this.devicesBefore.get(type.id);
    expect(before !== undefined, `type "${typeName}" was not chosen by a Given of this scenario`);
    await this.expectListing(`${type.dir}/devices`, await Promise.all(entries.map((e) => this.expand(e))), before);
  }

  async expectOneLine(fileTemplate: string): Promise<void> {
    const path = await this.expand(fileTemplate);
    const text = await this.readText(path);
    expect(/^[^\n]+\n$/.test(text), `${path} must read one non-empty line ending with a newline, got ${show(text)}`);
  }

  // device_api holds one of the API strings vfio.h defines, and a newline.
  async expectDeviceApi(fileTemplate: string): Promise<void> {
    const path = await this.expand(fileTemplate);
    const text = await this.readText(path);
    expect(VFIO_DEVICE_APIS.some((api) => text === `${api}\n`), `${path} reads ${show(text)}, not one of ${VFIO_DEVICE_APIS.join(', ')} and a newline`);
  }

  async expectGone(name: string): Promise<void> {
    const ref = this.mdev(name);
    const paths = [`${MDEV_BUS_DEVICES}/${ref.uuid}`, ref.dir, `${ref.typeDir}/devices/${ref.uuid}`];
    if (ref.driver) paths.push(`/sys/bus/mdev/drivers/${ref.driver}/${ref.uuid}`);
    await this.expectAbsent(paths);
  }

  // The VFIO core names an mdev's class device vfio<N> after its device index
  // and, with the cdev, numbers it <major>:<N> with /dev/vfio/devices/vfio<N>;
  // without the cdev there is no number and no node.
  async expectVfioDevNumbered(name: string): Promise<void> {
    const ref = this.mdev(name);
    const node = `${ref.dir}/vfio-dev/${await this.placeholder('vfio', name)}`;
    const index = /^vfio(\d+)$/.exec(ref.vfio ?? '')?.[1];
    expect(index !== undefined, `the vfio-dev node of mdev "${name}" is called ${ref.vfio}, not vfio<N>`);
    const dev = await this.client.call('sysfs_read', { path: `${node}/dev` });
    if (!dev.ok) {
      expect(dev.errno === 'ENOENT', `reading ${node}/dev failed with ${dev.errno}`);
      return this.expectAbsent([`/dev/vfio/devices/${ref.vfio}`]);
    }
    const m = /^(\d+):(\d+)\n$/.exec(latin1(dev.value.data));
    expect(m !== null, `${node}/dev reads ${show(latin1(dev.value.data))}, not <major>:<minor> and a newline`);
    expect(m[2] === index, `${node}/dev gives minor ${m[2]}, but the node is called ${ref.vfio}`);
    await this.expectContents([{ file: `${node}/uevent`, content: `MAJOR=${m[1]}\nMINOR=${index}\nDEVNAME=vfio/devices/${ref.vfio}\n` }]);
    await this.expectExisting([{ path: `/dev/vfio/devices/${ref.vfio}`, kind: 'char' }]);
  }

  async expectPresent(name: string): Promise<void> {
    const ref = this.mdev(name);
    await this.expectExisting([{ path: `${MDEV_BUS_DEVICES}/${ref.uuid}`, kind: 'link' }, { path: `${ref.dir}/remove`, kind: 'file' }]);
  }

  async expectDecimalCounts(): Promise<void> {
    for (const id of (await this.types()).keys()) await this.available(id);
  }

  // Every type directory is "<prefix>-<name>", the prefix being the parent's
  // driver name, else its bus name, else its class name.
  async expectTypeNaming(): Promise<void> {
    const wrong: string[] = [];
    const types = await this.types();
    expect(types.size > 0, 'no parent offers a type under /sys/class/mdev_bus');
    for (const [id, info] of types) {
      const prefix = await this.driverString(info.parentDir);
      if (!prefix || !id.startsWith(`${prefix}-`) || id.length === prefix.length + 1) {
        wrong.push(`${id} (parent ${info.parent}, whose driver, bus or class is ${prefix ?? 'unknown'})`);
      }
    }
    expect(wrong.length === 0, `type directories not named <driver, bus or class>-<name>: ${wrong.join(', ')}`);
  }

  private async driverString(deviceDir: string): Promise<string | undefined> {
    const driver = await this.linkName(`${deviceDir}/driver`);
    if (driver) return driver;
    const subsystem = await this.client.call('sysfs_readlink', { path: `${deviceDir}/subsystem` });
    if (!subsystem.ok) return undefined;
    const target = await this.realpath(`${deviceDir}/subsystem`);
    const m = /^\/sys\/(?:bus|class)\/([^/]+)$/.exec(target);
    return m?.[1];
  }

  // --- the VFIO device of an mdev ----------------------------------------------------------------------------
  async open(name: string): Promise<void> {
    const ref = this.mdev(name);
    ref.fds.push((await this.client.must('open_device', { path: `${MDEV_BUS_DEVICES}/${ref.uuid}` })).fd);
  }

  async openAgain(name: string): Promise<void> {
    const ref = this.mdev(name);
    const out = await this.client.call('open_device', { path: `${MDEV_BUS_DEVICES}/${ref.uuid}` });
    if (!out.ok) {
      throw new NotApplicable(`a second open of the VFIO device of mdev "${name}" fails with ${out.errno}: the implementation opens devices through the device cdev, which allows one open at a time`);
    }
    ref.fds.push(out.value.fd);
  }

  async closeOne(name: string): Promise<void> {
    const fd = this.mdev(name).fds.pop();
    expect(fd !== undefined, `the VFIO device of mdev "${name}" is not open`);
    await this.client.must('close', { fd });
  }

  async closeAll(name: string): Promise<void> {
    const ref = this.mdev(name);
    while (ref.fds.length > 0) await this.closeOne(name);
  }

  private async feature(fd: number, flags: number, payload: Uint8Array): Promise<Outcome<Uint8Array>> {
    const arg = encodeFeature({ argsz: FEATURE_HEADER_SIZE + payload.length, flags }, payload);
    const out = await this.client.call('ioctl', { fd, request: IOCTL.VFIO_DEVICE_FEATURE, arg: toHex(arg) });
    if (!out.ok) return out;
    expect(out.value.arg !== null, 'VFIO_DEVICE_FEATURE must return its argument buffer');
    return { ok: true, value: fromHex(out.value.arg).subarray(FEATURE_HEADER_SIZE) };
  }

  private async deviceFd(name: string): Promise<number> {
    const ref = this.mdev(name);
    if (ref.fds.length === 0) await this.open(name);
    return ref.fds[0];
  }

  async readMigrationFlags(name: string): Promise<void> {
    const out = await this.feature(await this.deviceFd(name), FEATURE_FLAG.GET | FEATURE.MIGRATION, new Uint8Array(8));
    this.world.record(out.ok ? { ok: true, value: { flags: u64Payload.decode(out.value) } } : out);
  }

  expectMigrationFlags(flags: bigint): void {
    const last = this.world.last;
    expect(last?.ok === true, `reading the migration flags failed: ${describeOutcome(last)}`);
    expectEqual((last.value as { flags: bigint }).flags, flags, 'the migration flags');
  }

  // Take the device to STOP_COPY and keep the data fd it hands out.
  async startSaving(name: string): Promise<void> {
    const fd = await this.deviceFd(name);
    const flags = await this.feature(fd, FEATURE_FLAG.GET | FEATURE.MIGRATION, new Uint8Array(8));
    if (!flags.ok) throw new NotApplicable(`the VFIO device of mdev "${name}" does not migrate (${flags.errno}), so nothing shows its close_device`);
    const out = await this.feature(fd, FEATURE_FLAG.SET | FEATURE.MIG_DEVICE_STATE,
      migState.encode({ device_state: STATE_VALUE.STOP_COPY, data_fd: -1 }));
    expect(out.ok, `setting STOP_COPY failed with ${describeOutcome(out)}`);
    const dataFd = migState.decode(out.value).data_fd;
    expect(dataFd >= 0, 'STOP_COPY returned no data fd');
    this.mdev(name).dataFd = dataFd;
  }

  async readDataFd(name: string): Promise<void> {
    const fd = this.mdev(name).dataFd;
    expect(fd !== undefined, `mdev "${name}" has no data fd`);
    this.world.record(await this.client.call('read', { fd, count: 1 }));
  }

  // --- modules ------------------------------------------------------------------------------------------------
  async unloadModuleOf(typeName: string): Promise<void> {
    const type = await this.type(typeName);
    const module = type.declaredParent?.module;
    if (!module) throw new NotApplicable(`the implementation declares no module for the parent ${type.parent}`);
    await this.unloadModule(module);
  }

  async unloadModule(name: string): Promise<void> {
    const { pending } = await this.client.must('delete_module_start', { name });
    const outcome = this.world.record(await this.finish(pending, `unloading module ${name}`));
    if (!outcome.ok) return;
    // Parents that left /sys/class/mdev_bus with the module no longer count in snapshots.
    const listed = new Set(await this.listOrEmpty(MDEV_BUS_CLASS));
    for (const t of (await this.types()).values()) if (!listed.has(t.parent)) this.unregistered.add(t.parent);
  }

  // --- paths ----------------------------------------------------------------------------------------------------
  async expand(template: string): Promise<string> {
    let out = '';
    let last = 0;
    for (const m of template.matchAll(PLACEHOLDER)) {
      out += template.slice(last, m.index) + (await this.placeholder(m[1], m[2]));
      last = (m.index ?? 0) + m[0].length;
    }
    return out + template.slice(last);
  }

  private async placeholder(kind: string, arg: string | undefined): Promise<string> {
    switch (kind) {
      case 'uuid':
      case 'UUID':
      case 'Uuid':
        return uuidForm(arg === undefined ? this.uuid : this.mdev(arg).uuid, kind as UuidForm);
      case 'dev':
        return this.mdev(need(arg, kind)).dir;
      case 'group': {
        const ref = this.mdev(need(arg, kind));
        expect(ref.group !== undefined, `mdev "${ref.name}" had no iommu_group link when it was created`);
        return ref.group;
      }
      case 'vfio': {
        const ref = this.mdev(need(arg, kind));
        expect(ref.vfio !== undefined, `mdev "${ref.name}" had no vfio-dev node when it was created`);
        return ref.vfio;
      }
      case 'type':
        return (await this.type(need(arg, kind))).dir;
      case 'mdev_bus':
        return `${MDEV_BUS_CLASS}/${(await this.type(need(arg, kind))).parent}`;
      case 'driver':
        return this.driverOf(need(arg, kind));
      case 'other_driver':
        return this.otherDriver(need(arg, kind));
      default:
        return (await this.type(need(arg, kind))).parentDir;
    }
  }

  // realpath(3) through the contract: every link on the way is followed.
  async realpath(path: string): Promise<string> {
    let resolved = '/';
    let rest = path.split('/').filter(Boolean);
    for (let hops = 0; rest.length > 0;) {
      const part = rest.shift() as string;
      if (part === '.') continue;
      if (part === '..') {
        resolved = posix.dirname(resolved);
        continue;
      }
      const next = posix.join(resolved, part);
      const stat = await this.client.call('sysfs_stat', { path: next });
      if (!stat.ok || stat.value.type !== 'link') {
        resolved = next; // a missing component stays as written
        continue;
      }
      expect(++hops <= 40, `${path}: too many levels of links`);
      const target = (await this.client.must('sysfs_readlink', { path: next })).target;
      if (target.startsWith('/')) resolved = '/';
      rest = [...target.split('/').filter(Boolean), ...rest];
    }
    return resolved;
  }

  private async linkName(path: string): Promise<string | undefined> {
    const out = await this.client.call('sysfs_readlink', { path });
    return out.ok ? posix.basename(out.value.target) : undefined;
  }

  private async readText(path: string): Promise<string> {
    const out = await this.client.call('sysfs_read', { path });
    expect(out.ok, `reading ${path} failed with ${describeOutcome(out)}`);
    return latin1(out.value.data);
  }

  private async listOrEmpty(path: string): Promise<string[]> {
    const out = await this.client.call('sysfs_list', { path });
    if (!out.ok && out.errno === 'ENOENT') return [];
    expect(out.ok, `listing ${path} failed with ${describeOutcome(out)}`);
    return out.value.entries;
  }
}

function need(arg: string | undefined, kind: string): string {
  if (arg === undefined) throw new Error(`{${kind}} needs a name, as in {${kind}:A}`);
  return arg;
}
