// What CI systems and certifiers consume, written from the same per-scenario
// outcomes as summary.json and the Allure results, so that every output gives
// each scenario the same status:
//   junit.xml        JUnit XML, one testsuite per feature file; skips and
//                    untestable scenarios as <skipped> with their reason,
//                    clause ids and level as properties
//   results.ktap     KTAP, one nested suite per feature, "# SKIP <reason>",
//                    the kselftest "# Totals:" line
//   certificate.md / certificate.json   who was tested on what, by which suite,
//                    a verdict per area, and per clause what happened
//   badge.svg / badge.json   the run's verdict as a badge (badge-maker) and as
//                    a shields.io endpoint
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeBadge } from 'badge-maker';
import { create } from 'xmlbuilder';
import { clauseStatement } from '../clauses';
import { scenarioKey, type ScenarioOutcome, type Status } from './outcomes';
import { clientAnswerLine, FLAG_SET_NOTE, flagSetTable, type Summary } from './summary';
import { verdictOf, type Verdict } from './verdict';

const ROOT = join(__dirname, '..', '..');

function byFeature(outcomes: readonly ScenarioOutcome[]): Map<string, ScenarioOutcome[]> {
  const files = new Map<string, ScenarioOutcome[]>();
  for (const o of outcomes) (files.get(o.uri) ?? files.set(o.uri, []).get(o.uri)!).push(o);
  return files;
}

// XML 1.0 cannot carry most control characters, even escaped.
const xmlText = (s: string) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

export function renderJunit(outcomes: readonly ScenarioOutcome[]): string {
  const tally = (list: readonly ScenarioOutcome[], ...statuses: Status[]) => list.filter((o) => statuses.includes(o.status)).length;
  const root = create('testsuites', { encoding: 'UTF-8' })
    .att({ name: 'vfio-tck', tests: outcomes.length, failures: tally(outcomes, 'failed'), errors: tally(outcomes, 'broken'), skipped: tally(outcomes, 'skipped', 'untestable') });
  for (const [uri, list] of byFeature(outcomes)) {
    const suite = root.ele('testsuite', { name: uri, tests: list.length, failures: tally(list, 'failed'), errors: tally(list, 'broken'), skipped: tally(list, 'skipped', 'untestable') });
    for (const o of list) {
      const testcase = suite.ele('testcase', { classname: uri, name: `${o.clauses.join(' ')} ${o.name}`.trim(), file: uri, line: o.line });
      const properties = testcase.ele('properties');
      properties.ele('property', { name: 'vfio-tck.status', value: o.status });
      properties.ele('property', { name: 'vfio-tck.level', value: o.profile ? `profile ${o.profile}` : o.client ? `client ${o.client}` : 'uAPI rule' });
      for (const clause of o.clauses) properties.ele('property', { name: 'vfio-tck.clause', value: clause });
      const message = xmlText(o.message ?? '');
      const firstLine = message.split('\n')[0];
      if (o.status === 'failed') testcase.ele('failure', { message: firstLine, type: 'ConformanceFailure' }, message);
      if (o.status === 'broken') testcase.ele('error', { message: firstLine, type: 'Broken' }, message);
      if (o.status === 'skipped') testcase.ele('skipped', { message: `Not applicable: ${firstLine}` });
      if (o.status === 'untestable') testcase.ele('skipped', { message: `Untestable: ${firstLine}` });
    }
  }
  return `${root.end({ pretty: true })}\n`;
}

