// reports/summary.json and summary.md: counts per area and per clause, the
// reasons for every skip, and every failed or broken scenario.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clauseStatement } from '../clauses';
import type { ImplementationInfo } from '../contract/protocol';
import { AREAS, rolesOf } from '../world/clauses';
import type { ScenarioOutcome, Status } from './outcomes';

type Counts = Record<Status, number>;
const zero = (): Counts => ({ passed: 0, failed: 0, broken: 0, skipped: 0 });

export interface Summary {
  implementation: Pick<ImplementationInfo, 'name' | 'version' | 'platform' | 'roles'> | null;
  totals: Counts & { scenarios: number };
  areas: Record<string, {
    title: string;
    totals: Counts;
    roles: Record<string, Counts>; // by the @role: tags of the feature files
    clauses: Record<string, Counts & { text: string }>;
    skipped_reasons: Record<string, number>;
  }>;
  problems: { status: Status; scenario: string; location: string; message?: string }[];
}

export function summarize(outcomes: ScenarioOutcome[], info: ImplementationInfo | null): Summary {
  const totals = { ...zero(), scenarios: outcomes.length };
  const areas: Summary['areas'] = {};
  for (const o of outcomes) {
    totals[o.status]++;
    const area = (areas[o.area] ??= { title: AREAS[o.area] ?? o.area, totals: zero(), roles: {}, clauses: {}, skipped_reasons: {} });
    area.totals[o.status]++;
    for (const role of rolesOf(o.tags)) (area.roles[role] ??= zero())[o.status]++;
    for (const clause of o.clauses) {
      const c = (area.clauses[clause] ??= { ...zero(), text: clauseStatement(clause) });
      c[o.status]++;
    }
    if (o.status === 'skipped' && o.message) area.skipped_reasons[o.message] = (area.skipped_reasons[o.message] ?? 0) + 1;
  }
  for (const area of Object.values(areas)) {
    area.clauses = Object.fromEntries(Object.entries(area.clauses).sort(([a], [b]) => a.localeCompare(b)));
  }
  const problems = outcomes
    .filter((o) => o.status === 'failed' || o.status === 'broken')
    .map((o) => ({ status: o.status, scenario: o.name, location: `${o.uri}:${o.line}`, message: o.message }));
  const implementation = info ? { name: info.name, version: info.version, platform: info.platform, roles: info.roles } : null;
  return { implementation, totals, areas, problems };
}

function row(cells: (string | number)[]): string {
  return `| ${cells.join(' | ')} |`;
}

export function renderMarkdown(s: Summary): string {
  const lines: string[] = ['# vfio-tck conformance summary', ''];
  if (s.implementation) {
    const p = s.implementation.platform;
    lines.push(`Implementation: **${s.implementation.name} ${s.implementation.version}** on ${p.arch} (${p.byte_order}-endian), kernel ${p.kernel}; roles: ${s.implementation.roles.join(', ')}.`, '');
  }
  const t = s.totals;
  lines.push(`${t.scenarios} scenarios: ${t.passed} passed, ${t.failed} failed, ${t.broken} broken, ${t.skipped} skipped (not applicable).`, '');
  for (const [name, area] of Object.entries(s.areas)) {
    lines.push(`## ${area.title} (${name})`, '', row(['passed', 'failed', 'broken', 'skipped']), row(['---', '---', '---', '---']));
    lines.push(row([area.totals.passed, area.totals.failed, area.totals.broken, area.totals.skipped]), '');
    if (Object.keys(area.roles).length > 1) {
      lines.push(row(['role', 'passed', 'failed', 'broken', 'skipped']), row(['---', '---', '---', '---', '---']));
      for (const [role, c] of Object.entries(area.roles)) lines.push(row([role, c.passed, c.failed, c.broken, c.skipped]));
      lines.push('');
    }
    lines.push(row(['clause', 'passed', 'failed', 'broken', 'skipped', 'what it says']), row(['---', '---', '---', '---', '---', '---']));
    for (const [id, c] of Object.entries(area.clauses)) lines.push(row([id, c.passed, c.failed, c.broken, c.skipped, c.text]));
    if (Object.keys(area.skipped_reasons).length) {
      lines.push('', 'Skipped, with the reason:', '');
      for (const [reason, n] of Object.entries(area.skipped_reasons)) lines.push(`- ${n} × ${reason}`);
    }
    lines.push('');
  }
  if (s.problems.length) {
    lines.push('## Failed and broken scenarios', '');
    for (const p of s.problems) lines.push(`- **${p.status}** ${p.scenario} (${p.location}): ${p.message ?? ''}`);
  }
  return `${lines.join('\n')}\n`;
}

export function writeSummary(dir: string, summary: Summary): void {
  writeFileSync(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(join(dir, 'summary.md'), renderMarkdown(summary));
}
