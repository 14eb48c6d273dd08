// One adapter process: started from an argv without a shell, its stdout cut
// into lines (each bounded in length), its stderr kept as a bounded tail, and
// its end reported once, after its output has been read.
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

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

  private add(line: string): void {
    this.lines.push(line.length > this.width ? `${line.slice(0, this.width)} [... ${line.length - this.width} more characters]` : line);
    if (this.lines.length > this.keep) this.lines.shift();
    this.written++;
  }
}

export interface ProcessEvents {
  lines(texts: string[]): void; // the complete lines of one read, in order
  overflow(length: number): void; // a line grew past the bound before its newline
  failedToStart(error: Error): void;
  ended(code: number | null, signal: NodeJS.Signals | null): void; // after stdout and stderr were read
}

// Process groups still running, killed if the suite itself exits first.
const live = new Set<number>();
process.once('exit', () => {
  for (const pid of live) killGroup(pid);
});

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
  private chunks: string[] = [];
  private pendingLength = 0;
  private discarding = false; // after an overflow nothing more is read
  private finished = false;

  constructor(argv: readonly string[], env: NodeJS.ProcessEnv, private readonly maxLineBytes: number, readonly stderr: LineTail, private readonly events: ProcessEvents) {
    // A process group of its own, so that a kill also reaches what it started.
    this.child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], detached: true, env });
    const pid = this.child.pid;
    if (pid !== undefined) live.add(pid);
    this.child.stdout.setEncoding('utf8');
    this.child.stderr.setEncoding('utf8');
    this.child.stdout.on('data', (text: string) => this.onStdout(text));
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
    this.events.ended(code, signal);
  }

  private finish(): void {
    this.finished = true;
    if (this.child.pid !== undefined) live.delete(this.child.pid);
  }

  private onStdout(text: string): void {
    if (this.discarding || this.finished) return;
    const lines: string[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      let line = text.slice(start, nl);
      if (this.chunks.length) {
        line = this.chunks.join('') + line;
        this.chunks = [];
        this.pendingLength = 0;
      }
      start = nl + 1;
      if (line.length > this.maxLineBytes) return this.overflow(line.length);
      lines.push(line);
    }
    if (lines.length) this.events.lines(lines);
    if (this.discarding || this.finished) return;
    if (start < text.length) {
      const rest = start ? text.slice(start) : text;
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
