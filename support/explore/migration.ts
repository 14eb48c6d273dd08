// The migration model: the oracle an exploration of VFIO migration v2 checks
// every answer against. It follows the uAPI (support/vfio/arc-model.ts for the
// paths), tracks the two data fds the steps can name, the saved stream and what
// each resume fd was fed, and accepts every outcome the uAPI leaves to the
// driver. Each command acts through the migration session exactly as its step
// does and records that step, so a sequence reads back as a scenario.
import fc from 'fast-check';
import type { DeclaredDevice } from '../contract/protocol';
import { CLAUSES } from '../clauses';
import { expectedTransition, legalStates } from '../vfio/arc-model';
import { checks } from '../vfio/checks';
import type { FdRef } from '../vfio/session';
import { flagsName, MIG_FLAG, MIG_STATES, MigState, SAVING_STATES, STATE_VALUE, stateName } from '../uapi/vfio';
import { describeOutcome, expect } from '../world/assert';
import { ExploreWorld } from './world';
import { NotSupportedByImplementation } from '../contract/client';
import { NotApplicable } from '../world/skip';
import { hasChange } from '../kernel/releases';
import { dmaCommands } from './dma';
import { Counted, type Journal } from './journal';

export type DeviceName = 'device' | 'dst';
export type FdStatus = 'live' | 'ended' | 'unknown' | 'closed';
// What a resume fd has been given: nothing yet, exactly one complete stream, a
// prefix of one (RESUMING to STOP must then fail), or anything else.
type Feed = 'nothing' | 'valid' | 'incomplete' | 'unknown';
// The saved stream of the session: one whole stream of a device like both, a
// prefix of one still being read from its fd, a prefix cut short on purpose,
// or anything else (mixed, corrupted).
type Stream = 'empty' | 'complete' | 'partial' | 'truncated' | 'other';

export interface DataFdModel {
  owner: DeviceName;
  direction: 'save' | 'resume';
  status: FdStatus;
  endedBy?: string; // the clause that says it has ended
  readFrom: boolean;
  atEnd: boolean; // a STOP_COPY stream read to its end
  fed: Feed;
  drained?: boolean; // read to a pre-copy temporary end (nothing the explorer does dirties the device again)
}

// DMA logging of one device, over the 16 pages of 4 KiB from IOVA 0x100000
// the explorer maps and writes: each page clean, dirty (a report must set its
// bit) or maybe (the uAPI leaves it open: tracked at a coarser page size,
// outside the logged ranges, or a DMA that may land later).
export type PageMark = 'clean' | 'dirty' | 'maybe';
export interface LogModel { status: 'off' | 'on' | 'unknown'; granule: bigint; inRange: boolean[]; marks: PageMark[] }

export interface DeviceModel {
  flags: number;
  state: MigState;
  log: LogModel;
  mapped: 'no' | 'yes' | 'lost'; // the 64 KiB at IOVA 0x100000 (lost after a reopen: not mapped again)
  memory: (number | undefined)[]; // the first byte of each page, when known
  tainted: Set<number>; // pages a stopped device was asked to write (the write may land later)
  flrOffered?: boolean; // the Given of FLR was journaled
}

// What the declared device kind offers, learned once per run.
export interface KindFacts { driver: string; logging: boolean; dma: boolean; flr: boolean; enotty: boolean }

export interface MigrationModel {
  devices: Partial<Record<DeviceName, DeviceModel>>;
  fd?: DataFdModel;
  previous?: DataFdModel;
  stream: Stream;
  streamFd?: DataFdModel;
  hangingAllowed: boolean;
  departures: Set<string>; // uAPI clauses the declared driver is recorded to depart from
  facts: KindFacts;
}

export interface MigrationReal { world: ExploreWorld; journal: Journal; visited: Set<string> }

export type Command = fc.AsyncCommand<MigrationModel, MigrationReal>;