// KTAP result lines: a failed or broken scenario is "not ok", a skipped or
// untestable one "ok ... # SKIP" (as kselftest reports a skip).
const ktapName = (s: string) => s.replace(/[#\n]/g, ' ').trim();
const ktapReason = (s?: string) => ktapName((s ?? '').split('\n')[0]);

function ktapLine(n: number, name: string, o: Pick<ScenarioOutcome, 'status' | 'message'>): string {
  switch (o.status) {
    case 'passed': return `ok ${n} ${name}`;
    case 'skipped': return `ok ${n} ${name} # SKIP not applicable: ${ktapReason(o.message)}`;
    case 'untestable': return `ok ${n} ${name} # SKIP untestable: ${ktapReason(o.message)}`;
    default: return `not ok ${n} ${name}`;
  }
}

export function renderKtap(outcomes: readonly ScenarioOutcome[]): string {
  const files = byFeature(outcomes);
  const lines = ['KTAP version 1', `1..${files.size}`];
  let i = 0;
  for (const [uri, list] of files) {
    lines.push(`    KTAP version 1`, `    # Subtest: ${uri}`, `    1..${list.length}`);
    list.forEach((o, j) => {
      if ((o.status === 'failed' || o.status === 'broken') && o.message) {
        for (const l of o.message.split('\n').slice(0, 5)) lines.push(`    # ${o.status}: ${l}`);
      }
      lines.push(`    ${ktapLine(j + 1, ktapName(`${scenarioKey(o)} ${o.name}`), o)}`);
    });
    const worst: ScenarioOutcome['status'] = list.some((o) => o.status === 'failed' || o.status === 'broken') ? 'failed'
      : list.some((o) => o.status === 'passed') ? 'passed' : 'skipped';
    lines.push(ktapLine(++i, ktapName(uri), { status: worst, message: 'nothing in this feature applied' }));
  }
  const c = (s: Status) => outcomes.filter((o) => o.status === s).length;
  lines.push(`# Totals: pass:${c('passed')} fail:${c('failed')} xfail:0 xpass:0 skip:${c('skipped') + c('untestable')} error:${c('broken')}`);
  return `${lines.join('\n')}\n`;
}

export interface Certificate {
  implementation: Summary['implementation'];
  suite: { name: string; version: string; commit: string | null };
  date: string;
  verdict: Verdict;
  interrupted?: string; // an interrupted run gives no verdict
  areas: Record<string, {
    title: string;
    verdict: Verdict; // from the uAPI rules only, as in summary.json
    tested: boolean; // some scenario of the area ran to a verdict (passed, failed or broke)
    profiles: Record<string, Verdict>;
    clauses: Record<string, { statement: string; passed: number; failed: number; broken: number; not_applicable: string[]; untestable: string[] }>;
  }>;
  clients: Summary['clients']; // per VMM client and version: can it migrate the declared devices
  flag_sets: Summary['flag_sets']; // per flag set of the opened devices and per area: ran, passed, failed, skipped
}

function suiteCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null; // not a git checkout (an unpacked release)
  }
}

export function certificateOf(summary: Summary, date = new Date()): Certificate {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  const areas: Certificate['areas'] = {};
  for (const [name, area] of Object.entries(summary.areas)) {
    const clauses: Certificate['areas'][string]['clauses'] = {};
    for (const o of summary.scenarios.filter((s) => s.area === name)) {
      for (const id of o.clauses) {
        const c = (clauses[id] ??= { statement: clauseStatement(id), passed: 0, failed: 0, broken: 0, not_applicable: [], untestable: [] });
        if (o.status === 'skipped') c.not_applicable.push(`${scenarioKey(o)}: ${o.message ?? ''}`);
        else if (o.status === 'untestable') c.untestable.push(`${scenarioKey(o)}: ${o.message ?? ''}`);
        else c[o.status]++;
      }
    }
    areas[name] = {
      title: area.title,
      verdict: area.uapi.verdict,
      tested: area.totals.passed + area.totals.failed + area.totals.broken > 0,
      profiles: Object.fromEntries(Object.entries(area.profiles).map(([d, c]) => [d, c.verdict])),
      clauses: Object.fromEntries(Object.entries(clauses).sort(([a], [b]) => a.localeCompare(b))),
    };
  }
  return {
    implementation: summary.implementation,
    suite: { name: pkg.name, version: pkg.version, commit: suiteCommit() },
    date: date.toISOString(),
    verdict: summary.interrupted ? 'no verdict' : adapterFaulted(verdictOf(summary.totals), summary),
    ...(summary.interrupted ? { interrupted: summary.interrupted } : {}),
    areas,
    clients: summary.clients ?? {},
    flag_sets: summary.flag_sets ?? {},
  };
}

