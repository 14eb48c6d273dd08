// npm run test:mutants [-- [--area <area>] [--reports <dir>] [mutant ids...]]
// Runs each area's features against every deliberately broken variant of the
// reference and fails unless every one is killed (some scenario failed).
// Writes the mutant matrix, reports/mutants.json and mutants.md: each mutant,
// the scenarios that killed it, the kill rate, and the mutants only one
// scenario catches; prints a short table at the end.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MUTANTS, type Area } from '../../reference-impl/mutants';
import type { ISupportCodeLibrary } from '@cucumber/cucumber/api';
import { mutantMatrix, mutantsTable, writeMutantReports, type MutantResult } from '../report/mutants';
import { runInProcess } from './in-process';

const AREAS: Area[] = ['vfio-migration', 'mdev', 'virtio-legacy'];
const USAGE = 'usage: npm run test:mutants -- [--area <vfio-migration|mdev|virtio-legacy>] [--reports <dir>] [mutant ids...]';

function parse(argv: string[]): { ids: string[]; area?: Area; reports: string } | string {
  const ids: string[] = [];
  let area: Area | undefined;
  let reports = 'reports';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--area' || arg === '--reports') {
      const value = argv[++i];
      if (!value) return `${arg} needs a value\n${USAGE}`;
      if (arg === '--reports') reports = value;
      else if (AREAS.includes(value as Area)) area = value as Area;
      else return `unknown area ${value}; known: ${AREAS.join(', ')}`;
    } else if (arg.startsWith('--')) {
      return `unknown option ${arg}\n${USAGE}`;
    } else ids.push(arg);
  }
  const unknown = ids.filter((id) => !MUTANTS.some((m) => m.id === id));
  if (unknown.length) return `unknown mutant(s): ${unknown.join(', ')}; known: ${MUTANTS.map((m) => m.id).join(', ')}`;
  return { ids, area, reports };
}

async function main(): Promise<number> {
  const options = parse(process.argv.slice(2));
  if (typeof options === 'string') {
    console.error(options);
    return 2;
  }
  const mutants = MUTANTS.filter((m) => (!options.ids.length || options.ids.includes(m.id)) && (!options.area || m.area === options.area));
  // Mutant runs write their side files away from the real reports.
  process.env.TCK_REPORTS_DIR = mkdtempSync(join(tmpdir(), 'vfio-tck-mutants-'));
  let support: ISupportCodeLibrary | undefined;
  const results: MutantResult[] = [];
  const started = Date.now();
  for (const mutant of mutants) {
    process.env.TCK_MUTANT = mutant.id;
    const run = await runInProcess({ paths: [`features/${mutant.area}/**/*.feature`], formats: [], support });
    support = run.support;
    const named = (status: string) => run.outcomes.filter((o) => o.status === status).map((o) => `${o.uri}:${o.line} ${o.name}`);
    const result = { id: mutant.id, area: mutant.area, description: mutant.description, killedBy: named('failed'), brokenBy: named('broken') };
    results.push(result);
    const mark = result.killedBy.length ? `killed by ${result.killedBy.length}` : 'SURVIVED';
    console.log(`${mark.padEnd(14)} ${mutant.area.padEnd(15)} ${mutant.id}: ${mutant.description}`);
    for (const s of result.killedBy.slice(0, 3)) console.log(`               - ${s}`);
    if (result.brokenBy.length) console.log(`               (${result.brokenBy.length} scenario(s) broke rather than failed, e.g. ${result.brokenBy[0]})`);
  }
  delete process.env.TCK_MUTANT;
  const matrix = mutantMatrix(results, mutants.length === MUTANTS.length);
  mkdirSync(options.reports, { recursive: true });
  writeMutantReports(options.reports, matrix);
  console.log(`\n${mutantsTable(matrix)}\n`);
  if (matrix.killedOnce.length) console.log(`killed by exactly one scenario: ${matrix.killedOnce.join(', ')}`);
  console.log(`${matrix.mutants.length} mutants in ${((Date.now() - started) / 1000).toFixed(1)} s; survivors: ${matrix.survivors.join(', ') || 'none'}`);
  console.log(`matrix: ${join(options.reports, 'mutants.md')} and mutants.json`);
  console.log(`mutants: ${matrix.totals.killed} killed, ${matrix.totals.survived} survived`);
  return matrix.totals.survived ? 1 : 0;
}

main().then((code) => process.exit(code), (error) => {
  console.error(error);
  process.exit(2);
});
