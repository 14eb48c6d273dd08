// npm run test:variants [-- variant ids...]
// Runs each area's features against every conforming variant of the
// reference (reference-impl/variants.ts). A variant makes the choices the
// uAPI leaves open as one real driver does, so:
// - no scenario may break, and no scenario may fail unless it checks a uAPI
//   rule that the variant's driver is recorded to depart from (a profile
//   clause of that driver with `deviates`);
// - every such recorded departure must show as a failure (the suite says so);
// - the driver's own profile scenarios run, and pass.
// Anything else is a defect of the suite: a verdict that is false for a
// legal implementation.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ISupportCodeLibrary } from '@cucumber/cucumber/api';
import { VARIANTS } from '../../reference-impl/variants';
import { CLAUSES } from '../clauses';
import { profileOf } from '../clauses/scenarios';
import { runInProcess } from './in-process';

async function main(): Promise<number> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((id) => !VARIANTS.some((v) => v.id === id));
  if (unknown.length) {
    console.error(`unknown variant(s): ${unknown.join(', ')}; known: ${VARIANTS.map((v) => v.id).join(', ')}`);
    return 2;
  }
  process.env.TCK_REPORTS_DIR = mkdtempSync(join(tmpdir(), 'vfio-tck-variants-'));
  let support: ISupportCodeLibrary | undefined;
  let defects = 0;
  for (const variant of VARIANTS.filter((v) => !wanted.length || wanted.includes(v.id))) {
    process.env.TCK_VARIANT = variant.id;
    const run = await runInProcess({ paths: [`features/${variant.area}/**/*.feature`], formats: [], support });
    support = run.support;
    const deviated = new Set(Object.values(CLAUSES).filter((c) => c.driver === variant.driver && c.deviates).map((c) => c.deviates as string));
    const where = (o: { uri: string; line: number; name: string }) => `${o.uri}:${o.line} ${o.name}`;
    const problems: string[] = [];
    for (const o of run.outcomes) {
      if (o.status === 'broken') problems.push(`broken: ${where(o)}: ${o.message ?? ''}`);
      if (o.status === 'failed' && !o.clauses.some((c) => deviated.has(c))) problems.push(`failed a legal implementation: ${where(o)}: ${o.message ?? ''}`);
    }
    for (const clause of deviated) {
      const shown = run.outcomes.some((o) => o.status === 'failed' && o.clauses.includes(clause));
      if (!shown) problems.push(`the recorded departure from ${clause} shows in no failed scenario`);
    }
    const profile = run.outcomes.filter((o) => profileOf(o.tags) === variant.driver);
    const hasProfile = Object.values(CLAUSES).some((c) => c.driver === variant.driver);
    if (hasProfile && !profile.some((o) => o.status === 'passed')) problems.push(`no ${variant.driver} profile scenario passed`);
    const count = (status: string) => run.outcomes.filter((o) => o.status === status).length;
    const departures = run.outcomes.filter((o) => o.status === 'failed').length;
    console.log(`${problems.length ? 'DEFECT' : 'ok'.padEnd(6)} ${variant.id.padEnd(12)} ${variant.driver}: ${count('passed')} passed, `
      + `${departures} failed on the recorded departures (${[...deviated].join(', ') || 'none'}), ${count('skipped')} not applicable, `
      + `${profile.filter((o) => o.status === 'passed').length} of its profile scenarios passed`);
    for (const p of problems) console.log(`       - ${p}`);
    defects += problems.length;
  }
  delete process.env.TCK_VARIANT;
  console.log(`variants: ${defects === 0 ? 'every conforming variant got only true verdicts' : `${defects} defect(s) of the suite`}`);
  return defects ? 1 : 0;
}

main().then((code) => process.exit(code), (error) => {
  console.error(error);
  process.exit(2);
});
