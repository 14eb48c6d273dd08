// npm run conformance [-- options] [feature paths]
// Runs the suite against the bundled reference implementation and writes the
// reports: Allure results (and HTML where Java is present), summary.json and
// summary.md. Exits 0 only if scenarios ran and none failed or broke.
import { parseArgs } from 'node:util';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ImplementationInfo } from '../contract/protocol';
import { generateHtml, writeCategories, writeEnvironment } from '../report/allure';
import { summarize, writeSummary } from '../report/summary';
import { runInProcess } from './in-process';

const USAGE = `usage: npm run conformance -- [--tags "<expression>"] [--kernel <release>] [--no-html] [--reports <dir>] [feature paths...]
  --tags     a Cucumber tag expression, e.g. "@C-MIG-016 or @C-MIG-017", "not @hangs-unfixed-kernels"
  --kernel   the kernel release whose behaviour the reference imitates (default 6.12.117)
  --no-html  do not build the HTML report even where Java is present
  --reports  where to write the reports (default reports/)`;

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: {
        tags: { type: 'string' },
        kernel: { type: 'string' },
        'no-html': { type: 'boolean', default: false },
        reports: { type: 'string', default: 'reports' },
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
  const reports = resolve(args.values.reports);
  const results = join(reports, 'allure-results');
  rmSync(results, { recursive: true, force: true, maxRetries: 5 });
  mkdirSync(results, { recursive: true });
  process.env.TCK_REPORTS_DIR = reports;
  if (args.values.kernel) process.env.TCK_REF_KERNEL = args.values.kernel;
  const paths = args.positionals.length ? args.positionals : ['features/**/*.feature'];
  for (const p of args.positionals) {
    if (!existsSync(p)) {
      console.error(`${p}: no such feature file or folder`);
      return 2;
    }
  }

  const { outcomes } = await runInProcess({
    paths,
    tags: args.values.tags,
    formats: ['progress', ['allure-cucumberjs/reporter', join(reports, 'allure-formatter.log')]],
    formatOptions: { resultsDir: results },
  });

  const infoFile = join(reports, 'implementation.json');
  const info = existsSync(infoFile) ? (JSON.parse(readFileSync(infoFile, 'utf8')) as ImplementationInfo) : null;
  const summary = summarize(outcomes, info);
  writeSummary(reports, summary);
  writeEnvironment(results, info);
  writeCategories(results);
  const html = args.values['no-html'] ? 'HTML report not built (--no-html).' : generateHtml(results, join(reports, 'allure-report'));

  const t = summary.totals;
  console.log(`\nvfio-tck: ${t.scenarios} scenarios: ${t.passed} passed, ${t.failed} failed, ${t.broken} broken, ${t.skipped} skipped (not applicable, reasons in ${join(args.values.reports, 'summary.md')})`);
  for (const p of summary.problems.slice(0, 20)) console.log(`  ${p.status}: ${p.scenario} (${p.location}): ${p.message?.split('\n')[0] ?? ''}`);
  console.log(html);
  // The plain closing line CI reads.
  console.log(`${t.passed} passed, ${t.failed + t.broken} failed, ${t.skipped} skipped`);
  if (t.scenarios === 0 || t.passed === 0) {
    console.error('no scenario ran: check the paths and the tag expression');
    return 1;
  }
  return t.failed + t.broken > 0 ? 1 : 0;
}

main().then((code) => process.exit(code), (error) => {
  console.error(error);
  process.exit(2);
});
