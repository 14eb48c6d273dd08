// The limit audit: every numeric limit a clause sets is checked at limit - 1,
// limit and limit + 1, each point by a scenario of the clause whose title (or description) names
// the value, or explained (in the scenario's own text) as out of the uAPI's
// reach. A statement worded as a numeric limit must list its limits, or say
// why it sets none. test/limits.test.ts runs this over the catalog.
import type { Clause, Limit, LimitPoint } from './catalog';
import type { ScenarioEntry } from './scenarios';
import { areaOf, clauseIds } from '../world/clauses';

// Wording that sets a numeric limit: "below 24", "8 or more", "past 4",
// "shorter than 36", "at most 4", "argsz ... 16".
export const LIMIT_WORDING = /\b(?:below|above|at most|at least|more than|fewer than|less than|past|beyond|shorter than|longer than|exceeds?) (?:the )?(?:0x[0-9a-f]+|\d+)\b|\b(?:0x[0-9a-f]+|\d+) or (?:more|less|fewer)\b|\bargsz (?:below|of|\d)/i;

export const POINTS = ['below', 'at', 'above'] as const;

export function pointValue(l: Limit, point: (typeof POINTS)[number]): number {
  return l.limit + (point === 'below' ? -1 : point === 'at' ? 0 : 1);
}

// The scenarios a reference "07 [5]" names in an area: every row of it.
export function scenariosOf(ref: string, area: string, scenarios: readonly ScenarioEntry[]): ScenarioEntry[] {
  const m = /^(\d+) \[(\d+)\]$/.exec(ref);
  if (!m) return [];
  return scenarios.filter((s) => areaOf(s.uri) === area && new RegExp(`/${m[1]}-[^/]*\\.feature$`).test(s.uri) && (s.outline?.title ?? s.name).startsWith(`[${m[2]}] `));
}

// A value as the scenarios write it: decimal, or hex (0x17), as a token of its own.
function names(text: string, value: number): boolean {
  const forms = [String(value), `0x${value.toString(16)}`];
  return forms.some((f) => new RegExp(`(^|[^\\w.+-])${f.replace(/[.+]/g, '\\$&')}(?![\\w.])`, 'i').test(text));
}

// A value is named in the scenario's title (an outline's row fills it in) or
// its description, not merely somewhere in its steps (4096 is in many set-ups).
const titleOf = (s: ScenarioEntry) => [s.name, s.description].join('\n');
const textOf = (s: ScenarioEntry) => [s.name, s.description, ...s.steps].join('\n');

export function describePoint(p: LimitPoint): string {
  return typeof p === 'string' ? p : `not reachable through the uAPI (${p.unreachable}; ${p.scenario})`;
}

export function limitProblems(clauses: readonly Clause[], scenarios: readonly ScenarioEntry[], areaOfClause: (id: string) => string | undefined): string[] {
  return clauses.flatMap((c) => {
    const out: string[] = [];
    if (LIMIT_WORDING.test(c.statement) && !c.limits?.length && !c.noLimit) out.push(`${c.id}: the statement sets a numeric limit; list it in limits (three points) or say why not in noLimit`);
    const area = areaOfClause(c.id);
    for (const l of c.limits ?? []) {
      for (const point of POINTS) {
        const p = l[point];
        const value = pointValue(l, point);
        const where = `${c.id} ${l.what} ${point} the limit (${value})`;
        if (p === undefined) { out.push(`${where}: no point`); continue; }
        const ref = typeof p === 'string' ? p : p.scenario;
        const rows = scenariosOf(ref, area ?? '', scenarios).filter((s) => clauseIds(s.tags).includes(c.id));
        if (rows.length === 0) { out.push(`${where}: ${ref} is no scenario of ${area} tagged @${c.id}`); continue; }
        if (typeof p === 'string') {
          if (!rows.some((s) => names(titleOf(s), value))) out.push(`${where}: no row of ${ref} names ${value}`);
        } else if (!rows.some((s) => textOf(s).includes(p.unreachable))) {
          out.push(`${where}: ${ref} does not say "${p.unreachable}" in its text`);
        }
      }
    }
    return out;
  });
}
