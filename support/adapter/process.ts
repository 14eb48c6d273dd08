// One adapter process: started from an argv without a shell, its stdout cut
// into lines (each bounded in length), its stderr kept as a bounded tail, and
// its end reported once, after its output has been read.
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

// The last lines an adapter wrote to stderr, bounded in count and width so
// that an adapter flooding stderr costs a fixed amount of memory.
export class LineTail {
  private readonly lines: string[] = [];
  private partial = '';
  private written = 0; // lines ever completed

  constructor(private readonly keep = 1000, private readonly width = 2000) {}

  push(text: string): void {
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      this.add(this.partial + text.slice(start, nl));
      this.partial = '';
      start = nl + 1;
    }
    if (start < text.length) this.partial = (this.partial + text.slice(start)).slice(0, this.width + 1);
  }

  // The unfinished last line counts once the stream has ended.
  end(): void {
    if (this.partial) this.add(this.partial);
    this.partial = '';
  }

  // A position to ask for the lines written after it.
  get mark(): number {
    return this.written;
  }

  since(mark: number, max = this.keep): string[] {
    const available = Math.min(this.written - mark, this.lines.length, max);
    return available > 0 ? this.lines.slice(this.lines.length - available) : [];
  }

  last(n: number): string[] {
    return this.lines.slice(Math.max(0, this.lines.length - n));
  }

  private add(text: string): void {
    const line = escapeControls(text);
    this.lines.push(line.length > this.width ? `${line.slice(0, this.width)} [... ${line.length - this.width} more characters]` : line);
    if (this.lines.length > this.keep) this.lines.shift();
    this.written++;
  }
}

// An adapter's text made safe for a terminal and a report: control
// characters (C0 but tab, DEL, C1, which start escape sequences, clear the
// screen or rewrite a line) shown as \xNN, and a backslash shown doubled so
// that an adapter cannot forge an escaped form either.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x08\x0a-\x1f\x7f-\x9f\\]/g;

export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (c) => (c === '\\' ? '\\\\' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

export interface ProcessEvents {
  lines(texts: (string | InvalidText)[]): void; // the complete lines of one read, in order
  overflow(length: number): void; // a line grew past the bound before its newline
  failedToStart(error: Error): void;
  stdoutClosed(): void; // stdout ended while the process went on running
  ended(code: number | null, signal: NodeJS.Signals | null, unfinished: string): void; // after stdout and stderr were read; unfinished: what followed the last newline
}

// A line whose bytes are not UTF-8: where the first bad byte is.
export class InvalidText {
  constructor(readonly offset: number, readonly length: number, readonly shown: string) {}
}

// Process groups still running, killed if the suite itself exits first.
const live = new Set<number>();
process.once('exit', () => {
  for (const pid of live) killGroup(pid);
  for (const session of sessions) reapSession(session);
});

// Every process an adapter starts inherits this mark in its environment, so
// that one which left the adapter's process group (setsid, setpgid), where a
// group kill cannot reach it, is still found when the run ends.
export const SESSION_ENV = 'VFIO_TCK_ADAPTER_SESSION';
const sessions = new Set<string>();

export function newSession(): string {
  const session = `${process.pid}-${randomBytes(8).toString('hex')}`;
  sessions.add(session);
  return session;
}

export interface LeftBehind {
  pid: number;
  command: string; // its command line, escaped for a terminal
}

export function describeLeftBehind(p: LeftBehind): string {
  return `process ${p.pid} (${p.command})`;
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

// Kills every live process that carries the session's mark (Linux /proc) and
// returns those that were not in one of the groups the suite had killed
// already: the processes the adapter left behind.
export function reapSession(session: string, killedGroups: ReadonlySet<number> = new Set()): LeftBehind[] {
  if (!existsSync('/proc/self/environ')) return [];
  const mark = `${SESSION_ENV}=${session}`;
  const found: LeftBehind[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(mark)) continue;
      const { state, pgrp } = statOf(entry);
      if (state === 'Z' || state === 'X') continue;
      const pid = Number(entry);
      const command = escapeControls(readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0+$/, '').replace(/\0/g, ' ')); // before the kill empties it
      process.kill(pid, 'SIGKILL');
      if (!killedGroups.has(pgrp)) found.push({ pid, command });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

function statOf(pid: string): { state: string; pgrp: number } {
  // pid (comm) state ppid pgrp ...: comm may hold spaces, so read after its last ')'
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state, pgrp: Number(pgrp) };
}

// On an interrupt of the whole run: kill every adapter's process group and
// every process an adapter left behind; return the groups that still have a
// process a moment later, and what had left the groups.
export function stopAdapters(): { groups: number[]; leftBehind: LeftBehind[] } {
  const groups = [...live];
  for (const pid of groups) killGroup(pid);
  const leftBehind = [...sessions].flatMap((session) => reapSession(session, new Set(groups)));
  if (groups.length || leftBehind.length) sleep(200);
  return { groups: groups.filter(groupAlive), leftBehind };
}

// Whether a process group still has a live member. On Linux, /proc tells a
// zombie (dead, not yet reaped by this process) from a live one.
function groupAlive(pgid: number): boolean {
  if (!existsSync('/proc/self/stat')) {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  }
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const { state, pgrp } = statOf(entry);
      if (pgrp === pgid && state !== 'Z' && state !== 'X') return true;
    } catch {
      // gone meanwhile
    }
  }
  return false;
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