const SAVING = new Set<string>(SAVING_STATES);
export const isSaving = (s: MigState) => SAVING.has(s);
export const phrase = (d: DeviceName) => (d === 'device' ? 'the device' : 'device "dst"');
export const refOf = (which: 'fd' | 'previous'): FdRef => (which === 'fd' ? 'the data fd' : 'the previous data fd');
export const flagsPhrase = (flags: number) => (Object.keys(MIG_FLAG) as (keyof typeof MIG_FLAG)[]).filter((n) => flags & MIG_FLAG[n]).join('+');
export const statesPhrase = (states: MigState[]) => {
  const unique = [...new Set(states)];
  return unique.length === 1 ? unique[0] : `${unique.slice(0, -1).join(', ')} or ${unique[unique.length - 1]}`;
};

export function fdsOf(m: MigrationModel, owner: DeviceName): DataFdModel[] {
  return [m.fd, m.previous].filter((f): f is DataFdModel => f !== undefined && f.owner === owner);
}

export function endFds(m: MigrationModel, owner: DeviceName, clause: string, which: (f: DataFdModel) => boolean = () => true): void {
  for (const f of fdsOf(m, owner)) {
    if ((f.status === 'live' || f.status === 'unknown') && which(f)) {
      f.status = 'ended';
      f.endedBy = clause;
    }
  }
}

export async function currentState(r: MigrationReal, device: DeviceName): Promise<MigState> {
  const value = await r.world.vfio.getState(device);
  const name = MIG_STATES[value];
  expect(name !== undefined, `GET of MIG_DEVICE_STATE answered ${value}, which is no state`);
  return name;
}

export function visit(r: MigrationReal, m: MigrationModel, device: DeviceName): void {
  const d = m.devices[device];
  if (d) r.visited.add(d.state);
}

// --- the commands ------------------------------------------------------------

class SetState implements Command {
  constructor(readonly device: DeviceName, readonly target: number) {}

  check(m: MigrationModel): boolean {
    const d = m.devices[this.device];
    if (!d) return false;
    return m.hangingAllowed || !hangs(d, this.target);
  }

