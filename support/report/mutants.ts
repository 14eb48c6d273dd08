// The mutant matrix: for every deliberately broken variant of the reference,
// the scenarios that caught it. reports/mutants.json and mutants.md are made
// from it, and the mutant runner fails unless every mutant is killed.
// A mutant caught by a single scenario is listed apart: one scenario is a thin
// guard, and an independent second check is wanted for each of them.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MutantResult {
  id: string;
  area: string;
  description: string;
  killedBy: string[]; // "<uri>:<line> <name>" of each scenario that failed
  brokenBy: string[]; // scenarios that broke instead (no verdict); they do not count as kills
}

export interface MutantMatrix {
  mutants: (MutantResult & { kills: number })[];
  totals: { mutants: number; killed: number; survived: number; killRate: number; killedOnce: number };
  areas: Record<string, { mutants: number; killed: number; killRate: number; killedOnce: number }>;
  survivors: string[];
  killedOnce: string[]; // ids of the mutants killed by exactly one scenario
  complete: boolean; // every mutant of the catalog was run, not a chosen few
}

const rate = (killed: number, total: number) => (total === 0 ? 1 : killed / total);
const percent = (r: number) => `${(Math.floor(r * 1000) / 10).toFixed(1)} %`;

export function mutantMatrix(results: readonly MutantResult[], complete: boolean): MutantMatrix {
  const mutants = results.map((r) => ({ ...r, kills: r.killedBy.length }));
  const killed = mutants.filter((m) => m.kills > 0);
  const killedOnce = mutants.filter((m) => m.kills === 1).map((m) => m.id);
  const areas: MutantMatrix['areas'] = {};
  for (const area of [...new Set(mutants.map((m) => m.area))]) {
    const mine = mutants.filter((m) => m.area === area);
    const k = mine.filter((m) => m.kills > 0).length;
    areas[area] = { mutants: mine.length, killed: k, killRate: rate(k, mine.length), killedOnce: mine.filter((m) => m.kills === 1).length };
  }
  return {
    mutants,
    totals: {
      mutants: mutants.length, killed: killed.length, survived: mutants.length - killed.length,
      killRate: rate(killed.length, mutants.length), killedOnce: killedOnce.length,
    },
    areas,
    survivors: mutants.filter((m) => m.kills === 0).map((m) => m.id),
    killedOnce,
    complete,
  };
}

export function mutantsMarkdown(matrix: MutantMatrix): string {
  const { totals } = matrix;
  const lines = [
    '# Mutant matrix',
    '',
    `${totals.killed} of ${totals.mutants} mutants killed (${percent(totals.killRate)}); `
      + `${totals.survived} survived; ${totals.killedOnce} killed by exactly one scenario.`
      + (matrix.complete ? '' : ' Only the mutants named on the command line were run.'),
    '',
    '| area | mutants | killed | kill rate | killed by one scenario |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...Object.entries(matrix.areas).map(([area, a]) => `| ${area} | ${a.mutants} | ${a.killed} | ${percent(a.killRate)} | ${a.killedOnce} |`),
    '',
  ];
  if (matrix.survivors.length) lines.push('## Survivors', '', ...matrix.survivors.map((id) => `- \`${id}\``), '');
  if (matrix.killedOnce.length) lines.push('## Killed by exactly one scenario', '', ...matrix.killedOnce.map((id) => `- \`${id}\``), '');
  lines.push('## Every mutant', '');
  for (const m of matrix.mutants) {
    lines.push(`### \`${m.id}\` (${m.area}): ${m.kills === 0 ? 'SURVIVED' : `killed by ${m.kills}`}`, '', m.description, '');
    lines.push(...m.killedBy.map((s) => `- ${s}`));
    if (m.brokenBy.length) lines.push(`- broke rather than failed: ${m.brokenBy.length} scenario(s), e.g. ${m.brokenBy[0]}`);
    lines.push('');
  }
  return `${lines.join('\n')}`;
}

// The short table printed at the end of a run.
export function mutantsTable(matrix: MutantMatrix): string {
  const rows = [['area', 'mutants', 'killed', 'kill rate', 'killed once'],
    ...Object.entries(matrix.areas).map(([area, a]) => [area, `${a.mutants}`, `${a.killed}`, percent(a.killRate), `${a.killedOnce}`]),
    ['all', `${matrix.totals.mutants}`, `${matrix.totals.killed}`, percent(matrix.totals.killRate), `${matrix.totals.killedOnce}`]];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')).join('\n');
}

export function writeMutantReports(dir: string, matrix: MutantMatrix): void {
  writeFileSync(join(dir, 'mutants.json'), `${JSON.stringify(matrix, null, 2)}\n`);
  writeFileSync(join(dir, 'mutants.md'), `${mutantsMarkdown(matrix)}\n`);
}
