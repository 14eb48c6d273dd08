// npm run conformance [-- options] [feature paths]
// Runs the suite against the bundled reference implementation, or against an
// external implementation through its adapter (--adapter), and writes the
// reports: Allure results (and HTML where Java is present), summary.json and
// summary.md, junit.xml, results.ktap, certificate.md/json and a badge. Exit codes: see USAGE and support/report/verdict.ts.
import { parseArgs } from 'node:util';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImplementationInfo } from '../contract/protocol';
import { allureFormatOptions, generateHtml } from '../report/allure';
import { countLine, EXIT, exitCodeOf } from '../report/verdict';
import { writeReports } from '../report/write';
import { Progress } from '../report/progress';
import { AllureMemoryWriter } from '../report/allure-writer';
import { byLocation, OutcomeCollector, scenarioKey } from '../report/outcomes';
import { DRY_RUN_ENV, WOULD_RUN } from '../world/skip';
import { describeLeftBehind, stopAdapters } from '../adapter/process';
import { claimReportsDir, ReportsDirError } from './run-guard';
import { judge, loadBaseline, printJudgement, writeBaseline, type Baseline } from '../report/baseline';
import { runInProcess } from './in-process';
import { adapterSettings, ENV } from '../adapter/settings';

const CUCUMBER_HTML = 'cucumber-report.html';

const USAGE = `usage: npm run conformance -- [--adapter "<command line>"] [--tags "<expression>"] [--kernel <release>] [--no-html] [--reports <dir>] [feature paths...]
  --adapter          run against an external implementation: the command line that starts its adapter
                     (no shell; quoting rules in docs/adapter-guide.md). Default: the bundled reference, in-process
  --adapter-timeout  milliseconds an adapter may take to answer one request (default 10000)
  --validate         also check every message to and from the adapter against the schema, logging mismatches
  --tags             a Cucumber tag expression, e.g. "@C-MIG-016 or @C-MIG-017", "not @hangs-unfixed-kernels"
  --kernel           the kernel release whose behaviour the reference imitates (default 6.12.117); with
                     the kernel lab's adapter, the release it boots (6.12 or 6.1: npm run conformance:kernel -- --kernel 6.1)
  --no-html          build neither HTML report (Allure's, where Java is present, and cucumber-report.html)
  --reports          where to write the reports (default reports/)
  --shard            <index>/<total>, e.g. 2/4: run only that deterministic slice; merge the slices' reports
                     with npm run merge-reports -- --out <dir> <shard dirs...>
  --dry-run          list the scenarios that would run, with their clauses, level and applicability
                     (decided from the implementation's declaration, as in a run); sends no scenario request
  --baseline         a YAML file of expected failures and skips (README, "Baselines"): the exit code then
                     says whether anything regressed (0 none; 1 an unexpected failure, skip or pass; 3 broken)
  --write-baseline   write the run's failures and skips to this YAML file, to edit and use as --baseline
exit codes: 0 conformant (something applied, nothing failed or broke), 1 a scenario failed,
            2 usage error, 3 broken (no verdict: the harness or the implementation failed),
            4 nothing applicable (every scenario skipped or untestable)`;

