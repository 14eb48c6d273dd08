// npm run explore [-- options]
// Model-based exploration: random but valid operation sequences against the
// same targets as npm run conformance, each answer checked against the area's
// model; a failing sequence is shrunk and printed as a Gherkin scenario in the
// suite's own phrases, with the seed and path to replay it. Writes
// reports/explore/ (summary.json, summary.md, and on a failure failure.feature
// and calls.jsonl).
import { parseArgs } from 'node:util';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { adapterSettings, ENV } from '../adapter/settings';
import { AREAS, explore, EXPLORED_AREAS, ExploreArea, ExploreResult, featureOf, lengthStats } from '../explore/explore';

const USAGE = `usage: npm run explore -- [--adapter "<command line>"] [--area vfio-migration|mdev|virtio-legacy] [--seed N] [--runs N] [--max-commands N] [--steps N] [--time-budget S] [--path P --replay-path R] [--reports <dir>]
  --adapter          explore an external implementation through its adapter (as npm run conformance; the kernel lab: lab/launch)
  --adapter-timeout  milliseconds an adapter may take to answer one request (default 10000)
  --area             the area to explore (default vfio-migration; one of ${EXPLORED_AREAS.join(', ')})
  --seed             the random seed (default: a new one, printed)
  --runs             sequences per batch (default 100)
  --max-commands     the longest sequence, in commands (default 60)
  --steps            go on in batches (seed, seed+1, ...) until this many commands ran
  --time-budget      stop after this many seconds (a batch under way is cut short; no failure is made of that)
  --path             replay one shrunk counterexample: the path printed with its seed (and the same --runs, --max-commands)
  --replay-path      with --path: which of its commands ran, as printed with the failure
  --reports          where to write explore/ (default reports/)
The reference's TCK_MUTANT, TCK_VARIANT and TCK_REF_* variables choose the in-process target as for npm run conformance.
exit codes: 0 no violation, 1 a violation (its scenario is printed), 2 usage error, 3 broken (the implementation or harness failed), 4 nothing to explore`;

