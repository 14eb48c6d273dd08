// npm run explore:mutants [-- --area <area>] [mutant ids...]
// The mutant matrix of exploration: explores each mutant of the reference
// within fixed bounds (those of npm test) and records which ones exploration
// alone finds, with the clause and the length of the shrunk scenario. Writes
// reports/explore-mutants.json and .md. Informative: a mutant exploration
// misses is still killed by the scenarios (npm run test:mutants).
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { MUTANTS } from '../../reference-impl/mutants';
import { explore, EXPLORED_AREAS, ExploreArea } from '../explore/explore';

export const MATRIX_BOUNDS = { seed: 1, runs: 100, maxCommands: 100 } as const;

export interface MatrixRow { id: string; area: string; description: string; found: boolean; clause?: string; steps?: number; sequences: number; broken?: string }

// One mutant explored within the bounds; the host it needs (arch, byte order) is set as the conformance run sets it.
export async function exploreMutant(id: string, bounds: { seed: number; runs: number; maxCommands: number } = MATRIX_BOUNDS): Promise<MatrixRow> {
  const mutant = MUTANTS.find((m) => m.id === id);
  if (!mutant) throw new Error(`unknown mutant ${id}`);
  const env: NodeJS.ProcessEnv = { ...process.env, TCK_MUTANT: mutant.id };
  delete env.TCK_ADAPTER;
  delete env.TCK_VARIANT;
  if (mutant.host) Object.assign(env, { TCK_REF_ARCH: mutant.host.arch, TCK_REF_BYTE_ORDER: mutant.host.byteOrder });
  const r = await explore({ area: mutant.area as ExploreArea, ...bounds, env });
  return {
    id: mutant.id, area: mutant.area, description: mutant.description, found: r.failure !== undefined,
    ...(r.failure ? { clause: r.failure.clause, steps: r.failure.steps.length } : {}), sequences: r.sequences, ...(r.broken ? { broken: r.broken } : {}),
  };
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ options: { area: { type: 'string' } }, allowPositionals: true });
  const area = values.area as ExploreArea | undefined;
  if (area !== undefined && !EXPLORED_AREAS.includes(area)) {
    console.error(`--area must be one of ${EXPLORED_AREAS.join(', ')}, not "${area}"`);
    return 2;
  }
  const mutants = MUTANTS.filter((m) => EXPLORED_AREAS.includes(m.area as ExploreArea) && (!area || m.area === area) && (!positionals.length || positionals.includes(m.id)));
  if (positionals.length && mutants.length !== positionals.length) {
    console.error(`unknown or unexplored mutant(s) among ${positionals.join(', ')}; explored areas: ${EXPLORED_AREAS.join(', ')}`);
    return 2;
  }
  const rows: MatrixRow[] = [];
  for (const mutant of mutants) {
    const row = await exploreMutant(mutant.id);
    rows.push(row);
    const what = row.found ? `found: ${row.clause}, shrunk to ${row.steps} steps after ${row.sequences} sequences` : row.broken ? `BROKEN: ${row.broken}` : `missed in ${row.sequences} sequences`;
    console.log(`${row.found ? 'found ' : 'missed'} ${mutant.area.padEnd(15)} ${mutant.id.padEnd(36)} ${what}`);
  }
  const areas = [...new Set(rows.map((r) => r.area))].map((a) => {
    const of = rows.filter((r) => r.area === a);
    const found = of.filter((r) => r.found).length;
    return { area: a, mutants: of.length, found, share: Math.round((100 * found) / of.length) };
  });
  const found = rows.filter((r) => r.found).length;
  const share = Math.round((100 * found) / Math.max(1, rows.length));
  mkdirSync('reports', { recursive: true });
  writeFileSync('reports/explore-mutants.json', `${JSON.stringify({ bounds: MATRIX_BOUNDS, areas, found, total: rows.length, share, mutants: rows }, null, 2)}\n`);
  writeFileSync('reports/explore-mutants.md', [
    '# Mutants found by exploration', '',
    `Bounds: seed ${MATRIX_BOUNDS.seed}, ${MATRIX_BOUNDS.runs} sequences of up to ${MATRIX_BOUNDS.maxCommands} commands per mutant.`, '',
    '| area | mutants | found | share |', '| --- | --- | --- | --- |',
    ...areas.map((a) => `| ${a.area} | ${a.mutants} | ${a.found} | ${a.share} % |`), `| all | ${rows.length} | ${found} | ${share} % |`, '',
    '| mutant | area | found | clause | steps |', '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.id} | ${r.area} | ${r.found ? 'yes' : r.broken ? 'broken' : 'no'} | ${r.clause ?? ''} | ${r.steps ?? ''} |`), '',
  ].join('\n'));
  console.log('');
  for (const a of areas) console.log(`${a.area.padEnd(15)} ${a.found} of ${a.mutants} found (${a.share} %)`);
  console.log(`exploration found ${found} of ${rows.length} mutants (${share} %) within seed ${MATRIX_BOUNDS.seed}, ${MATRIX_BOUNDS.runs} sequences of up to ${MATRIX_BOUNDS.maxCommands} commands`);
  return rows.some((r) => r.broken) ? 3 : 0;
}

if (require.main === module) {
  main().then((code) => process.exit(code), (error) => {
    console.error(error);
    process.exit(3);
  });
}