// How long to wait, after the adapter exited, for its output pipes to close;
// a child it left behind may hold them open.
const PIPE_GRACE_MS = 500;

export class AdapterProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private chunks: Buffer[] = [];
  private pendingLength = 0;
  private discarding = false; // after an overflow nothing more is read
  private finished = false;

  constructor(argv: readonly string[], env: NodeJS.ProcessEnv, private readonly maxLineBytes: number, readonly stderr: LineTail, private readonly events: ProcessEvents) {
    // A process group of its own, so that a kill also reaches what it started.
    this.child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], detached: true, env });
    const pid = this.child.pid;
    if (pid !== undefined) live.add(pid);
    this.child.stderr.setEncoding('utf8');
    this.child.stdout.on('data', (bytes: Buffer) => this.onStdout(bytes));
    this.child.stdout.on('end', () => {
      // A process that exits ends its stdout too: only one still running
      // after a grace has closed it on purpose.
      setTimeout(() => {
        if (!this.finished && this.child.exitCode === null && this.child.signalCode === null) this.events.stdoutClosed();
      }, PIPE_GRACE_MS).unref();
    });
    this.child.stderr.on('data', (text: string) => stderr.push(text));
    this.child.stderr.on('end', () => stderr.end());
    // A write to an adapter that has gone fails with EPIPE; its end is reported by 'close'.
    this.child.stdin.on('error', () => undefined);
    this.child.on('error', (error) => {
      if (this.child.pid === undefined) {
        this.finish();
        this.events.failedToStart(error);
      }
    });
    this.child.on('exit', () => {
      const grace = setTimeout(() => {
        this.kill();
        setTimeout(() => this.onClose(this.child.exitCode, this.child.signalCode), PIPE_GRACE_MS).unref();
      }, PIPE_GRACE_MS);
      grace.unref();
    });
    this.child.on('close', (code, signal) => this.onClose(code, signal));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  write(line: string): void {
    if (!this.child.stdin.destroyed) this.child.stdin.write(line);
  }

  kill(): void {
    const pid = this.child.pid;
    if (pid !== undefined && !this.finished) killGroup(pid);
  }

  private onClose(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.finished) return;
    this.finish();
    this.stderr.end();
    this.events.ended(code, signal, this.discarding ? '' : decode(Buffer.concat(this.chunks)));
  }

  private finish(): void {
    this.finished = true;
    if (this.child.pid !== undefined) live.delete(this.child.pid);
  }

  // What the adapter wrote after its last newline, so far.
  get unfinished(): string {
    return this.discarding ? '' : decode(Buffer.concat(this.chunks));
  }

  private onStdout(bytes: Buffer): void {
    if (this.discarding || this.finished) return;
    const lines: (string | InvalidText)[] = [];
    let start = 0;
    for (let nl = bytes.indexOf(10); nl >= 0; nl = bytes.indexOf(10, start)) {
      let line = bytes.subarray(start, nl);
      if (this.chunks.length) {
        line = Buffer.concat([...this.chunks, line]);
        this.chunks = [];
        this.pendingLength = 0;
      }
      start = nl + 1;
      if (line.length > this.maxLineBytes) return this.overflow(line.length);
      lines.push(decodeLine(line));
    }
    if (lines.length) this.events.lines(lines);
    if (this.discarding || this.finished) return;
    if (start < bytes.length) {
      const rest = start ? bytes.subarray(start) : bytes;
      this.chunks.push(rest);
      this.pendingLength += rest.length;
      if (this.pendingLength > this.maxLineBytes) this.overflow(this.pendingLength);
    }
  }

  private overflow(length: number): void {
    this.discarding = true;
    this.chunks = [];
    this.pendingLength = 0;
    this.events.overflow(length);
  }
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

function decode(bytes: Buffer): string {
  return bytes.toString('utf8');
}

// One line as text, or where its bytes stop being UTF-8.
function decodeLine(line: Buffer): string | InvalidText {
  try {
    return STRICT_UTF8.decode(line);
  } catch {
    let good = 0;
    for (let end = Math.min(line.length, 1 << 16); good < end; ) {
      const step = validSequenceAt(line, good);
      if (!step) break;
      good += step;
    }
    return new InvalidText(good, line.length, line.subarray(Math.max(0, good - 40), good + 40).toString('utf8'));
  }
}

// The length of the well-formed UTF-8 sequence starting at i, or 0.
function validSequenceAt(b: Buffer, i: number): number {
  const first = b[i];
  if (first < 0x80) return 1;
  const length = first >= 0xc2 && first <= 0xdf ? 2 : first >= 0xe0 && first <= 0xef ? 3 : first >= 0xf0 && first <= 0xf4 ? 4 : 0;
  if (!length || i + length > b.length) return 0;
  try {
    STRICT_UTF8.decode(b.subarray(i, i + length));
    return length;
  } catch {
    return 0;
  }
}
