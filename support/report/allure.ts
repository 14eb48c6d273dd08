// The Allure side of a run: environment info (who was tested, on what),
// categories that keep product defects, broken runs and not-applicable
// scenarios apart, and the HTML report when Java is there to build it.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImplementationInfo } from '../contract/protocol';
import { CLAUSES, clauseStatement } from '../clauses';
import { anchorOf, catalogUrl, sourceLinks } from '../clauses/pages';
import { AllureMemoryWriter, type AllureFiles } from './allure-writer';
import { SCENARIO_LABEL, scenarioKey, type ScenarioOutcome, type Status } from './outcomes';

// The allure-cucumberjs options of a run whose results the writer holds until
// the reports flush them (support/report/allure-writer.ts). The writer is an
// object, so these options go to runInProcess, not to a cucumber.js profile.
export function allureFormatOptions(writer: AllureMemoryWriter): { resultsDir: string; writer: AllureMemoryWriter } {
  return { resultsDir: writer.resultsDir, writer };
}

export function writeEnvironment(resultsDir: string, info: ImplementationInfo | null): void {
  const entries: Record<string, string> = { 'vfio-tck.node': process.version };
  if (info) {
    Object.assign(entries, {
      'implementation.name': info.name,
      'implementation.version': info.version,
      'implementation.roles': info.roles.join(', '),
      'platform.kernel': info.platform.kernel,
      'platform.arch': info.platform.arch,
      'platform.byte_order': info.platform.byte_order,
    });
    for (const [key, value] of Object.entries(info.options)) entries[`option.${key}`] = String(value);
  }
  const text = Object.entries(entries).map(([k, v]) => `${k}=${v.replace(/\n/g, ' ')}`).join('\n');
  writeFileSync(join(resultsDir, 'environment.properties'), `${text}\n`);
}

// Allure has no "untestable": it becomes "unknown", which is never green and
// is shown apart from passed, failed, broken and skipped.
export const ALLURE_STATUS: Record<Status, string> = { passed: 'passed', failed: 'failed', broken: 'broken', skipped: 'skipped', untestable: 'unknown' };

// A failed scenario's message starts with what it failed, so that categories
// can group by clause (and by profile) instead of by stack trace.
function failurePrefix(o: ScenarioOutcome): string {
  return `${o.profile ? `[profile ${o.profile}] ` : ''}[${o.clauses.join(', ')}] `;
}

// Java's quoting, for Allure's categories (it matches whole messages).
const quote = (text: string) => `\\Q${text.replace(/\\E/g, '\\E\\\\E\\Q')}\\E`;

