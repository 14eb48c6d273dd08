// Progress of a run, from Cucumber's message stream. On a terminal: one line,
// rewritten in place, with the scenario counter and an estimate of the time
// left, cleared when the run ends (the closing count line follows). Elsewhere
// (CI logs): a plain line each time another tenth of the scenarios is done, so
// a log gets at most ten of them.
import type { Envelope } from '@cucumber/messages';

export interface ProgressOptions {
  tty: boolean;
  write: (text: string) => void;
  now?: () => number; // milliseconds
  redrawMs?: number; // on a terminal, the shortest time between two redraws
}

// "about 1 min 20 s left", "about 12 s left"; nothing before a scenario finished.
export function timeLeft(elapsedMs: number, done: number, total: number): string {
  if (done === 0 || done >= total) return '';
  const seconds = Math.max(1, Math.round((elapsedMs / done) * (total - done) / 1000));
  const text = seconds >= 60 ? `${Math.floor(seconds / 60)} min ${seconds % 60} s` : `${seconds} s`;
  return `about ${text} left`;
}

export class Progress {
  private total = 0;
  private done = 0;
  private started = 0;
  private lastDraw = -Infinity;
  private lastTenth = 0;
  private drawn = false;
  private readonly now: () => number;
  private readonly redrawMs: number;

  constructor(private readonly options: ProgressOptions) {
    this.now = options.now ?? Date.now;
    this.redrawMs = options.redrawMs ?? 200;
  }

  // A terminal's progress goes to stderr when that is one; then stdout keeps only the run's own lines.
  static forStderr(): Progress {
    return new Progress({ tty: Boolean(process.stderr.isTTY), write: (text) => process.stderr.write(text) });
  }

  private line(): string {
    const percent = this.total ? Math.floor((this.done / this.total) * 100) : 100;
    const left = timeLeft(this.now() - this.started, this.done, this.total);
    return `vfio-tck: ${this.done}/${this.total} scenarios (${percent} %)${left ? `, ${left}` : ''}`;
  }

  onMessage = (envelope: Envelope): void => {
    if (envelope.testRunStarted) this.started = this.now();
    if (envelope.testCase) this.total++; // every test case is announced before the first one starts
    if (envelope.testCaseStarted && this.done === 0 && this.options.tty && !this.drawn) this.draw();
    if (envelope.testCaseFinished && !envelope.testCaseFinished.willBeRetried) {
      this.done++;
      if (this.options.tty) {
        if (this.now() - this.lastDraw >= this.redrawMs || this.done === this.total) this.draw();
      } else {
        const tenth = this.total ? Math.floor((this.done * 10) / this.total) : 10;
        if (tenth > this.lastTenth) {
          this.lastTenth = tenth;
          this.options.write(`${this.line()}\n`);
        }
      }
    }
    if (envelope.testRunFinished && this.drawn) {
      this.options.write('\r\x1b[K'); // the terminal line goes; the closing count line says the rest
      this.drawn = false;
    }
  };

  private draw(): void {
    this.lastDraw = this.now();
    this.drawn = true;
    this.options.write(`\r${this.line()}\x1b[K`);
  }
}
