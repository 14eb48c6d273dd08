// npm run explore:mutants [-- mutant ids...]
// The mutant matrix of exploration: explores each migration mutant of the
// reference within fixed bounds and records which ones exploration alone
// finds, with the clause and the length of the shrunk scenario. Writes
// reports/explore-mutants.json. Informative: a mutant exploration misses is
// still killed by the scenarios (npm run test:mutants).
import { mkdirSync, writeFileSync } from 'node:fs';
import { MUTANTS } from '../../reference-impl/mutants';
import { explore, EXPLORED_AREAS } from '../explore/explore';

export const MATRIX_BOUNDS = { seed: 1, runs: 100, maxCommands: 100 } as const;

async function main(): Promise<number> {
  const wanted = process.argv.slice(2);
  const mutants = MUTANTS.filter((m) => EXPLORED_AREAS.includes(m.area) && (!wanted.length || wanted.includes(m.id)));
  if (wanted.length && mutants.length !== wanted.length) {
    console.error(`unknown or unexplored mutant(s) among ${wanted.join(', ')}; explored areas: ${EXPLORED_AREAS.join(', ')}`);
    return 2;
  }
  const rows = [];
  for (const mutant of mutants) {
    const r = await explore({ area: mutant.area, ...MATRIX_BOUNDS, env: { ...process.env, TCK_MUTANT: mutant.id } });
    const found = r.failure !== undefined;
    rows.push({ id: mutant.id, description: mutant.description, found, clause: r.failure?.clause, steps: r.failure?.steps.length, sequences: r.sequences, broken: r.broken });
    const what = r.failure ? `found: ${r.failure.clause}, shrunk to ${r.failure.steps.length} steps after ${r.sequences} sequences` : r.broken ? `BROKEN: ${r.broken}` : `missed in ${r.sequences} sequences, ${r.steps} commands`;
    console.log(`${found ? 'found ' : 'missed'} ${mutant.id.padEnd(36)} ${what}`);
  }
  mkdirSync('reports', { recursive: true });
  writeFileSync('reports/explore-mutants.json', `${JSON.stringify({ bounds: MATRIX_BOUNDS, mutants: rows }, null, 2)}\n`);
  const found = rows.filter((r) => r.found).length;
  console.log(`\nexploration found ${found} of ${rows.length} mutants (${Math.round((100 * found) / Math.max(1, rows.length))} %) within seed ${MATRIX_BOUNDS.seed}, ${MATRIX_BOUNDS.runs} sequences of up to ${MATRIX_BOUNDS.maxCommands} commands`);
  return rows.some((r) => r.broken) ? 3 : 0;
}

if (require.main === module) {
  main().then((code) => process.exit(code), (error) => {
    console.error(error);
    process.exit(3);
  });
}