function integer(name: string, text: string | undefined, fallback: number, min = 1): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer of at least ${min}, not "${text}"`);
  return value;
}

function parse() {
  const { values } = parseArgs({
    options: {
      adapter: { type: 'string' },
      'adapter-timeout': { type: 'string' },
      area: { type: 'string', default: 'vfio-migration' },
      seed: { type: 'string' },
      runs: { type: 'string' },
      'max-commands': { type: 'string' },
      steps: { type: 'string' },
      'time-budget': { type: 'string' },
      path: { type: 'string' },
      'replay-path': { type: 'string' },
      reports: { type: 'string', default: 'reports' },
      help: { type: 'boolean', default: false },
    },
  });
  const area = values.area as ExploreArea;
  if (!AREAS.includes(area)) throw new Error(`--area must be one of ${AREAS.join(', ')}, not "${values.area}"`);
  if (!EXPLORED_AREAS.includes(area)) throw new Error(`the ${area} area has no exploration model yet; explored so far: ${EXPLORED_AREAS.join(', ')}`);
  if (values.path !== undefined && !/^\d+(:\d+)*$/.test(values.path)) throw new Error(`--path must be the path printed with a failure (digits and colons), not "${values.path}"`);
  if (values.path !== undefined && values.seed === undefined) throw new Error('--path replays a counterexample of one seed: give that --seed too');
  return {
    help: values.help,
    adapter: values.adapter,
    adapterTimeout: values['adapter-timeout'],
    reports: values.reports,
    options: {
      area,
      seed: integer('seed', values.seed, Date.now() % 2 ** 31, 0),
      runs: integer('runs', values.runs, 100),
      maxCommands: integer('max-commands', values['max-commands'], 60),
      ...(values.steps !== undefined ? { steps: integer('steps', values.steps, 0) } : {}),
      ...(values['time-budget'] !== undefined ? { timeBudgetMs: integer('time-budget', values['time-budget'], 0) * 1000 } : {}),
      ...(values.path !== undefined ? { path: values.path } : {}),
      ...(values['replay-path'] !== undefined ? { replayPath: values['replay-path'] } : {}),
    },
  };
}

function summaryMarkdown(r: ExploreResult): string {
  const stats = lengthStats(r.lengths);
  const lines = [
    `# Exploration of ${r.area}`,
    '',
    `- implementation: ${r.implementation || '(did not start)'}`,
    `- seed ${r.seed}, ${r.batches} batch(es), ${r.sequences} sequences, ${r.steps} commands, ${(r.wallMs / 1000).toFixed(1)} s${r.interrupted ? ' (stopped by the time budget)' : ''}`,
    `- sequence length: min ${stats.min}, median ${stats.median}, mean ${stats.mean}, max ${stats.max}`,
    `- lengths: ${Object.entries(stats.histogram).map(([k, v]) => `${k}: ${v}`).join(', ')}`,
    `- devices explored: ${r.devices.join('; ') || 'none'}`,
    `- states reached: ${r.visitedStates.join(', ') || 'none'}`,
  ];
  if (r.unsupported.length) lines.push(`- not explored (the implementation answered unsupported): ${r.unsupported.join('; ')}`);
  if (r.notApplicable) lines.push('', `Nothing to explore: ${r.notApplicable}`);
  if (r.broken) lines.push('', `Broken: ${r.broken}`);
  if (r.failure) {
    lines.push('', `## Violation of ${r.failure.clause}`, '', r.failure.statement, '', `${r.failure.message}`, '',
      `Shrunk ${r.failure.shrinks} time(s). Replay: \`${r.failure.replay}\``, '', '```gherkin', r.failure.scenario.trimEnd(), '```');
  }
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parse();
    if (parsed.adapter !== undefined) adapterSettings(parsed.adapter);
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.help) {
    console.log(USAGE);
    return 0;
  }
  if (parsed.adapter !== undefined) process.env[ENV.command] = parsed.adapter;
  if (parsed.adapterTimeout !== undefined) process.env[ENV.callTimeoutMs] = parsed.adapterTimeout;
  const dir = join(resolve(parsed.reports), 'explore');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });

  const { options } = parsed;
  console.log(`exploring ${options.area}: seed ${options.seed}, ${options.runs} sequences per batch of up to ${options.maxCommands} commands`
    + `${options.steps ? `, until ${options.steps} commands ran` : ''}${options.timeBudgetMs ? `, at most ${options.timeBudgetMs / 1000} s` : ''}`);
  const result = await explore(options);
  const stats = lengthStats(result.lengths);
  writeFileSync(join(dir, 'summary.json'), `${JSON.stringify({ ...result, lengthStats: stats, lengths: undefined }, null, 2)}\n`);
  writeFileSync(join(dir, 'summary.md'), summaryMarkdown(result));
  console.log(`implementation: ${result.implementation}; devices: ${result.devices.join('; ') || 'none'}`);
  console.log(`${result.sequences} sequences, ${result.steps} commands in ${(result.wallMs / 1000).toFixed(1)} s${result.interrupted ? ' (stopped by the time budget)' : ''}; `
    + `length min ${stats.min}, median ${stats.median}, mean ${stats.mean}, max ${stats.max}; states reached: ${result.visitedStates.join(', ')}`);
  console.log(`lengths: ${Object.entries(stats.histogram).map(([k, v]) => `${k}: ${v}`).join(', ')}`);
  if (result.unsupported.length) console.log(`not explored (answered unsupported): ${result.unsupported.join('; ')}`);
  if (result.failure) {
    const f = result.failure;
    writeFileSync(join(dir, 'failure.feature'), featureOf(options.area, f.scenario));
    writeFileSync(join(dir, 'calls.jsonl'), `${f.transcript.join('\n')}\n`);
    console.log(`\nVIOLATION of ${f.clause}: ${f.statement}\n  ${f.message.split('\n').join('\n  ')}`);
    console.log(`shrunk ${f.shrinks} time(s) to ${f.steps.length} steps; seed ${f.seed}, path ${f.path}`);
    console.log(`replay: ${f.replay}`);
    console.log(`as a scenario (also in ${join(dir, 'failure.feature')}, runnable with npm run conformance -- ${join(parsed.reports, 'explore', 'failure.feature')}):\n`);
    console.log(f.scenario);
    console.log('explore: 0 passed, 1 failed');
    return 1;
  }
  if (result.broken) {
    console.log(`BROKEN: ${result.broken}`);
    return 3;
  }
  if (result.notApplicable) {
    console.log(`nothing to explore: ${result.notApplicable}`);
    return 4;
  }
  console.log(`no violation (summary in ${dir})`);
  console.log(`explore: ${result.sequences} passed, 0 failed`);
  return 0;
}

main().then((code) => process.exit(code), (error) => {
  console.error(error);
  process.exit(3);
});
