// npm run diff-reports -- <reports dir A> <reports dir B>
// What changed from run A to run B, scenario by scenario (by feature file and
// title, so that edits that move lines do not count): new failures (B failed
// or broke where A did not), fixes (A failed or broke, B passed), newly
// skipped (A ran it, B skipped it), newly run, and scenarios only one run has.
// Exits 1 when B has a new failure, 0 otherwise, 2 on a usage error.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScenarioOutcome, Status } from '../report/outcomes';

const key = (o: ScenarioOutcome) => `${o.uri} ${o.name}`;
const bad = (s: Status) => s === 'failed' || s === 'broken';
const skip = (s: Status) => s === 'skipped' || s === 'untestable';

function load(dir: string): Map<string, ScenarioOutcome> {
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { scenarios?: ScenarioOutcome[] };
  if (!Array.isArray(summary.scenarios)) throw new Error(`${dir}/summary.json lists no scenarios`);
  return new Map(summary.scenarios.map((o) => [key(o), o]));
}

function main(argv: string[]): number {
  if (argv.length !== 2) {
    console.error('usage: npm run diff-reports -- <reports dir A> <reports dir B>  (two directories a run wrote summary.json to)');
    return 2;
  }
  let a: Map<string, ScenarioOutcome>, b: Map<string, ScenarioOutcome>;
  try {
    [a, b] = argv.map(load);
  } catch (error) {
    console.error(`diff-reports: ${(error as Error).message}`);
    return 2;
  }
  const lists: Record<string, string[]> = { 'new failures': [], fixes: [], 'newly skipped': [], 'newly run': [], 'only in A': [], 'only in B': [] };
  const line = (o: ScenarioOutcome, was?: ScenarioOutcome) => `${o.uri}:${o.line} ${o.name}: ${was ? `${was.status} -> ` : ''}${o.status}${o.message ? ` (${o.message.split('\n')[0]})` : ''}`;
  for (const [k, before] of a) {
    const after = b.get(k);
    if (!after) { lists['only in A'].push(line(before)); continue; }
    if (bad(after.status) && !bad(before.status)) lists['new failures'].push(line(after, before));
    else if (bad(before.status) && after.status === 'passed') lists.fixes.push(line(after, before));
    else if (skip(after.status) && !skip(before.status)) lists['newly skipped'].push(line(after, before));
    else if (skip(before.status) && !skip(after.status)) lists['newly run'].push(line(after, before));
  }
  for (const [k, after] of b) if (!a.has(k)) lists['only in B'].push(line(after));
  for (const [title, items] of Object.entries(lists)) {
    console.log(`${title}: ${items.length}`);
    for (const item of items) console.log(`  ${item}`);
  }
  return lists['new failures'].length ? 1 : 0;
}

process.exit(main(process.argv.slice(2)));