export function renderCertificate(c: Certificate): string {
  const who = c.implementation
    ? `${c.implementation.name} ${c.implementation.version} on ${c.implementation.platform.arch} (${c.implementation.platform.byte_order}-endian), kernel ${c.implementation.platform.kernel}`
    : 'an implementation that did not describe itself';
  const lines = [
    '# vfio-tck conformance certificate', '',
    `- Implementation: ${who}`,
    `- Suite: ${c.suite.name} ${c.suite.version}${c.suite.commit ? ` (commit ${c.suite.commit})` : ''}`,
    `- Date: ${c.date}`,
    `- Verdict of the run: **${c.verdict}**${c.interrupted ? ` (interrupted by ${c.interrupted}: only what finished is listed)` : ''}`, '',
    'An area conforms when at least one of its uAPI scenarios passed and none failed or broke. Driver profiles (what one driver does where the uAPI leaves a choice) are listed apart and do not decide it. Not applicable and untestable clauses are listed with their reasons; neither counts as a pass.', '',
  ];
  if (Object.keys(c.clients ?? {}).length) {
    lines.push('## VMM clients', '', ...Object.values(c.clients).map((a) => `- ${clientAnswerLine(a)}`), '');
  }
  const table = flagSetTable(c.flag_sets ?? {});
  if (table.length) lines.push('## Per flag set and area', '', FLAG_SET_NOTE, '', ...table, '');
  for (const [name, area] of Object.entries(c.areas)) {
    // An area in which nothing ran says so: it adds nothing to the verdict of the run.
    lines.push(`## ${area.title} (${name}): ${area.tested ? area.verdict : 'not tested (no scenario of this area ran; every one was not applicable or untestable)'}`, '');
    for (const [driver, verdict] of Object.entries(area.profiles)) lines.push(`- driver profile ${driver}: ${verdict}`);
    if (Object.keys(area.profiles).length) lines.push('');
    lines.push('| clause | passed | failed | broken | not applicable | untestable | statement |', '| --- | --- | --- | --- | --- | --- | --- |');
    for (const [id, k] of Object.entries(area.clauses)) {
      lines.push(`| ${[id, k.passed, k.failed, k.broken, k.not_applicable.length, k.untestable.length, k.statement].map((x) => String(x).replace(/\|/g, '\\|')).join(' | ')} |`);
    }
    const reasons = new Map<string, number>();
    for (const k of Object.values(area.clauses)) for (const r of [...k.not_applicable, ...k.untestable]) {
      const reason = r.slice(r.indexOf(': ') + 2);
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
    if (reasons.size) {
      lines.push('', 'Not applicable or untestable, with the reason (per clause and scenario):', '');
      for (const [reason, n] of reasons) lines.push(`- ${n} × ${reason}`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

const BADGE_COLOR: Record<Verdict, string> = { conforms: 'brightgreen', fails: 'red', 'no verdict': 'orange', 'not applicable': 'lightgrey' };

export function writeCiOutputs(dir: string, summary: Summary): Certificate {
  writeFileSync(join(dir, 'junit.xml'), renderJunit(summary.scenarios));
  writeFileSync(join(dir, 'results.ktap'), renderKtap(summary.scenarios));
  const certificate = certificateOf(summary);
  writeFileSync(join(dir, 'certificate.json'), `${JSON.stringify(certificate, null, 2)}\n`);
  writeFileSync(join(dir, 'certificate.md'), renderCertificate(certificate));
  const t = summary.totals;
  const message = `${certificate.verdict}: ${t.passed} passed, ${t.failed} failed, ${t.broken} broken`;
  writeFileSync(join(dir, 'badge.svg'), makeBadge({ label: 'vfio-tck', message, color: BADGE_COLOR[certificate.verdict] }));
  writeFileSync(join(dir, 'badge.json'), `${JSON.stringify({ schemaVersion: 1, label: 'vfio-tck', message, color: BADGE_COLOR[certificate.verdict] })}\n`);
  return certificate;
}

// Faults of the adapter outside every scenario leave no verdict to give where
// the scenarios alone would have conformed (or had nothing to say).
function adapterFaulted(verdict: Verdict, summary: Summary): Verdict {
  return summary.adapter_faults?.length && (verdict === 'conforms' || verdict === 'not applicable') ? 'no verdict' : verdict;
}
