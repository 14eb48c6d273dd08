// reports/summary.json and summary.md: every scenario with its status, level
// and message; counts per area, per role, per clause; the uAPI verdict of each
// area apart from the results of each driver profile; the reasons for every
// skip; every failed or broken scenario; counts per flag set (the migration
// flags of the devices a scenario opened) and area.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clauseStatement } from '../clauses';
import { CLIENTS } from '../clauses/vmm-clients';
import type { ImplementationInfo } from '../contract/protocol';
import { AREAS, rolesOf } from '../world/clauses';
import { byLocation, scenarioKey, type ScenarioOutcome, type Status } from './outcomes';
import { count, type Counts, verdictOf, type Verdict, zero } from './verdict';

export type SummaryImplementation = Pick<ImplementationInfo, 'name' | 'version' | 'platform' | 'roles'>;

export interface Summary {
  implementation: SummaryImplementation | null;
  totals: Counts & { scenarios: number };
  areas: Record<string, {
    title: string;
    totals: Counts;
    uapi: Counts & { verdict: Verdict }; // the verdict of the area: its uAPI scenarios only
    profiles: Record<string, Counts & { verdict: Verdict }>; // by driver
    roles: Record<string, Counts>; // by the @role: tags of the feature files
    clauses: Record<string, Counts & { text: string }>;
    skipped_reasons: Record<string, number>;
  }>;
  // Per flag set of the devices the scenarios opened, in all and per area; a
  // scenario that opened devices of two flag sets counts under both, one that
  // opened none under NO_DEVICE.
  flag_sets: Record<string, FlagSetCounts>;
  problems: { status: Status; scenario: string; location: string; level: string; profile?: string; message?: string }[];
  clients: Record<string, ClientAnswer>; // per VMM client profile: can it migrate the declared devices
  scenarios: ScenarioOutcome[]; // every scenario, in file and line order
  interrupted?: string; // the signal that stopped the run: the scenarios are only those that finished
  // What the adapter did wrong outside every scenario (an exit or a line
  // between scenarios, a process left running): the run is then broken.
  adapter_faults?: string[];
}

// "Can this client migrate this device?": yes when its scenarios passed and
// none failed or broke; otherwise the first expectation that failed (or broke),
// or, when none ran, why none applied.
export interface ClientAnswer { client: string; version: string; answer: 'yes' | 'no' | 'no verdict' | 'not applicable'; because?: string; counts: Counts }

export function clientAnswers(outcomes: readonly ScenarioOutcome[]): Record<string, ClientAnswer> {
  const answers: Record<string, ClientAnswer> = {};
  for (const id of [...new Set(outcomes.flatMap((o) => (o.client ? [o.client] : [])))].sort()) {
    const mine = outcomes.filter((o) => o.client === id);
    const c = count(mine);
    const first = (status: Status) => mine.find((o) => o.status === status);
    const why = (o: ScenarioOutcome | undefined) => (o ? `${scenarioKey(o)} ${o.name}: ${(o.message ?? '').split('\n')[0]}` : undefined);
    const verdict = verdictOf(c);
    const answer = verdict === 'conforms' ? 'yes' : verdict === 'fails' ? 'no' : verdict;
    const because = answer === 'no' ? why(first('failed')) : answer === 'no verdict' ? why(first('broken')) : answer === 'not applicable' ? why(first('skipped') ?? first('untestable')) : undefined;
    answers[id] = { client: CLIENTS[id]?.name ?? id, version: CLIENTS[id]?.version ?? 'unknown', answer, ...(because ? { because } : {}), counts: c };
  }
  return answers;
}

export function clientAnswerLine(a: ClientAnswer): string {
  return `${a.client} ${a.version}: can migrate the declared devices: **${a.answer}**${a.because ? ` (${a.because})` : ''}`;
}

// "ran": the scenarios that reached a verdict against the implementation
// (passed, failed or broke); skipped and untestable ones did not.
export type RunCounts = Counts & { ran: number };
export interface FlagSetCounts extends RunCounts { areas: Record<string, RunCounts> }
export const NO_DEVICE = 'no migration device opened';

const withRan = (c: Counts): RunCounts => ({ ...c, ran: c.passed + c.failed + c.broken });