  async run(m: MigrationModel, r: MigrationReal): Promise<void> {
    const d = m.devices[this.device] as DeviceModel;
    const from = d.state;
    const target = MIG_STATES[this.target];
    const j = r.journal;
    if (hangs(d, this.target)) j.tags.add('@hangs-unfixed-kernels');
    await j.act('C-MIG-011', 'When', `${phrase(this.device)} is set to ${target ?? this.target}`, () => r.world.vfio.setStep(this.device, this.target));
    const last = () => r.world.last;

    if (from === 'ERROR') {
      await j.expect('C-MIG-042', 'the call fails', () => expect(last()?.ok === false, `a SET in ERROR must fail, got ${describeOutcome(last())}`));
      await this.payloadWrittenBack(r);
      await j.expect('C-MIG-042', `${phrase(this.device)} is in state ERROR`, () => checks.state(r.world as never, this.device, STATE_VALUE.ERROR));
      return;
    }
    const unsupported = target === undefined || target === 'ERROR' || !legalStates(d.flags).includes(target);
    if (unsupported) {
      const clause = target === undefined || target === 'ERROR' ? 'C-MIG-005' : 'C-MIG-004';
      await j.expect(clause, 'the call fails with EINVAL', () => failsWith(r, 'EINVAL'));
      await this.payloadWrittenBack(r);
      await j.expect(clause, `${phrase(this.device)} is in state ${from}`, () => checks.state(r.world as never, this.device, STATE_VALUE[from]));
      return;
    }
    const expectation = expectedTransition(d.flags, from, target);
    if (expectation.kind === 'refused') {
      await j.expect('C-MIG-010', 'the call fails with EINVAL', () => failsWith(r, 'EINVAL'));
      await this.payloadWrittenBack(r);
      await j.expect('C-MIG-010', `${phrase(this.device)} is in state ${from}`, () => checks.state(r.world as never, this.device, STATE_VALUE[from]));
      return;
    }
    const path = expectation.kind === 'same' ? [from] : expectation.path;
    // Only leaving RESUMING may fail: the stream it was given decides.
    let mayFail = false;
    let mustFail = false;
    let clause = expectation.kind === 'same' ? 'C-MIG-006' : 'C-MIG-011';
    if (from === 'RESUMING' && target !== 'RESUMING') {
      const resume = fdsOf(m, this.device).find((f) => f.direction === 'resume' && f.status !== 'closed');
      const feed: Feed = resume === undefined ? 'unknown' : resume.status === 'live' ? resume.fed : 'unknown';
      if (feed === 'valid') clause = 'C-MIG-024';
      else if (feed === 'nothing' || feed === 'incomplete') {
        clause = 'C-MIG-037';
        mustFail = !m.departures.has('C-MIG-037');
        mayFail = true;
      } else mayFail = true;
    }
    const succeeded = last()?.ok === true;
    if (mustFail || (mayFail && !succeeded)) {
      await j.expect(clause, 'the call fails', () => expect(last()?.ok === false, `leaving RESUMING after an incomplete stream must fail, got ${describeOutcome(last())}`));
      await this.payloadWrittenBack(r);
      const allowed = [...path, 'ERROR'] as MigState[];
      await j.expect('C-MIG-013', `${phrase(this.device)} is in one of the states ${statesPhrase(allowed)}`, () => checks.oneOfStates(r.world as never, this.device, allowed.map((s) => STATE_VALUE[s])));
      d.state = await currentState(r, this.device);
      for (const f of fdsOf(m, this.device)) if (f.status === 'live') f.status = 'unknown';
      visit(r, m, this.device);
      return;
    }
    const newFd = expectation.kind === 'path' && expectation.newFd;
    await j.expect(clause, 'the call succeeds', () => expect(succeeded, `expected the SET from ${from} to ${target} to succeed, got ${describeOutcome(last())}`));
    await j.expect(newFd ? 'C-MIG-016' : 'C-MIG-017', `the SET gives ${newFd ? 'a new data fd' : 'data_fd -1'}`, () => checks.setResult(r.world as never, newFd ? 'a new data fd' : 'data_fd -1'));
    await j.expect('C-MIG-011', `${phrase(this.device)} is in state ${target}`, () => checks.state(r.world as never, this.device, this.target));
    for (let i = 1; i < path.length; i++) {
      const [a, b] = [path[i - 1], path[i]];
      if (isSaving(a) && !isSaving(b)) endFds(m, this.device, 'C-MIG-025', (f) => f.direction === 'save');
      if (a === 'RESUMING') endFds(m, this.device, 'C-MIG-025', (f) => f.direction === 'resume');
      if (a === 'STOP' && (b === 'STOP_COPY' || b === 'RESUMING')) endFds(m, this.device, 'C-MIG-025');
    }
    d.state = target;
    if (newFd) {
      m.previous = m.fd;
      m.fd = { owner: this.device, direction: target === 'RESUMING' ? 'resume' : 'save', status: 'live', readFrom: false, atEnd: false, fed: 'nothing' };
    }
    visit(r, m, this.device);
  }

  // The core writes the payload back with data_fd -1 whatever made the driver fail.
  private payloadWrittenBack(r: MigrationReal): Promise<void> {
    const target = MIG_STATES[this.target] ?? `${this.target}`;
    return r.journal.expect('C-MIG-014', `the payload written back holds device_state ${target} and data_fd -1`, () => checks.failedSetPayload(r.world as never, this.target));
  }

  toString(): string {
    return `set(${this.device}, ${stateName(this.target)})`;
  }
}

// STOP_COPY to a pre-copy state: kernels without the 2026 fix spin forever on it.
function hangs(d: DeviceModel, target: number): boolean {
  const t = MIG_STATES[target];
  return d.state === 'STOP_COPY' && (t === 'PRE_COPY' || t === 'PRE_COPY_P2P') && legalStates(d.flags).includes(t);
}

export function failsWith(r: MigrationReal, errno: string): void {
  const last = r.world.last;
  expect(last?.ok === false && last.errno === errno, `expected ${errno}, got ${describeOutcome(last)}`);
}

