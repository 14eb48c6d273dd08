// An implementation behind an adapter process, spoken to in JSON lines over
// its stdin and stdout (docs/adapter-guide.md, schema/vfio-tck-protocol.schema.json).
//
// The transport holds the adapter to the framing: one answer per request, in
// order, echoing the id, within the call's timeout, one line of JSON no longer
// than the bound. Anything else (a crash, a hang, garbage, a wrong id, a flood,
// an exit before stop) becomes a BrokenImplementation naming what was wrong,
// with the last lines the adapter wrote to stderr; it is thrown to the request
// that was waiting, or, when nothing was waiting, to the next request. The
// process is then killed, and the next scenario (its begin_scenario) starts a
// fresh one, which must declare the same at hello. The Client checks what an
// answer carries; this file checks the envelope around it.
import { performance } from 'node:perf_hooks';
import { BrokenImplementation, describeZodError } from '../contract/client';
import { ImplementationInfo, Implementation, PROTOCOL_VERSION, Request, RESULT_SCHEMAS } from '../contract/protocol';
import { formatCommandLine } from './command-line';
import { isPlainObject, MAX_NESTING, nestingDepth, unknownFields, WireAnswer, WireRequest } from './envelope';
import { AdapterProcess, describeLeftBehind, InvalidText, LineTail, newSession, reapSession, SESSION_ENV } from './process';
import { AdapterSettings, ENV } from './settings';

type Answer = Record<string, unknown> & { ok?: unknown };

interface Waiting {
  id: number;
  op: string;
  timeoutMs: number;
  timeoutHint: string;
  started: number;
  timer: NodeJS.Timeout;
  resolve(answer: Answer): void;
  reject(error: Error): void;
}

// A scenario as the transport knows it: its file and line (the key of every
// report) and its name.
export interface ScenarioRef {
  key: string;
  name: string;
}

interface Fault {
  error: BrokenImplementation;
  reported: boolean; // thrown to a request already
  between: boolean; // found when no request was waiting, after the scenario's last answer
}

export interface AdapterStats {
  command: string;
  starts: number;
  calls: number;
  round_trip_ms: { median: number; p90: number; max: number; total: number } | null;
  by_op: Record<string, { calls: number; total_ms: number }>;
  protocol_issues: string[];
  // Faults the adapter committed between scenarios (a line after a scenario's
  // last answer that no request asked for, an exit): counted against the
  // adapter as a whole, never against the scenario that came next.
  faults_between_scenarios: string[];
  // Lines that answered a request of a scenario that had ended (a second
  // answer, an answer ahead of its request): each makes that scenario broken
  // after the fact, and the scenario running when it arrived goes on.
  late_blames: { scenario: string; name: string; message: string }[];
  // Processes the adapter started that were still running when the run ended,
  // outside its process group (setsid, setpgid); each was killed.
  left_behind: string[];
}

const STDERR_LINES_IN_MESSAGES = 20;
const EXCERPT_CHARS = 200;