export function flagSetCounts(outcomes: readonly ScenarioOutcome[]): Record<string, FlagSetCounts> {
  const setsOf = (o: ScenarioOutcome) => (o.flag_sets?.length ? o.flag_sets : [NO_DEVICE]);
  const names = [...new Set(outcomes.flatMap(setsOf))].sort((a, b) => (a === NO_DEVICE ? 1 : b === NO_DEVICE ? -1 : a.localeCompare(b)));
  const result: Record<string, FlagSetCounts> = {};
  for (const name of names) {
    const mine = outcomes.filter((o) => setsOf(o).includes(name));
    const areas: Record<string, RunCounts> = {};
    for (const area of [...new Set(mine.map((o) => o.area))].sort()) areas[area] = withRan(count(mine.filter((o) => o.area === area)));
    result[name] = { ...withRan(count(mine)), areas };
  }
  return result;
}

export function summarize(unordered: readonly ScenarioOutcome[], info: SummaryImplementation | null): Summary {
  const outcomes = [...unordered].sort(byLocation);
  const totals = { ...count(outcomes), scenarios: outcomes.length };
  const areas: Summary['areas'] = {};
  for (const name of [...new Set(outcomes.map((o) => o.area))].sort()) {
    const mine = outcomes.filter((o) => o.area === name);
    const uapi = count(mine.filter((o) => o.level === 'uapi'));
    const area: Summary['areas'][string] = {
      title: AREAS[name] ?? name, totals: count(mine), uapi: { ...uapi, verdict: verdictOf(uapi) },
      profiles: {}, roles: {}, clauses: {}, skipped_reasons: {},
    };
    for (const driver of [...new Set(mine.flatMap((o) => (o.profile ? [o.profile] : [])))].sort()) {
      const c = count(mine.filter((o) => o.profile === driver));
      area.profiles[driver] = { ...c, verdict: verdictOf(c) };
    }
    for (const o of mine) {
      for (const role of rolesOf(o.tags)) (area.roles[role] ??= zero())[o.status]++;
      for (const clause of o.clauses) (area.clauses[clause] ??= { ...zero(), text: clauseStatement(clause) })[o.status]++;
      if ((o.status === 'skipped' || o.status === 'untestable') && o.message) area.skipped_reasons[o.message] = (area.skipped_reasons[o.message] ?? 0) + 1;
    }
    area.clauses = Object.fromEntries(Object.entries(area.clauses).sort(([a], [b]) => a.localeCompare(b)));
    areas[name] = area;
  }
  const problems = outcomes
    .filter((o) => o.status === 'failed' || o.status === 'broken')
    .map((o) => ({ status: o.status, scenario: o.name, location: scenarioKey(o), level: o.level, ...(o.profile ? { profile: o.profile } : {}), message: o.message }));
  const implementation = info ? { name: info.name, version: info.version, platform: info.platform, roles: info.roles } : null;
  return { implementation, totals, areas, flag_sets: flagSetCounts(outcomes), problems, clients: clientAnswers(outcomes), scenarios: outcomes };
}

function row(cells: (string | number)[]): string {
  return `| ${cells.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`;
}

const HEAD = ['passed', 'failed', 'broken', 'skipped', 'untestable'];
const cells = (c: Counts) => [c.passed, c.failed, c.broken, c.skipped, c.untestable];

const RUN_HEAD = ['ran', 'passed', 'failed', 'broken', 'skipped', 'untestable'];

// The table of scenarios per flag set and area (summary.md and the certificate).
export function flagSetTable(sets: Record<string, FlagSetCounts>): string[] {
  if (!Object.keys(sets).length) return [];
  const lines = [row(['flag set', 'area', ...RUN_HEAD]), row(['---', '---', ...RUN_HEAD.map(() => '---')])];
  const runCells = (c: RunCounts) => [c.ran, ...cells(c)];
  for (const [name, set] of Object.entries(sets)) {
    for (const [area, c] of Object.entries(set.areas)) lines.push(row([name, area, ...runCells(c)]));
    if (Object.keys(set.areas).length > 1) lines.push(row([name, 'all', ...runCells(set)]));
  }
  return lines;
}

export const FLAG_SET_NOTE = 'Scenarios per flag set of the migration devices they opened (the flags each device answers to GET of VFIO_DEVICE_FEATURE_MIGRATION). "ran" counts those that reached a verdict (passed, failed or broke); a scenario that opened devices of two flag sets counts under each.';