class Reset implements Command {
  constructor(readonly device: DeviceName) {}
  check(m: MigrationModel): boolean {
    return m.devices[this.device] !== undefined;
  }
  async run(m: MigrationModel, r: MigrationReal): Promise<void> {
    const j = r.journal;
    await j.act('C-MIG-040', 'When', `${phrase(this.device)} is reset`, () => r.world.vfio.reset(this.device));
    await j.expect('C-MIG-040', 'the call succeeds', () => expect(r.world.last?.ok === true, `VFIO_DEVICE_RESET must succeed, got ${describeOutcome(r.world.last)}`));
    await j.expect('C-MIG-040', `${phrase(this.device)} is in state RUNNING`, () => checks.state(r.world as never, this.device, STATE_VALUE.RUNNING));
    const d = m.devices[this.device] as DeviceModel;
    d.state = 'RUNNING';
    d.log = unknownLog(d.log); // the uAPI says nothing of logging across a reset
    endFds(m, this.device, 'C-MIG-041');
    visit(r, m, this.device);
  }
  toString(): string {
    return `reset(${this.device})`;
  }
}

class Reopen implements Command {
  constructor(readonly device: DeviceName) {}
  check(m: MigrationModel): boolean {
    return m.devices[this.device] !== undefined;
  }
  async run(m: MigrationModel, r: MigrationReal): Promise<void> {
    const d = m.devices[this.device] as DeviceModel;
    const j = r.journal;
    await j.act('C-MIG-088', 'When', `${phrase(this.device)} is closed and opened again`, () => r.world.vfio.reopen(this.device));
    // Only SET and resets change the state; the open may reset the device (C-MIG-012).
    // A driver's profile may say which: every open starts in RUNNING, or the state is kept.
    const profile = REOPEN_PROFILE[m.facts.driver];
    const allowed: MigState[] = profile?.keeps ? [d.state] : profile || d.state === 'RUNNING' ? ['RUNNING'] : [d.state, 'RUNNING'];
    const text = allowed.length === 1 ? `${phrase(this.device)} is in state ${allowed[0]}` : `${phrase(this.device)} is in one of the states ${statesPhrase(allowed)}`;
    await j.expect(profile?.clause ?? 'C-MIG-012', text, () => checks.oneOfStates(r.world as never, this.device, allowed.map((s) => STATE_VALUE[s])));
    d.state = await currentState(r, this.device);
    d.log = unknownLog(d.log);
    if (d.mapped === 'yes') d.mapped = 'lost';
    endFds(m, this.device, 'C-MIG-088');
    visit(r, m, this.device);
  }
  toString(): string {
    return `reopen(${this.device})`;
  }
}

abstract class FdCommand implements Command {
  constructor(readonly which: 'fd' | 'previous') {}
  protected fdOf(m: MigrationModel): DataFdModel | undefined {
    return m[this.which];
  }
  protected get ref(): FdRef {
    return refOf(this.which);
  }
  abstract check(m: MigrationModel): boolean;
  abstract run(m: MigrationModel, r: MigrationReal): Promise<void>;
  // How the command reads in a printed sequence: its label, the fd, then its own arguments.
  protected abstract readonly label: string;
  protected details(): unknown[] {
    return [];
  }
  toString(): string {
    return `${this.label}(${[this.which, ...this.details()].join(', ')})`;
  }
}

class ExpectEnded extends FdCommand {
  protected readonly label = 'expectEnded';
  check(m: MigrationModel): boolean {
    return this.fdOf(m)?.status === 'ended';
  }
  async run(m: MigrationModel, r: MigrationReal): Promise<void> {
    const f = this.fdOf(m) as DataFdModel;
    await r.journal.expect(f.endedBy ?? 'C-MIG-025', `${this.ref} has ended`, () => checks.ended(r.world as never, this.ref));
  }
}

class ExpectAtEnd extends FdCommand {
  protected readonly label = 'expectAtEnd';
  check(m: MigrationModel): boolean {
    const f = this.fdOf(m);
    return f?.status === 'live' && f.atEnd && m.devices[f.owner]?.state === 'STOP_COPY';
  }
  async run(_m: MigrationModel, r: MigrationReal): Promise<void> {
    await r.journal.expect('C-MIG-021', `${this.ref} is at its end`, () => checks.permanentEnd(r.world as never, this.ref));
  }
}