export function writeCategories(resultsDir: string, outcomes: readonly ScenarioOutcome[]): void {
  const categories: { name: string; matchedStatuses: string[]; messageRegex?: string }[] = [];
  const seen = new Set<string>();
  const add = (c: (typeof categories)[number]) => {
    if (!seen.has(c.name)) categories.push(c);
    seen.add(c.name);
  };
  for (const o of outcomes) {
    const first = o.clauses[0] ?? '(no clause)';
    const title = `${first}: ${clauseStatement(first)}`;
    if (o.status === 'failed') {
      const who = o.profile ? `[profile ${o.profile}] ` : '';
      add({ name: o.profile ? `Driver profile ${o.profile} failed ${title}` : `Failed ${title}`, matchedStatuses: ['failed'], messageRegex: `${quote(`${who}[${first}`)}[,\\]][\\s\\S]*` });
    }
    if (o.status === 'skipped') add({ name: `Not applicable: ${o.message}`, matchedStatuses: ['skipped'], messageRegex: quote(o.message ?? '') });
    if (o.status === 'untestable') add({ name: `Untestable: ${o.message}`, matchedStatuses: ['unknown'], messageRegex: quote(o.message ?? '') });
  }
  categories.sort((a, b) => a.name.localeCompare(b.name));
  categories.push({ name: 'Broken runs: no verdict (the harness, the adapter or the implementation failed)', matchedStatuses: ['broken'] });
  writeFileSync(join(resultsDir, 'categories.json'), `${JSON.stringify(categories, null, 2)}\n`);
}

// Each clause's links: its entry in the catalog pages, and where its source can be read.
export function clauseLinks(ids: readonly string[]): AllureLink[] {
  return ids.flatMap((id) => {
    const c = CLAUSES[id];
    const entry = catalogUrl(id);
    if (!c || !entry) return [];
    return [{ name: `${id} in the clause catalog`, url: entry, type: 'link' }, ...sourceLinks(c.source).map((l) => ({ name: `${id} source: ${l.name}`, url: l.url, type: 'link' }))];
  });
}

interface AllureLink { name: string; url: string; type: string }
interface AllureStep { name?: string; status?: string; steps?: AllureStep[]; attachments?: { name: string; source: string; type: string }[] }
interface AllureResult extends AllureStep {
  uuid: string;
  labels: { name: string; value: string }[];
  statusDetails?: { message?: string; trace?: string };
  description?: string;
  links?: AllureLink[];
}


// Rewrites Allure's results from the outcomes: allure-cucumberjs takes a test's
// status from its steps only, so a scenario broken in a hook shows as skipped,
// and one the suite calls untestable as passed or skipped. The outcome decides.
// Also: one story per scenario, the clauses in the description, and calls.jsonl
// on the step that failed. Returns the keys of scenarios without a result.
export function rewriteResults(results: AllureFiles, outcomes: readonly ScenarioOutcome[]): string[] {
  const byKey = new Map(outcomes.map((o) => [scenarioKey(o), o]));
  const files = results.names();
  const containers = files.filter((f) => f.endsWith('-container.json')).map((f) => JSON.parse(results.read(f)) as { children?: string[]; afters?: AllureStep[] });
  const found = new Set<string>();
  for (const file of files.filter((f) => f.endsWith('-result.json'))) {
    const result = JSON.parse(results.read(file)) as AllureResult;
    const key = result.labels.find((l) => l.name === SCENARIO_LABEL)?.value;
    const o = key === undefined ? undefined : byKey.get(key);
    if (!o) continue;
    found.add(key as string);
    result.status = ALLURE_STATUS[o.status];
    const message = o.status === 'failed' ? `${failurePrefix(o)}${o.message ?? ''}` : o.message;
    result.statusDetails = { ...(message ? { message } : {}), ...(o.status === 'failed' || o.status === 'broken' ? { trace: result.statusDetails?.trace } : {}) };
    // A scenario with several clauses is one scenario: one story (the first), the rest in the description.
    let story = false;
    result.labels = result.labels.filter((l) => l.name !== 'story' || (!story && (story = true)));
    const clauses = o.clauses.map((id) => {
      const c = CLAUSES[id];
      return c ? `- ${id} (${c.level === 'uapi' ? 'uAPI rule' : c.level === 'client' ? `client profile of ${c.client} ${c.release}` : `profile of ${c.driver}`}): ${c.statement} Source: ${c.source}.${c.covers?.length ? ` Covers: ${c.covers.join('; ')}.` : ''} See docs/catalog/${o.area}.md#${anchorOf(id)}.` : `- ${id}: not in the catalog`;
    });
    const links = [...(result.links ?? []), ...clauseLinks(o.clauses)];
    result.links = links.filter((l, i) => links.findIndex((m) => m.url === l.url && m.name === l.name) === i);
    result.description = `${result.description ?? ''}\n\nClauses checked:\n${clauses.join('\n')}\n\nOutcome: ${o.status}${o.profile ? ` (driver profile ${o.profile})` : ' (uAPI rule)'}${o.message ? `: ${o.message}` : ''}`;
    if (o.status === 'failed' || o.status === 'broken') {
      const calls = containers.filter((c) => c.children?.includes(result.uuid))
        .flatMap((c) => c.afters ?? []).flatMap(attachmentsOf).find((a) => a.name === 'calls.jsonl');
      if (calls) {
        const steps = result.steps ?? [];
        const failing = steps.find((s) => s.status === 'failed' || s.status === 'broken') ?? steps[steps.length - 1];
        const attachment = { name: 'calls.jsonl', source: calls.source, type: 'text/plain' };
        if (failing) (failing.attachments ??= []).push(attachment);
        (result.attachments ??= []).push(attachment);
      }
    }
    results.write(file, JSON.stringify(result));
  }
  return [...byKey.keys()].filter((k) => !found.has(k));
}

function attachmentsOf(step: AllureStep): { name: string; source: string; type: string }[] {
  return [...(step.attachments ?? []), ...(step.steps ?? []).flatMap(attachmentsOf)];
}

export function javaAvailable(): boolean {
  return spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;
}

// Returns a line for the user: where the report is, or how to get it.
export function generateHtml(resultsDir: string, reportDir: string): string {
  if (!javaAvailable()) {
    return `No Java on this machine, so no HTML report was built. The raw results are in ${resultsDir}; install a Java runtime (e.g. apt-get install default-jre-headless) and run: npx allure generate ${resultsDir} -o ${reportDir} --clean`;
  }
  const allure = join('node_modules', '.bin', 'allure');
  const run = spawnSync(allure, ['generate', resultsDir, '-o', reportDir, '--clean'], { encoding: 'utf8' });
  if (run.status !== 0 || !existsSync(join(reportDir, 'index.html'))) {
    return `allure generate failed (${run.status}): ${(run.stderr || run.stdout || '').trim().split('\n').slice(-3).join(' ')}`;
  }
  return `HTML report: ${join(reportDir, 'index.html')} (serve it with: npx allure open ${reportDir})`;
}
