// npm run merge-reports -- [--out <dir>] <shard reports dir>...
// Merges the reports of shards (npm run conformance -- --shard i/n) into one:
// their scenarios, Allure results and the implementation they ran against,
// rewritten as one run (summary, CI outputs, certificate, Allure categories
// and environment), equal to what the whole run would have written. The shards
// must have run against the same implementation and share no scenario.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ImplementationInfo } from '../contract/protocol';
import { scenarioKey, type ScenarioOutcome } from '../report/outcomes';
import { countLine, exitCodeOf, EXIT } from '../report/verdict';
import { writeReports } from '../report/write';

const USAGE = 'usage: npm run merge-reports -- [--out <dir>] <shard reports dir>...  (default --out reports/; each dir as a --shard run wrote it)';

function readJson<T>(file: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (error) {
    throw new Error(`${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing (is this a reports directory of a finished run?)' : (error as Error).message}`);
  }
}

function main(): number {
  let args;
  try {
    args = parseArgs({ allowPositionals: true, options: { out: { type: 'string', default: 'reports' } } });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  const shards = args.positionals.map((d) => resolve(d));
  const out = resolve(args.values.out);
  if (shards.length === 0) {
    console.error(USAGE);
    return EXIT.usage;
  }
  if (shards.includes(out)) {
    console.error(`merge-reports: --out ${out} is one of the shards; write the merged reports elsewhere`);
    return EXIT.usage;
  }
  const outcomes: ScenarioOutcome[] = [];
  const adapterFaults: string[] = [];
  const seen = new Map<string, string>();
  let info: ImplementationInfo | null = null;
  try {
    for (const dir of shards) {
      const summary = readJson<{ scenarios?: ScenarioOutcome[]; adapter_faults?: string[] }>(join(dir, 'summary.json'));
      for (const f of summary.adapter_faults ?? []) adapterFaults.push(`${dir}: ${f}`);
      if (!Array.isArray(summary.scenarios)) throw new Error(`${dir}/summary.json lists no scenarios`);
      const mine = existsSync(join(dir, 'implementation.json')) ? readJson<ImplementationInfo>(join(dir, 'implementation.json')) : null;
      if (info && mine && (info.name !== mine.name || info.version !== mine.version || info.platform.kernel !== mine.platform.kernel)) {
        throw new Error(`${dir} ran against ${mine.name} ${mine.version} (kernel ${mine.platform.kernel}), the first shard against ${info.name} ${info.version} (kernel ${info.platform.kernel})`);
      }
      info ??= mine;
      for (const o of summary.scenarios) {
        const key = scenarioKey(o);
        if (seen.has(key)) throw new Error(`${key} is in both ${seen.get(key)} and ${dir}: shards of one run never share a scenario`);
        seen.set(key, dir);
        outcomes.push(o);
      }
    }
  } catch (error) {
    console.error(`merge-reports: ${(error as Error).message}`);
    return EXIT.usage;
  }
  const results = join(out, 'allure-results');
  rmSync(results, { recursive: true, force: true });
  mkdirSync(results, { recursive: true });
  for (const dir of shards) {
    const from = join(dir, 'allure-results');
    if (!existsSync(from)) continue;
    for (const f of readdirSync(from)) if (f !== 'categories.json' && f !== 'environment.properties') copyFileSync(join(from, f), join(results, f));
  }
  for (const f of ['implementation.json']) if (existsSync(join(shards[0], f))) copyFileSync(join(shards[0], f), join(out, f));
  const { summary } = writeReports(out, outcomes, info, { rewriteAllure: false, adapterFaults });
  console.log(`merge-reports: ${shards.length} shard(s) into ${out} (build the HTML with: npx allure generate ${results} -o ${join(out, 'allure-report')} --clean)`);
  console.log(`vfio-tck: ${countLine(summary.totals)}`);
  return exitCodeOf(summary.totals, adapterFaults.length);
}

process.exit(main());