class ReadToEnd extends FdCommand {
  protected readonly label = 'readToEnd';
  check(m: MigrationModel): boolean {
    const f = this.fdOf(m);
    const state = f ? m.devices[f.owner]?.state : undefined;
    return f?.status === 'live' && f.direction === 'save' && state !== undefined && isSaving(state);
  }
  async run(m: MigrationModel, r: MigrationReal): Promise<void> {
    const f = this.fdOf(m) as DataFdModel;
    const stopCopy = m.devices[f.owner]?.state === 'STOP_COPY';
    await r.journal.act('C-MIG-019', 'When', `${this.ref} is read to its end`, () => r.world.vfio.saveFrom(this.ref));
    const continues = m.stream === 'partial' && m.streamFd === f;
    const startsFresh = m.stream === 'empty' && !f.readFrom;
    // An fd read to the end of its STOP_COPY stream gives nothing more.
    if (!f.atEnd) {
      if (startsFresh || continues) {
        m.stream = stopCopy ? 'complete' : 'partial';
        m.streamFd = f;
      } else if (m.stream !== 'empty' || f.readFrom) m.stream = 'other';
    }
    f.readFrom = true;
    if (stopCopy) f.atEnd = true;
    else f.drained = true;
  }
}

class WriteStream extends FdCommand {
  protected readonly label = 'writeStream';
  constructor(which: 'fd' | 'previous', readonly chunk: number) {
    super(which);
  }
  check(m: MigrationModel): boolean {
    const f = this.fdOf(m);
    return f?.status === 'live' && f.direction === 'resume' && m.devices[f.owner]?.state === 'RESUMING';
  }
  async run(m: MigrationModel, r: MigrationReal): Promise<void> {
    const f = this.fdOf(m) as DataFdModel;
    const text = `the saved stream is written to ${this.ref} in chunks of ${this.chunk} bytes`;
    await r.journal.act('C-MIG-024', 'When', text, () => r.world.vfio.writeStream(this.ref, this.chunk));
    const first = f.fed === 'nothing';
    let fed: Feed;
    if (m.stream === 'empty') fed = f.fed;
    else if (!first) fed = 'unknown';
    else fed = m.stream === 'complete' ? 'valid' : m.stream === 'other' ? 'unknown' : 'incomplete';
    if (fed === 'valid') {
      await r.journal.expect('C-MIG-024', 'the call succeeds', () => expect(r.world.last?.ok === true, `writing a whole saved stream of a like device must succeed, got ${describeOutcome(r.world.last)}`));
    } else if (first && m.stream !== 'empty' && m.stream !== 'other' && r.world.last?.ok === false) {
      // What was refused was not delivered, so a prefix of one stream stays incomplete (C-MIG-037);
      // of a mixed stream (two saves one after the other) a whole first stream may have been delivered.
      fed = 'incomplete';
    }
    f.fed = fed;
  }
  protected override details(): unknown[] {
    return [this.chunk];
  }
}

class Misuse extends FdCommand {
  protected readonly label = 'misuse';
  constructor(which: 'fd' | 'previous', readonly syscall: 'read' | 'write' | 'pread' | 'pwrite' | 'lseek') {
    super(which);
  }
  check(m: MigrationModel): boolean {
    const f = this.fdOf(m);
    if (!f || f.status === 'closed') return false;
    return !(this.syscall === 'read' && f.direction === 'save') && !(this.syscall === 'write' && f.direction === 'resume');
  }
  async run(_m: MigrationModel, r: MigrationReal): Promise<void> {
    const positional = this.syscall !== 'read' && this.syscall !== 'write';
    await r.journal.act('C-MIG-019', 'When', `${this.ref} is used with ${this.syscall}`, () => checks.misuse(r.world as never, this.ref, this.syscall));
    const errno = positional ? 'ESPIPE' : 'EBADF';
    await r.journal.expect(positional ? 'C-MIG-020' : 'C-MIG-019', `the call fails with ${errno}`, () => failsWith(r, errno));
  }
  protected override details(): unknown[] {
    return [this.syscall];
  }
}

class FdFlags extends FdCommand {
  protected readonly label = 'fdFlags';
  check(m: MigrationModel): boolean {
    const f = this.fdOf(m);
    return f !== undefined && f.status !== 'closed';
  }
  async run(m: MigrationModel, r: MigrationReal): Promise<void> {
    const f = this.fdOf(m) as DataFdModel;
    const access = f.direction === 'save' ? 'read-only' : 'write-only';
    await r.journal.expect('C-MIG-018', `${this.ref} is close-on-exec and ${access}`, () => checks.fdFlags(r.world as never, this.ref, access));
  }
}