export function renderMarkdown(s: Summary): string {
  const lines: string[] = ['# vfio-tck conformance summary', ''];
  if (s.implementation) {
    const p = s.implementation.platform;
    lines.push(`Implementation: **${s.implementation.name} ${s.implementation.version}** on ${p.arch} (${p.byte_order}-endian), kernel ${p.kernel}; roles: ${s.implementation.roles.join(', ')}.`, '');
  }
  if (s.interrupted) lines.push(`**Interrupted** by ${s.interrupted}: only the ${s.totals.scenarios} scenarios that finished are counted; this is no verdict on the implementation.`, '');
  const t = s.totals;
  lines.push(`${t.scenarios} scenarios: ${t.passed} passed, ${t.failed} failed, ${t.broken} broken, ${t.skipped} skipped (not applicable), ${t.untestable} untestable.`, '');
  const table = flagSetTable(s.flag_sets ?? {});
  if (table.length) lines.push('## Per flag set and area', '', FLAG_SET_NOTE, '', ...table, '');
  for (const [name, area] of Object.entries(s.areas)) {
    lines.push(`## ${area.title} (${name})`, '');
    lines.push(`uAPI verdict: **${area.uapi.verdict}** (from the ${cells(area.uapi).reduce((a, b) => a + b, 0)} uAPI scenarios; driver profiles are listed apart and do not decide it).`, '');
    lines.push(row(['scenarios', ...HEAD]), row(['---', ...HEAD.map(() => '---')]));
    lines.push(row(['uAPI rules', ...cells(area.uapi)]));
    for (const [driver, c] of Object.entries(area.profiles)) lines.push(row([`profile ${driver} (${c.verdict})`, ...cells(c)]));
    lines.push(row(['all', ...cells(area.totals)]), '');
    if (Object.keys(area.roles).length > 1) {
      lines.push(row(['role', ...HEAD]), row(['---', ...HEAD.map(() => '---')]));
      for (const [role, c] of Object.entries(area.roles)) lines.push(row([role, ...cells(c)]));
      lines.push('');
    }
    lines.push(row(['clause', ...HEAD, 'what it says']), row(['---', ...HEAD.map(() => '---'), '---']));
    for (const [id, c] of Object.entries(area.clauses)) lines.push(row([id, ...cells(c), c.text]));
    if (Object.keys(area.skipped_reasons).length) {
      lines.push('', 'Skipped or untestable, with the reason:', '');
      for (const [reason, n] of Object.entries(area.skipped_reasons)) lines.push(`- ${n} × ${reason}`);
    }
    lines.push('');
  }
  if (Object.keys(s.clients ?? {}).length) {
    lines.push('## VMM clients', '', 'Client profiles replay what a VMM relies on when it migrates a device; they do not decide the uAPI verdict.', '');
    for (const a of Object.values(s.clients)) lines.push(`- ${clientAnswerLine(a)}`);
    lines.push('');
  }
  if (s.adapter_faults?.length) {
    lines.push('## Adapter faults outside any scenario', '', 'The adapter misbehaved where no scenario could take the fault, so the run is broken (exit code 3), not conformant:', '');
    for (const f of s.adapter_faults) lines.push(`- ${f}`);
    lines.push('');
  }
  if (s.problems.length) {
    lines.push('## Failed and broken scenarios', '');
    for (const p of s.problems) lines.push(`- **${p.status}**${p.profile ? ` (profile ${p.profile})` : ''} ${p.scenario} (${p.location}): ${p.message ?? ''}`);
    lines.push('');
  }
  lines.push('## Every scenario', '', row(['scenario', 'status', 'level', 'message']), row(['---', '---', '---', '---']));
  for (const o of s.scenarios) lines.push(row([`${scenarioKey(o)} ${o.name}`, o.status, o.profile ? `profile ${o.profile}` : o.client ? `client ${o.client}` : 'uAPI', (o.message ?? '').split('\n')[0]]));
  return `${lines.join('\n')}\n`;
}

export function writeSummary(dir: string, summary: Summary): void {
  writeFileSync(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(join(dir, 'summary.md'), renderMarkdown(summary));
}
