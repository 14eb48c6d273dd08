// npm run test:mutants [-- mutant ids...]
// Runs each area's features against every deliberately broken variant of the
// reference and fails if any variant survives (no scenario failed). Prints
// which scenarios killed each one and writes reports/mutants.json.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MUTANTS } from '../../reference-impl/mutants';
import type { ISupportCodeLibrary } from '@cucumber/cucumber/api';
import { runInProcess } from './in-process';

interface Verdict { id: string; area: string; description: string; killedBy: string[]; brokenBy: string[] }

async function main(): Promise<number> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((id) => !MUTANTS.some((m) => m.id === id));
  if (unknown.length) {
    console.error(`unknown mutant(s): ${unknown.join(', ')}; known: ${MUTANTS.map((m) => m.id).join(', ')}`);
    return 2;
  }
  const mutants = wanted.length ? MUTANTS.filter((m) => wanted.includes(m.id)) : MUTANTS;
  // Mutant runs write their side files away from the real reports.
  process.env.TCK_REPORTS_DIR = mkdtempSync(join(tmpdir(), 'vfio-tck-mutants-'));
  let support: ISupportCodeLibrary | undefined;
  const verdicts: Verdict[] = [];
  const started = Date.now();
  for (const mutant of mutants) {
    process.env.TCK_MUTANT = mutant.id;
    const run = await runInProcess({ paths: [`features/${mutant.area}/**/*.feature`], formats: [], support });
    support = run.support;
    const named = (status: string) => run.outcomes.filter((o) => o.status === status).map((o) => `${o.uri}:${o.line} ${o.name}`);
    const verdict = { id: mutant.id, area: mutant.area, description: mutant.description, killedBy: named('failed'), brokenBy: named('broken') };
    verdicts.push(verdict);
    const mark = verdict.killedBy.length ? `killed by ${verdict.killedBy.length}` : 'SURVIVED';
    console.log(`${mark.padEnd(14)} ${mutant.area.padEnd(15)} ${mutant.id}: ${mutant.description}`);
    for (const s of verdict.killedBy.slice(0, 3)) console.log(`               - ${s}`);
    if (verdict.brokenBy.length) console.log(`               (${verdict.brokenBy.length} scenario(s) broke rather than failed, e.g. ${verdict.brokenBy[0]})`);
  }
  delete process.env.TCK_MUTANT;
  mkdirSync('reports', { recursive: true });
  writeFileSync('reports/mutants.json', `${JSON.stringify(verdicts, null, 2)}\n`);
  const survivors = verdicts.filter((v) => v.killedBy.length === 0);
  console.log(`\n${verdicts.length} mutants in ${((Date.now() - started) / 1000).toFixed(1)} s; survivors: ${survivors.map((v) => v.id).join(', ') || 'none'}`);
  console.log(`mutants: ${verdicts.length - survivors.length} passed, ${survivors.length} failed`);
  return survivors.length ? 1 : 0;
}

main().then((code) => process.exit(code), (error) => {
  console.error(error);
  process.exit(2);
});