class CloseFd extends FdCommand {
  protected readonly label = 'closeFd';
  check(m: MigrationModel): boolean {
    const f = this.fdOf(m);
    return f !== undefined && f.status !== 'closed';
  }
  async run(m: MigrationModel, r: MigrationReal): Promise<void> {
    const f = this.fdOf(m) as DataFdModel;
    const state = (m.devices[f.owner] as DeviceModel).state;
    await r.journal.act('C-MIG-026', 'When', `${this.ref} is closed`, () => checks.close(r.world as never, this.ref));
    await r.journal.expect('C-MIG-026', 'the call succeeds', () => expect(r.world.last?.ok === true, `close must succeed, got ${describeOutcome(r.world.last)}`));
    await r.journal.expect('C-MIG-026', `${phrase(f.owner)} is in state ${state}`, () => checks.state(r.world as never, f.owner, STATE_VALUE[state]));
    f.status = 'closed';
  }
}

class PrecopyInfo extends FdCommand {
  protected readonly label = 'precopyInfo';
  constructor(which: 'fd' | 'previous', readonly argsz: number) {
    super(which);
  }
  check(m: MigrationModel): boolean {
    const f = this.fdOf(m);
    const state = f ? m.devices[f.owner]?.state : undefined;
    return f?.status === 'live' && f.direction === 'save' && state !== undefined && isSaving(state);
  }
  async run(m: MigrationModel, r: MigrationReal): Promise<void> {
    const f = this.fdOf(m) as DataFdModel;
    const state = (m.devices[f.owner] as DeviceModel).state;
    const j = r.journal;
    await j.act('C-MIG-028', 'When', `VFIO_MIG_GET_PRECOPY_INFO is issued on ${this.ref} with argsz ${this.argsz}`, () => r.world.vfio.precopyInfo(this.ref, this.argsz));
    if (state === 'STOP_COPY') {
      await j.expect('C-MIG-029', 'the call fails with EINVAL', () => failsWith(r, 'EINVAL'));
    } else if (this.argsz < 24) {
      await j.expect('C-MIG-030', 'the call fails with EINVAL', () => failsWith(r, 'EINVAL'));
    } else if (!f.readFrom) {
      await j.expect('C-MIG-033', 'the pre-copy info reports:', () => checks.precopy(r.world as never, { dirty_bytes: '0' }), [['dirty_bytes', '0']]);
    } else {
      await j.expect('C-MIG-036', 'the call succeeds', () => expect(r.world.last?.ok === true, `VFIO_MIG_GET_PRECOPY_INFO in ${state} must succeed, got ${describeOutcome(r.world.last)}`));
    }
  }
  protected override details(): unknown[] {
    return [this.argsz];
  }
}

class DataSize implements Command {
  constructor(readonly device: DeviceName) {}
  check(m: MigrationModel): boolean {
    const d = m.devices[this.device];
    return d !== undefined && d.state !== 'ERROR';
  }
  async run(_m: MigrationModel, r: MigrationReal): Promise<void> {
    await r.journal.expect('C-MIG-058', `GET of MIG_DATA_SIZE on ${phrase(this.device)} succeeds`, () => checks.dataSizeAnswers(r.world as never, this.device));
  }
  toString(): string {
    return `dataSize(${this.device})`;
  }
}