// --dry-run: the set-up hook decides each scenario's applicability and stops
// it before its first request; nothing is written to the reports directory.
async function dryRun(paths: string[], tags: string | undefined, shard: string | undefined): Promise<number> {
  process.env[DRY_RUN_ENV] = '1';
  const scratch = mkdtempSync(join(tmpdir(), 'vfio-tck-dry-run-'));
  process.env.TCK_REPORTS_DIR = scratch;
  try {
    const { outcomes } = await runInProcess({ paths, tags, shard, formats: [] });
    outcomes.sort(byLocation);
    let applicable = 0;
    for (const o of outcomes) {
      const would = o.status === 'skipped' && o.message === WOULD_RUN;
      if (would) applicable++;
      const what = would ? 'would run' : o.status === 'untestable' ? `untestable: ${o.message}` : o.status === 'skipped' ? `not applicable: ${o.message}` : `${o.status}: ${(o.message ?? '').split('\n')[0]}`;
      console.log(`${scenarioKey(o)} ${o.name} [${o.clauses.join(', ')}; ${o.profile ? `profile ${o.profile}` : 'uAPI rule'}]: ${what}`);
    }
    const broken = outcomes.filter((o) => o.status === 'broken').length;
    console.log(`vfio-tck dry run: ${outcomes.length} scenarios: ${applicable} would run, ${outcomes.filter((o) => o.status === 'skipped').length - applicable} not applicable, ${outcomes.filter((o) => o.status === 'untestable').length} untestable${broken ? `, ${broken} broken (the implementation could not be started)` : ''}`);
    if (outcomes.length === 0) return EXIT.usage;
    return broken ? EXIT.broken : EXIT.conformant;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: {
        adapter: { type: 'string' },
        'adapter-timeout': { type: 'string' },
        validate: { type: 'boolean', default: false },
        tags: { type: 'string' },
        kernel: { type: 'string' },
        'no-html': { type: 'boolean', default: false },
        reports: { type: 'string', default: 'reports' },
        baseline: { type: 'string' },
        shard: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        'write-baseline': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.values.help) {
    console.log(USAGE);
    return 0;
  }
  // The run reads its target from the environment (support/target.ts), as a plain cucumber-js run does.
  if (args.values.adapter !== undefined) process.env[ENV.command] = args.values.adapter;
  if (args.values['adapter-timeout'] !== undefined) process.env[ENV.callTimeoutMs] = args.values['adapter-timeout'];
  if (args.values.validate) process.env[ENV.validate] = '1';
  const adapter = args.values.adapter ?? (process.env[ENV.command] || undefined);
  if (adapter !== undefined) {
    try {
      adapterSettings(adapter); // a bad command line or bound stops here, before any report is touched
    } catch (error) {
      console.error(`${(error as Error).message}\n${USAGE}`);
      return 2;
    }
  }
  const shard = args.values.shard;
  if (shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(shard);
    if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) {
      console.error(`--shard ${shard}: expected <index>/<total> with 1 <= index <= total, e.g. 1/2\n${USAGE}`);
      return EXIT.usage;
    }
  }
  let baseline: Baseline | undefined;
  if (args.values.baseline !== undefined) {
    try {
      baseline = loadBaseline(args.values.baseline); // a bad baseline stops here, before any report is touched
    } catch (error) {
      console.error((error as Error).message);
      return EXIT.usage;
    }
  }
  const paths = args.positionals.length ? args.positionals : ['features/**/*.feature'];
  for (const p of args.positionals) {
    if (!existsSync(p)) {
      console.error(`${p}: no such feature file or folder`);
      return EXIT.usage;
    }
  }
  if (args.values['dry-run']) return dryRun(paths, args.values.tags, shard);
  let reports: string;
  try {
    reports = claimReportsDir(args.values.reports);
  } catch (error) {
    if (!(error instanceof ReportsDirError)) throw error;
    console.error(error.message);
    return EXIT.usage;
  }
  const results = join(reports, 'allure-results');
  rmSync(results, { recursive: true, force: true, maxRetries: 5 });
  mkdirSync(results, { recursive: true });
  for (const stale of ['adapter.json', 'implementation.json', CUCUMBER_HTML]) rmSync(join(reports, stale), { force: true });
  process.env.TCK_REPORTS_DIR = reports;
  if (args.values.kernel) process.env.TCK_REF_KERNEL = args.values.kernel;
  // The kernel lab's adapter (lab/launch) boots the release LAB_KERNEL names
  // (MAJOR.MINOR); the real kernel then reports its own release.
  if (args.values.kernel && args.values.adapter) process.env.LAB_KERNEL ??= /^\d+\.\d+/.exec(args.values.kernel)?.[0];

  const collector = new OutcomeCollector();
  const allure = new AllureMemoryWriter(results);
  const readInfo = () => {
    const file = join(reports, 'implementation.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ImplementationInfo) : null;
  };
  // Ctrl-C or a CI cancel: stop the adapter, write the reports of what finished, marked interrupted.
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      const { groups: survivors, leftBehind } = stopAdapters();
      const { summary } = writeReports(reports, collector.outcomes, readInfo(), { rewriteAllure: true, interrupted: signal, allure });
      console.error(`\nvfio-tck: interrupted by ${signal}; the reports in ${reports} hold the ${summary.totals.scenarios} scenario(s) that finished, marked interrupted`);
      if (survivors.length) console.error(`vfio-tck: adapter process group(s) ${survivors.join(', ')} still running after SIGKILL`);
      for (const p of leftBehind) console.error(`vfio-tck: the adapter left ${describeLeftBehind(p)} running outside its process group; it was killed`);
      console.log(`vfio-tck: ${countLine(summary.totals)} (interrupted)`);
      process.exit(code);
    });
  }
  const { outcomes, adapter: stats } = await runInProcess({
    collector,
    paths,
    tags: args.values.tags,
    shard,
    onMessage: Progress.forStderr().onMessage,
    formats: [
      ['allure-cucumberjs/reporter', join(reports, 'allure-formatter.log')],
      // Cucumber's own HTML report: the features as living documentation, with this run's results.
      ...(args.values['no-html'] ? [] : [['html', join(reports, CUCUMBER_HTML)] as [string, string]]),
    ],
    formatOptions: allureFormatOptions(allure),
  });

  const info = readInfo();
  // Faults outside every scenario, and processes the adapter left running, keep the run from conforming.
  const adapterFaults = stats ? [...stats.faults_between_scenarios, ...stats.left_behind] : [];
  const { summary, missingAllure: missing } = writeReports(reports, outcomes, info, { rewriteAllure: true, adapterFaults, allure });
  if (missing.length) console.error(`no Allure result for ${missing.length} scenario(s), e.g. ${missing[0]}`);
  const html = args.values['no-html'] ? 'HTML reports not built (--no-html).' : `${generateHtml(results, join(reports, 'allure-report'))}\nLiving documentation: ${join(reports, CUCUMBER_HTML)}`;

  const t = summary.totals;
  for (const p of summary.problems.slice(0, 20)) console.log(`  ${p.status}${p.profile ? ` (profile ${p.profile})` : ''}: ${p.scenario} (${p.location}): ${p.message?.split('\n')[0] ?? ''}`);
  console.log(html);
  if (adapter && stats) {
    const rtt = stats.round_trip_ms ? `, median round trip ${stats.round_trip_ms.median} ms` : '';
    const issues = stats.protocol_issues.length ? `, ${stats.protocol_issues.length} protocol check finding(s)` : '';
    console.log(`adapter ${stats.command}: started ${stats.starts} time(s), ${stats.calls} calls${rtt}${issues}`);
    for (const f of adapterFaults) console.log(`  adapter fault outside any scenario: ${f}`);
  }
  if (t.scenarios === 0) {
    console.error('no scenario ran: check the paths and the tag expression');
    return EXIT.usage;
  }
  if (args.values['write-baseline']) console.log(writeBaseline(args.values['write-baseline'], summary));
  const judgement = baseline ? judge(summary, baseline) : undefined;
  if (judgement) printJudgement(judgement, args.values.baseline as string);
  // The one closing count line CI reads (reasons for skips in summary.md).
  console.log(`vfio-tck: ${countLine(t)}`);
  if (!judgement) return exitCodeOf(t, adapterFaults.length);
  if (judgement.regressions.some((r) => r.scenario.status === 'broken')) return EXIT.broken;
  return judgement.regressions.length || judgement.unexpectedPasses.length ? EXIT.failed : EXIT.conformant;
}

// A fault of the harness itself (a report that cannot be written, a bug)
// leaves the run without a verdict: exit 3, never 1 (which means a scenario
// failed) nor 2. While a step runs, Cucumber has its own listener and turns
// such an exception into that step's error; this one acts only outside steps.
function harnessBroke(error: unknown): never {
  console.error('vfio-tck: the harness failed, so the run has no verdict:');
  console.error(error);
  process.exit(EXIT.broken);
}
process.on('uncaughtException', (error) => {
  if (process.listenerCount('uncaughtException') === 1) harnessBroke(error);
});

main().then((code) => process.exit(code), harnessBroke);
