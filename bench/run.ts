// npm run bench [-- --runs <n>]
// Wall time of the whole conformance run (npm run conformance --no-html) three
// ways, each a fresh process: against the reference in-process, against the
// same reference through its stdio adapter, and an empty run that selects no
// scenario (the floor: start-up, loading the steps, the start exchange and the
// reports). Prints the medians, the ratios adapter/in-process and
// in-process/floor, and the adapter's median round trip per request as its
// transport measured it (reports/adapter.json of each adapter run).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { AdapterStats } from '../support/adapter/transport';

const ROOT = join(__dirname, '..');
const REFERENCE_ADAPTER = join('adapters', 'reference', 'vfio-tck-reference-adapter');
const NO_SCENARIO = '@bench-floor and not @bench-floor';

type Kind = 'floor' | 'in-process' | 'adapter';
const ARGS: Record<Kind, string[]> = {
  floor: ['--tags', NO_SCENARIO],
  'in-process': [],
  adapter: ['--adapter', REFERENCE_ADAPTER],
};

interface Measure { seconds: number; stats?: AdapterStats }

function conformance(kind: Kind): Promise<Measure> {
  const reports = mkdtempSync(join(tmpdir(), `vfio-tck-bench-${kind}-`));
  const argv = ['-r', 'ts-node/register', 'support/cli/conformance.ts', '--no-html', '--reports', reports, ...ARGS[kind]];
  const env: NodeJS.ProcessEnv = { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' };
  for (const name of Object.keys(env)) if (name.startsWith('TCK_')) delete env[name];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      // The floor selects no scenario on purpose; the runner says so and exits non-zero.
      const emptyOnPurpose = kind === 'floor' && code !== 0 && output.includes('no scenario ran');
      if (code !== 0 && !emptyOnPurpose) {
        reject(new Error(`the ${kind} run ended with status ${code}:\n${output.split('\n').slice(-15).join('\n')}`));
        return;
      }
      let stats: AdapterStats | undefined;
      if (kind === 'adapter') stats = JSON.parse(readFileSync(join(reports, 'adapter.json'), 'utf8')) as AdapterStats;
      rmSync(reports, { recursive: true, force: true });
      resolve({ seconds, stats });
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) {
    console.error('--runs must be a positive integer');
    return 2;
  }
  const times: Record<Kind, number[]> = { floor: [], 'in-process': [], adapter: [] };
  const roundTrips: number[] = [];
  let calls = 0;
  // Interleaved, so that a change in the machine's load touches all three alike.
  for (let i = 1; i <= runs; i++) {
    for (const kind of ['floor', 'in-process', 'adapter'] as Kind[]) {
      const { seconds, stats } = await conformance(kind);
      times[kind].push(seconds);
      if (stats?.round_trip_ms) {
        roundTrips.push(stats.round_trip_ms.median);
        calls = stats.calls;
      }
      console.log(`run ${i}/${runs} ${kind.padEnd(10)} ${seconds.toFixed(2)} s`);
    }
  }
  const floor = median(times.floor);
  const inProcess = median(times['in-process']);
  const adapter = median(times.adapter);
  const goal = (value: number, bound: number) => `${value.toFixed(2)} (goal at most ${bound}: ${value <= bound ? 'met' : 'missed'})`;
  console.log(`\nmedians of ${runs} run(s), wall time of npm run conformance -- --no-html:`);
  console.log(`  floor (no scenario)       ${floor.toFixed(2)} s`);
  console.log(`  in-process reference      ${inProcess.toFixed(2)} s`);
  console.log(`  reference through stdio   ${adapter.toFixed(2)} s`);
  console.log(`  adapter / in-process      ${goal(adapter / inProcess, 1.3)}`);
  console.log(`  in-process / floor        ${goal(inProcess / floor, 1.5)}`);
  console.log(`  adapter round trip        median ${median(roundTrips).toFixed(3)} ms per request (${calls} requests a run)`);
  return 0;
}

main().then((code) => process.exit(code), (error) => {
  console.error(error);
  process.exit(2);
});