// Changes to the saved stream the steps offer.
class StreamEdit implements Command {
  constructor(readonly edit: 'discard' | 'truncate' | 'corrupt') {}
  check(m: MigrationModel): boolean {
    if (this.edit === 'discard') return m.stream !== 'empty';
    if (this.edit === 'truncate') return m.stream === 'complete';
    return m.stream === 'complete' || m.stream === 'truncated';
  }
  async run(m: MigrationModel, r: MigrationReal): Promise<void> {
    const v = r.world.vfio;
    if (this.edit === 'discard') {
      await r.journal.act('C-MIG-024', 'Given', 'the saved stream is discarded', async () => { v.savedStream = new Uint8Array(0); });
      m.stream = 'empty';
      m.streamFd = undefined;
    } else if (this.edit === 'truncate') {
      await r.journal.act('C-MIG-037', 'Given', 'the saved stream loses its last 1 bytes', async () => checks.truncateStream(r.world as never, 1));
      m.stream = 'truncated';
    } else {
      await r.journal.act('C-MIG-037', 'Given', 'the byte in the middle of the saved stream is inverted', async () => checks.corruptStream(r.world as never, Math.floor(v.savedStream.length / 2)));
      // A cut stream stays incomplete however its bytes change.
      if (m.stream === 'complete') m.stream = 'other';
    }
  }
  toString(): string {
    return `stream(${this.edit})`;
  }
}

// --- the device under exploration ---------------------------------------------

// One kind of migratable device the implementation declares, and the step that
// picks it (the first phrase whose choice lands on this kind).
export interface DeviceKind { label: string; given: string; open: (w: ExploreWorld) => Promise<unknown>; flags: number; like: boolean; facts: KindFacts }

export async function deviceKinds(w: ExploreWorld): Promise<DeviceKind[]> {
  const ordered = orderedMigrationDevices(w);
  const flags = new Map<DeclaredDevice, number>();
  for (const d of ordered) flags.set(d, await w.vfio.flagsOf(d));
  const kindOf = (d: DeclaredDevice) => `${d.driver}|${d.mdev_type ?? ''}|${flags.get(d)}`;
  const kinds: DeviceKind[] = [];
  for (const d of ordered) {
    const f = flags.get(d) ?? 0;
    if (f === 0 || kinds.some((k) => k.label === kindOf(d))) continue;
    const first = (pick: (x: DeclaredDevice) => boolean) => ordered.find((x) => pick(x));
    const choices: [DeclaredDevice | undefined, string, (w: ExploreWorld) => Promise<unknown>][] = [
      [first((x) => flags.get(x) === f), `a migratable VFIO device advertising ${flagsPhrase(f)}`, (x) => x.vfio.openAdvertising('device', f)],
      [first((x) => x.driver === d.driver && (flags.get(x) ?? 0) !== 0), `a migratable VFIO device driven by "${d.driver}"`, (x) => x.vfio.openDrivenBy('device', d.driver)],
    ];
    if (d.mdev_type) {
      const type = d.mdev_type;
      choices.push([first((x) => x.mdev_type === type && (flags.get(x) ?? 0) !== 0), `a migratable VFIO device of mdev type "${type}"`, (x) => x.vfio.openOfMdevType('device', type)]);
    }
    const choice = choices.find(([picked]) => picked !== undefined && kindOf(picked) === kindOf(d));
    if (!choice) continue;
    const like = ordered.filter((x) => kindOf(x) === kindOf(d)).length > 1;
    const facts = await kindFacts(w, d, choice[2]);
    kinds.push({ label: kindOf(d), given: choice[1], open: choice[2], flags: f, like, facts });
  }
  return kinds;
}

// The order the session tries declared devices in (TCK_DEVICE first).
function orderedMigrationDevices(w: ExploreWorld): DeclaredDevice[] {
  const all = w.info.devices.filter((d) => d.roles.includes('vfio-migration'));
  const chosen = process.env.TCK_DEVICE;
  return chosen ? [...all.filter((d) => d.path === chosen), ...all.filter((d) => d.path !== chosen)] : all;
}

export function describeKind(kind: DeviceKind): string {
  const [driver, type] = kind.label.split('|');
  return `${driver}${type ? ` ${type}` : ''}, ${flagsName(kind.flags)}`;
}

export function initialModel(kind: DeviceKind, withDst: boolean, hangingAllowed: boolean): MigrationModel {
  const driver = kind.facts.driver;
  const departures = new Set(Object.values(CLAUSES).filter((c) => c.driver === driver && c.deviates).map((c) => c.deviates as string));
  const fresh = (): DeviceModel => ({
    flags: kind.flags, state: 'RUNNING', mapped: 'no', memory: Array(PAGES).fill(0), tainted: new Set(),
    log: { status: 'off', granule: 4096n, inRange: Array(PAGES).fill(false), marks: Array(PAGES).fill('clean') },
  });
  const devices: MigrationModel['devices'] = { device: fresh() };
  if (withDst) devices.dst = fresh();
  return { devices, stream: 'empty', hangingAllowed, departures, facts: kind.facts };
}

