// What keeps a run from hanging or lying at its edges: the reports directory
// is made step by step with a one-line error for a path that cannot be one
// (under a regular file, in /proc), and locked while a run writes it, so that
// two runs never mix their results; a second run refuses and names the first.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const LOCK_FILE = '.vfio-tck.lock';

export class ReportsDirError extends Error {}

const reason = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

// mkdir -p, one component at a time (a recursive mkdir can spin on a
// pseudo-filesystem such as /proc), naming the component that failed.
function makeDirectory(dir: string): void {
  const missing: string[] = [];
  let at = dir;
  while (!existsSync(at)) {
    missing.unshift(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  if (!statSync(at).isDirectory()) throw new ReportsDirError(`--reports ${dir}: ${at} is not a directory (ENOTDIR); choose a path under a directory`);
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (error) {
      throw new ReportsDirError(`--reports ${dir}: cannot create ${d} (${reason(error)}); choose a writable directory`);
    }
  }
  if (!statSync(dir).isDirectory()) throw new ReportsDirError(`--reports ${dir}: not a directory (ENOTDIR)`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Makes the directory and takes its lock; the lock goes when this process
// exits, however it exits. A lock left by a process that is gone is taken over.
export function claimReportsDir(path: string): string {
  const dir = resolve(path);
  makeDirectory(dir);
  const lock = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(lock, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new ReportsDirError(`--reports ${dir}: cannot write there (${reason(error)}); choose a writable directory`);
      const holder = Number.parseInt(readFileSync(lock, 'utf8'), 10);
      if (Number.isInteger(holder) && holder > 0 && alive(holder)) {
        throw new ReportsDirError(`--reports ${dir}: another run (process ${holder}) is writing these reports; wait for it or choose another directory with --reports`);
      }
      unlinkSync(lock); // its run is gone
      continue;
    }
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    process.once('exit', () => {
      try {
        if (readFileSync(lock, 'utf8').trim() === String(process.pid)) unlinkSync(lock);
      } catch {
        // already removed
      }
    });
    return dir;
  }
  throw new ReportsDirError(`--reports ${dir}: the lock ${lock} keeps coming back; another run is starting there`);
}