function excerpt(text: string): string {
  const shown = text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}... (${text.length} characters)` : text;
  // JSON escapes C0 controls; DEL and C1 (which a terminal also obeys) too.
  return JSON.stringify(shown).replace(/[\x7f-\x9f]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export class StdioAdapter implements Implementation {
  private proc?: AdapterProcess;
  private nextId = 0;
  private waiting?: Waiting;
  private lastAnswered?: string;
  private fault?: Fault;
  private gaveUp?: BrokenImplementation;
  private declared?: string; // what the first hello declared, canonical JSON
  private slowFaults = 0; // timeouts and failed starts since the last good answer
  private startFaults = 0; // starts and begin_scenarios in a row that did not end with a begun scenario
  private current: ScenarioRef = { key: '', name: '(before the first scenario)' };
  private nextKey?: string; // the key of the scenario whose begin_scenario comes next
  private scenarioOpen = false; // from begin_scenario to the end of the scenario (takeLateFault)
  private begins: { from: number; scenario: ScenarioRef }[] = []; // of this process: the first request id of each scenario
  private spawnedFor: ScenarioRef = this.current; // the scenario that started this process
  private lastAnsweredId?: number;
  private readonly lateBlames: AdapterStats['late_blames'] = [];
  private readonly session = newSession();
  private readonly groups = new Set<number>(); // the process groups of every start
  private leftBehind: string[] = [];
  private startPhase = false; // between spawning and a begun scenario
  private readonly betweenFaults: string[] = [];
  private stopping = false;
  private stopAnswered = false;
  private exitAfterStop?: number | null;
  private starts = 0;
  private scenarioMark = 0;
  private readonly roundTrips: number[] = [];
  private readonly byOp = new Map<string, { calls: number; total_ms: number }>();
  private readonly protocolIssues: string[] = [];
  private readonly ended: (() => void)[] = [];
  readonly stderr = new LineTail();

  constructor(readonly settings: AdapterSettings, private readonly warn: (text: string) => void = (t) => console.error(`vfio-tck: ${t}`)) {}

  get command(): string {
    return formatCommandLine(this.settings.argv);
  }

  async hello(): Promise<ImplementationInfo> {
    const info = await this.start();
    this.declared = JSON.stringify(info);
    this.startPhase = false;
    return info;
  }

  async request(request: Request): Promise<unknown> {
    if (this.waiting) this.abandon(this.waiting);
    if (this.fault && !this.fault.reported) {
      this.fault.reported = true;
      // What went wrong after a scenario had ended belongs to that scenario
      // and to the adapter, not to the scenario about to begin.
      if (!(request.op === 'begin_scenario' && this.fault.between)) throw this.fault.error;
      this.recordBetween(this.fault.error);
    }
    if (this.gaveUp) throw this.gaveUp;
    if (request.op === 'begin_scenario') {
      this.scenarioMark = this.stderr.mark;
      this.current = { key: this.nextKey ?? request.name, name: request.name };
      this.nextKey = undefined;
      this.scenarioOpen = true;
      this.startPhase = true;
      if (!this.running) await this.restart();
      this.begins.push({ from: this.nextId, scenario: this.current });
    } else if (!this.running) {
      throw this.fault?.error ?? new BrokenImplementation('the adapter was never started');
    }
    const started = performance.now();
    const { id: _id, ...answer } = await this.exchange(
      request,
      this.settings.callTimeoutMs + (request.op === 'pending_wait' ? request.timeout_ms : 0),
      `${ENV.callTimeoutMs} or --adapter-timeout sets this bound`,
    );
    const took = performance.now() - started;
    this.roundTrips.push(took);
    const op = this.byOp.get(request.op) ?? { calls: 0, total_ms: 0 };
    op.calls++;
    op.total_ms += took;
    this.byOp.set(request.op, op);
    if (request.op === 'begin_scenario') {
      if (answer.ok !== true) {
        throw this.breakWith(`begin_scenario must succeed (it resets the adapter for the next scenario), but the adapter answered ${excerpt(JSON.stringify(answer))}`, { thrown: true });
      }
      this.startFaults = 0;
      this.startPhase = false;
    } else {
      this.slowFaults = 0;
    }
    return answer;
  }

  // The Before hook names the scenario about to begin by its file and line.
  scenarioAt(key: string): void {
    this.nextKey = key;
  }

  async shutdown(): Promise<void> {
    const proc = this.proc;
    if (!proc) return;
    if (this.waiting) this.abandon(this.waiting);
    if (this.fault && !this.fault.reported) {
      // after the last scenario: no scenario is there to take it
      this.fault.reported = true;
      this.recordBetween(this.fault.error);
    }
    if (!this.running) {
      proc.kill();
      await this.reapLeftBehind();
      return;
    }
    this.stopping = true;
    const exited = new Promise<boolean>((resolve) => {
      this.ended.push(() => resolve(true));
      setTimeout(() => resolve(false), 2 * this.settings.stopTimeoutMs).unref();
    });
    try {
      const answer = await this.exchange({ op: 'stop' }, this.settings.stopTimeoutMs, `${ENV.stopTimeoutMs} sets this bound`);
      this.stopAnswered = answer.ok === true;
      if (answer.ok !== true) this.warn(`the adapter answered stop with ${JSON.stringify(answer)}`);
    } catch (error) {
      this.warn(`stopping the adapter: ${(error as Error).message}`);
    }
    if (!(await exited)) this.warn(`the adapter did not exit within ${2 * this.settings.stopTimeoutMs} ms of stop; it was killed`);
    else if (this.exitAfterStop !== 0) this.warn(`the adapter ended with ${this.exitAfterStop === null ? 'a signal' : `status ${this.exitAfterStop}`} after stop, not with status 0`);
    proc.kill();
    await this.reapLeftBehind();
  }

  // What the adapter left running once its process group was killed: found by
  // the mark in its environment, reported with its command line, and killed.
  private async reapLeftBehind(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const p of reapSession(this.session, this.groups)) {
      const text = `${describeLeftBehind(p)} was still running after the adapter had stopped, outside the adapter's process group (it started its own session or group); it was killed`;
      this.leftBehind.push(text);
      this.warn(`the adapter left ${text}`);
    }
  }

  private recordBetween(error: BrokenImplementation): void {
    this.betweenFaults.push(`after scenario ${JSON.stringify(this.current.name)} ended: ${error.message.split('\n')[0]}`);
    this.warn(`the adapter misbehaved between scenarios; counted against the adapter, not the next scenario: ${error.message}`);
  }

  // stop was answered and the adapter then exited with status 0.
  get stoppedCleanly(): boolean {
    return this.stopAnswered && this.exitAfterStop === 0;
  }

  // A fault found after the last answer (an exit, a line nobody asked for):
  // it belongs to the scenario that is ending, which must not pass with it.
  // What the adapter wrote by now is read first; what it writes later falls
  // to the next scenario.
  async takeLateFault(): Promise<BrokenImplementation | undefined> {
    await new Promise((resolve) => setImmediate(resolve));
    this.scenarioOpen = false;
    if (!this.fault || this.fault.reported) return undefined;
    this.fault.reported = true;
    return this.fault.error;
  }

  // The adapter's stderr since the current scenario began (bounded), for the report.
  stderrOfScenario(max = 200): string[] {
    return this.stderr.since(this.scenarioMark, max);
  }

  stats(): AdapterStats {
    const sorted = [...this.roundTrips].sort((a, b) => a - b);
    const ms = (x: number) => Math.round(x * 1000) / 1000;
    return {
      command: this.command,
      starts: this.starts,
      calls: sorted.length,
      round_trip_ms: sorted.length ? { median: ms(quantile(sorted, 0.5)), p90: ms(quantile(sorted, 0.9)), max: ms(sorted[sorted.length - 1]), total: ms(sorted.reduce((a, b) => a + b, 0)) } : null,
      by_op: Object.fromEntries([...this.byOp].sort(([, a], [, b]) => b.total_ms - a.total_ms).map(([op, t]) => [op, { calls: t.calls, total_ms: ms(t.total_ms) }])),
      protocol_issues: this.protocolIssues.slice(0, 100),
      faults_between_scenarios: this.betweenFaults.slice(0, 100),
      late_blames: this.lateBlames.slice(0, 1000),
      left_behind: this.leftBehind.slice(0, 100),
    };
  }

  // Started and not at fault. A process that has just exited counts as
  // running until its end has been read: a request sent to it then fails
  // with the message that says how it ended.
  private get running(): boolean {
    return Boolean(this.proc && !this.fault);
  }

  // --- starting -----------------------------------------------------------------------

  private async start(): Promise<ImplementationInfo> {
    this.startPhase = true;
    this.spawn();
    const answer = await this.exchange({ op: 'hello', protocol: PROTOCOL_VERSION }, this.settings.helloTimeoutMs, `${ENV.helloTimeoutMs} sets this bound`);
    if (answer.ok !== true) throw this.breakWith(`the adapter did not accept hello: it answered ${JSON.stringify(answer)}`, { slow: true, thrown: true });
    const result = answer.result;
    if (isPlainObject(result) && typeof result.protocol === 'number' && result.protocol !== PROTOCOL_VERSION) {
      throw this.breakWith(`the adapter speaks protocol ${result.protocol}; this suite speaks protocol ${PROTOCOL_VERSION}`, { slow: true, thrown: true });
    }
    const info = ImplementationInfo.safeParse(result);
    if (!info.success) throw this.breakWith(describeZodError(info.error, 'the result of hello'), { slow: true, thrown: true });
    if (this.settings.validate) this.reportUnknown('the answer to hello', 'result', unknownFields(result, info.data));
    return info.data;
  }

  private async restart(): Promise<void> {
    const info = await this.start();
    if (this.declared !== undefined && JSON.stringify(info) !== this.declared) {
      throw this.breakWith(`the restarted adapter declared something else at hello than at the start of the run (was ${this.declared}, now ${JSON.stringify(info)})`, { slow: true, thrown: true });
    }
  }

  private spawn(): void {
    const env = { ...process.env };
    delete env[ENV.command]; // an adapter built on this suite must not start an adapter itself
    this.fault = undefined;
    this.stopping = false;
    this.nextId = 0;
    this.lastAnswered = undefined;
    this.lastAnsweredId = undefined;
    this.begins = [];
    this.spawnedFor = this.current;
    env[SESSION_ENV] = this.session;
    this.starts++;
    const proc: AdapterProcess = new AdapterProcess(this.settings.argv, env, this.settings.maxLineBytes, this.stderr, {
      lines: (texts) => proc === this.proc && this.onLines(texts),
      overflow: (length) => proc === this.proc && this.breakWith(`the adapter wrote ${length} bytes to stdout without ending the line ${this.context()}; an answer is one line of at most ${this.settings.maxLineBytes} bytes (${ENV.maxLineBytes})`),
      failedToStart: (error) => proc === this.proc && this.breakWith(`could not start the adapter ${this.command}: ${error.message}`, { slow: true }),
      stdoutClosed: () => proc === this.proc && !this.stopping && this.breakWith(`the adapter closed its stdout ${this.context()} but went on running; no answer can reach the suite any more`),
      ended: (code, signal, unfinished) => proc === this.proc && this.onEnded(code, signal, unfinished),
    });
    this.proc = proc;
    if (proc.pid !== undefined) this.groups.add(proc.pid);
  }

  // --- one exchange -------------------------------------------------------------------

  private exchange(message: { op: string; [field: string]: unknown }, timeoutMs: number, timeoutHint: string): Promise<Answer> {
    const proc = this.proc;
    if (!proc) return Promise.reject(new BrokenImplementation('the adapter was never started'));
    const id = this.nextId++;
    const line = JSON.stringify({ id, ...message });
    if (this.settings.validate) this.checkRequest(line);
    return new Promise<Answer>((resolve, reject) => {
      const timer = setTimeout(() => this.onTimeout(), timeoutMs);
      this.waiting = { id, op: message.op, timeoutMs, timeoutHint, started: performance.now(), timer, resolve, reject };
      proc.write(`${line}\n`);
    });
  }

  private onLines(texts: (string | InvalidText)[]): void {
    texts.forEach((line, i) => {
      if (this.fault) return;
      const waiting = this.waiting;
      const text = line instanceof InvalidText ? line.shown : line;
      if (!waiting || claimedId(text) !== waiting.id) {
        const owner = this.endedOwner(text);
        if (owner) return this.blameLate(owner, text);
      }
      if (!waiting) {
        this.breakWith(`the adapter wrote a line to stdout when no request was waiting for an answer ${this.context()}${aheadOrAgain(text, this.nextId)}: ${excerpt(text)}`);
        return;
      }
      if (line instanceof InvalidText) {
        this.breakWith(`the answer to ${describe(waiting)} is not UTF-8: byte ${line.offset} of its ${line.length} bytes starts no valid UTF-8 sequence (near ${excerpt(line.shown)})`);
        return;
      }
      const answer = this.answerIn(text, waiting);
      if (!answer) return;
      // A line after the answer in the same read answers nothing: the answer
      // it follows is not trusted either.
      if (i + 1 < texts.length) {
        const next = texts[i + 1];
        const shown = next instanceof InvalidText ? next.shown : next;
        this.breakWith(`the adapter answered ${describe(waiting)} and at once wrote another line, which no request asked for${aheadOrAgain(shown, this.nextId)}: ${excerpt(shown)}`);
        return;
      }
      clearTimeout(waiting.timer);
      this.waiting = undefined;
      this.lastAnswered = describe(waiting);
      this.lastAnsweredId = waiting.id;
      if (this.settings.validate) this.checkAnswer(waiting, answer);
      waiting.resolve(answer);
    });
  }

  // The scenario a line that answers no waiting request belongs to, when that
  // scenario has ended: the scenario of the request whose id the line claims,
  // when the suite sent it already (a second answer), else that of the last
  // answer the line follows (an answer ahead of its request, or garbage).
  // Undefined when it belongs to the scenario still running, whose next
  // request or end then meets it as a fault.
  private endedOwner(text: string): ScenarioRef | undefined {
    const claimed = claimedId(text);
    const id = claimed !== undefined && claimed < this.nextId ? claimed : this.lastAnsweredId;
    let owner = this.spawnedFor;
    if (id !== undefined) owner = [...this.begins].reverse().find((b) => b.from <= id)?.scenario ?? owner;
    return owner === this.current && this.scenarioOpen ? undefined : owner;
  }

  // A line for a scenario that has ended: that scenario is broken after the
  // fact; the line is dropped, and the request waiting now (of another
  // scenario) goes on waiting for its own answer.
  private blameLate(owner: ScenarioRef, text: string): void {
    const what = `after the scenario's last answer the adapter wrote a line no request was waiting for${aheadOrAgain(text, this.nextId)}: ${excerpt(text)}`;
    const message = `${what}${this.stderrExcerpt()}`;
    this.lateBlames.push({ scenario: owner.key, name: owner.name, message });
    this.betweenFaults.push(`after scenario ${JSON.stringify(owner.name)} ended: ${what}`);
    this.warn(`the adapter misbehaved after scenario ${JSON.stringify(owner.name)} had ended; that scenario is broken, not the one running now: ${what}`);
  }

  // The answer a line carries, if it is one: JSON, an object, the waiting id.
  private answerIn(text: string, waiting: Waiting): Answer | undefined {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.breakWith(`the answer to ${describe(waiting)} is not JSON (${(error as Error).message}): ${excerpt(text)}`);
      return undefined;
    }
    if (!isPlainObject(value)) {
      this.breakWith(`the answer to ${describe(waiting)} is not a JSON object: ${excerpt(text)}`);
      return undefined;
    }
    if (nestingDepth(value) > MAX_NESTING) {
      this.breakWith(`the answer to ${describe(waiting)} nests objects and arrays more than ${MAX_NESTING} levels deep, which no message of the protocol does: ${excerpt(text)}`);
      return undefined;
    }
    if (value.id !== waiting.id) {
      const said = value.id === undefined ? 'has no id' : `carries id ${JSON.stringify(value.id)}`;
      this.breakWith(`the answer to ${describe(waiting)} ${said}; every answer must echo the id of the request it answers, one answer per request, in order: ${excerpt(text)}`);
      return undefined;
    }
    return value;
  }

  private onTimeout(): void {
    const waiting = this.waiting;
    if (!waiting) return;
    const unfinished = this.proc?.unfinished ?? '';
    const partial = unfinished
      ? `; it had written ${unfinished.length} characters without the newline that ends an answer (is its stdout flushed?): ${excerpt(unfinished)}`
      : '';
    this.breakWith(`no answer to ${describe(waiting)} within ${waiting.timeoutMs} ms (${waiting.timeoutHint})${partial}; the adapter was killed`, { slow: true });
  }

  private onEnded(code: number | null, signal: NodeJS.Signals | null, unfinished: string): void {
    if (this.stopping) {
      this.exitAfterStop = signal ? null : code;
      this.ended.splice(0).forEach((notify) => notify());
      if (this.waiting) this.breakWith(`the adapter ended (${signal ? `signal ${signal}` : `status ${code}`}) without answering stop`);
      return;
    }
    if (this.fault) return; // the suite killed it after a fault
    const how = signal ? `was killed by signal ${signal}` : code === 0 ? 'exited with status 0 before it was told to stop,' : `exited with status ${code}`;
    const partial = unfinished ? `; its last output had no newline at the end, so it answered nothing: ${excerpt(unfinished)}` : '';
    this.breakWith(`the adapter ${how} ${this.context()}${partial}`);
  }

  // Cucumber's backstop timeout ended the step while its request waited.
  private abandon(waiting: Waiting): void {
    this.breakWith(`no answer to ${describe(waiting)} before the step was abandoned after ${Math.round(performance.now() - waiting.started)} ms`, { slow: true, thrown: true });
  }

  // Where in the conversation something happened, for messages.
  private context(): string {
    if (this.waiting) return `while ${describe(this.waiting)} waited for its answer`;
    return this.lastAnswered ? `after answering ${this.lastAnswered}` : 'before any request';
  }

  // Records the first fault of this process and kills the process. The error
  // goes to the waiting request, or to the caller that throws it (thrown), or
  // else to the next request. A slow fault (a timeout, a failed start) counts
  // towards giving up on the adapter.
  private breakWith(message: string, { slow = false, thrown = false } = {}): BrokenImplementation {
    if (this.fault) return this.fault.error;
    const error = new BrokenImplementation(`${message}${this.stderrExcerpt()}`);
    const waiting = this.waiting;
    this.fault = { error, reported: Boolean(waiting) || thrown, between: !waiting && !thrown };
    this.waiting = undefined;
    const starting = waiting ? waiting.op === 'hello' || waiting.op === 'begin_scenario' : thrown && this.startPhase;
    this.proc?.kill();
    if (waiting) {
      clearTimeout(waiting.timer);
      waiting.reject(error);
    }
    if (slow && ++this.slowFaults >= this.settings.maxConsecutiveFaults && !this.gaveUp) {
      this.gaveUp = new BrokenImplementation(
        `the adapter timed out or failed to start ${this.slowFaults} times in a row without a good answer in between, so the run no longer starts it (${ENV.maxConsecutiveFaults} sets how many). The last time: ${error.message}`,
      );
    }
    if (starting && ++this.startFaults >= this.settings.maxConsecutiveFaults && !this.gaveUp) {
      this.gaveUp = new BrokenImplementation(
        `the adapter failed ${this.startFaults} times in a row to start and begin a scenario, so the run stops starting it and no further scenario runs (${ENV.maxConsecutiveFaults} sets how many). The last time: ${error.message}`,
      );
    }
    return error;
  }

  private stderrExcerpt(): string {
    const lines = this.stderr.last(STDERR_LINES_IN_MESSAGES);
    if (!lines.length) return '\n(the adapter wrote nothing to stderr)';
    return `\nlast lines the adapter wrote to stderr:\n${lines.map((l) => `  | ${l}`).join('\n')}`;
  }

  // --- the validate-every-message mode -------------------------------------------------

  private checkRequest(line: string): void {
    const raw = JSON.parse(line) as { id: number; op: string };
    const parsed = WireRequest.safeParse(raw);
    const what = `the suite's request id ${raw.id} (${raw.op})`;
    if (!parsed.success) return this.protocolIssue(describeZodError(parsed.error, what));
    this.reportUnknown(what, '', unknownFields(raw, parsed.data));
  }

  // An answer that does not fit breaks its scenario anyway (the Client checks
  // it); this reports what the normal checks let through.
  private checkAnswer(waiting: Waiting, raw: Record<string, unknown>): void {
    const what = `the answer to ${describe(waiting)}`;
    const parsed = WireAnswer.safeParse(raw);
    if (!parsed.success) return;
    this.reportUnknown(what, '', unknownFields(raw, parsed.data));
    if ('arg' in parsed.data && waiting.op !== 'ioctl') this.protocolIssue(`${what}: arg belongs only to a failed ioctl`);
    const schema = RESULT_SCHEMAS[waiting.op as keyof typeof RESULT_SCHEMAS];
    if (!schema || parsed.data.ok !== true) return;
    const result = schema.safeParse(parsed.data.result);
    if (result.success) this.reportUnknown(what, 'result', unknownFields(parsed.data.result, result.data));
  }

  private reportUnknown(what: string, prefix: string, fields: string[]): void {
    for (const field of fields) this.protocolIssue(`${what} has a field the schema does not know: ${prefix ? `${prefix}.` : ''}${field}`);
  }

  private protocolIssue(text: string): void {
    this.protocolIssues.push(text);
    this.warn(`protocol check: ${text}`);
  }
}

// The id a line claims to answer, read without parsing the whole line.
function claimedId(text: string): number | undefined {
  const id = /^\s*\{\s*"id"\s*:\s*(\d+)[\s,}]/.exec(text)?.[1];
  if (id !== undefined) return Number(id);
  try {
    const value: unknown = JSON.parse(text); // an answer that does not put its id first
    return isPlainObject(value) && Number.isSafeInteger(value.id) && (value.id as number) >= 0 ? (value.id as number) : undefined;
  } catch {
    return undefined;
  }
}

// What a line nobody asked for claims to be: an answer to a request not yet
// sent, or a second answer to one already answered.
function aheadOrAgain(text: string, nextId: number): string {
  const id = claimedId(text);
  if (id === undefined) return '';
  return id >= nextId ? ` (an answer to request id ${id}, which the suite had not sent)` : ` (a second answer to request id ${id}, answered already)`;
}

function describe(waiting: Pick<Waiting, 'id' | 'op'>): string {
  return `request id ${waiting.id} (${waiting.op})`;
}