// What a device of this kind offers beyond its flags: DMA logging (a PROBE of
// START), the device_dma hook, an FLR in its PCI Express capability; and
// whether the kernel answers ENOTTY for an unknown feature.
async function kindFacts(w: ExploreWorld, d: DeclaredDevice, open: (w: ExploreWorld) => Promise<unknown>): Promise<KindFacts> {
  const logging = await w.vfio.loggingOf(d);
  const probe = new ExploreWorld(w.client, w.info);
  await open(probe);
  const fd = probe.vfio.device('device').fd;
  let dma = false;
  if (w.info.capabilities.includes('device_dma')) {
    try {
      dma = (await w.client.call('device_dma', { fd, iova: '0', data: '', peer: false })).ok;
    } catch (error) {
      if (!(error instanceof NotSupportedByImplementation)) throw error;
    }
  }
  let flr = true;
  try {
    await probe.vfio.requirePcie('device', true);
  } catch (error) {
    if (!(error instanceof NotApplicable)) throw error;
    flr = false;
  }
  await w.client.must('close', { fd });
  return { driver: d.driver, logging, dma, flr, enotty: hasChange(w.info.platform.kernel, 'feature-enotty') };
}

// Unknown after a reset or a reopen: the next STOP or a START that succeeds makes it known again.
export function unknownLog(log: LogModel): LogModel {
  return log.status === 'off' ? { ...log, status: 'unknown' } : { ...log, status: 'unknown', marks: log.marks.map(() => 'maybe') };
}

export const PAGES = 16; // the explorer's window: 64 KiB at IOVA 0x100000

// Drivers whose profile says what a new open finds.
const REOPEN_PROFILE: Record<string, { clause: string; keeps?: boolean }> = {
  refmig: { clause: 'C-MIG-123' },
  mlx5_vfio_pci: { clause: 'C-MIG-124' },
  tckmig: { clause: 'C-MIG-102' },
  mtty: { clause: 'C-MIG-089', keeps: true },
};

// Every command a sequence may hold, weighted toward moving through the state
// machine and using the data fds.
export function migrationCommands(): fc.Arbitrary<Command>[] {
  const device = fc.constantFrom<DeviceName>('device', 'device', 'dst');
  const which = fc.constantFrom<'fd' | 'previous'>('fd', 'fd', 'fd', 'previous');
  const target = fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 1, max: 7 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 8) });
  const syscall = fc.constantFrom<'read' | 'write' | 'pread' | 'pwrite' | 'lseek'>('read', 'write', 'pread', 'pwrite', 'lseek');
  const all: fc.Arbitrary<Command>[] = [
    ...Array(6).fill(fc.tuple(device, target).map(([d, t]) => new SetState(d, t))),
    device.map((d) => new Reset(d)),
    device.map((d) => new Reopen(d)),
    device.map((d) => new DataSize(d)),
    ...Array(3).fill(which.map((w) => new ReadToEnd(w))),
    ...Array(3).fill(fc.tuple(which, fc.constantFrom(4096, 1000)).map(([w, c]) => new WriteStream(w, c))),
    ...Array(3).fill(which.map((w) => new ExpectEnded(w))),
    which.map((w) => new ExpectAtEnd(w)),
    fc.tuple(which, syscall).map(([w, s]) => new Misuse(w, s)),
    which.map((w) => new FdFlags(w)),
    which.map((w) => new CloseFd(w)),
    fc.tuple(which, fc.constantFrom(24, 24, 16, 23, 25, 4096)).map(([w, a]) => new PrecopyInfo(w, a)),
    fc.constantFrom<'discard' | 'truncate' | 'corrupt'>('discard', 'truncate', 'corrupt').map((e) => new StreamEdit(e)),
    ...dmaCommands(),
  ];
  return all.map((a) => a.map((c) => new Counted(c)));
}
