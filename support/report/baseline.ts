// Baselines for CI gating: a YAML file per implementation listing the
// scenarios (or whole clauses) expected to fail or to be skipped, each with
// its reason and, where there is one, an issue link; optionally limited to
// kernel releases or architectures. A run against a baseline is judged on
// what changed: an unexpected failure, broken scenario or skip is a
// regression, an expected failure or skip that passed is an unexpected pass.
//
//   expectations:
//     - feature: features/vfio-migration/10-dma-logging.feature
//       scenario: "[13] A REPORT before any START fails"
//       expect: fail
//       reason: mtty answers REPORT before START with success
//       issue: https://example.org/tracker/123
//       kernel: ">=6.12 <6.13"      # optional: every bound must hold
//       arch: [x86_64]              # optional
//     - clause: C-MIG-084            # every scenario of a clause
//       expect: fail
//       reason: ...
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { atLeast } from '../kernel/releases';
import type { ScenarioOutcome } from './outcomes';
import type { Summary } from './summary';

const KernelBounds = z.string().regex(/^\s*(?:(?:>=|<)\d+\.\d+(?:\.\d+)?\s*)+$/, 'a space-separated list of bounds such as ">=6.1 <6.13"');

const Expectation = z.object({
  feature: z.string().min(1).optional().describe('the feature file, as summary.json names it'),
  scenario: z.string().min(1).optional().describe('the scenario title, as summary.json names it'),
  clause: z.string().regex(/^C-(MIG|MDEV|VLEG)-\d{3}$/).optional().describe('instead of a scenario: every scenario of this clause'),
  expect: z.enum(['fail', 'skip']),
  reason: z.string().min(1),
  issue: z.string().url().optional(),
  kernel: KernelBounds.optional(),
  arch: z.array(z.string().min(1)).min(1).optional(),
}).strict().refine((e) => (e.clause !== undefined) !== (e.feature !== undefined && e.scenario !== undefined) && !(e.clause && (e.feature || e.scenario)),
  { message: 'name either a clause, or a feature and a scenario' });
export type Expectation = z.infer<typeof Expectation>;

export const Baseline = z.object({
  implementation: z.string().optional().describe('who the baseline is for (informative)'),
  expectations: z.array(Expectation),
}).strict();
export type Baseline = z.infer<typeof Baseline>;

export function loadBaseline(file: string): Baseline {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`baseline ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    throw new Error(`baseline ${file}: not YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = Baseline.safeParse(data);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
    throw new Error(`baseline ${file}: ${where} (format: README, "Baselines")`);
  }
  return parsed.data;
}

interface Platform { kernel: string; arch: string }

function applies(e: Expectation, o: ScenarioOutcome, platform: Platform | null): boolean {
  const matches = e.clause ? o.clauses.includes(e.clause) : e.feature === o.uri && e.scenario === o.name;
  if (!matches) return false;
  if (e.arch && (!platform || !e.arch.includes(platform.arch))) return false;
  if (e.kernel) {
    if (!platform) return false;
    for (const bound of e.kernel.trim().split(/\s+/)) {
      const upper = bound.startsWith('<');
      const release = bound.replace(/^(>=|<)/, '');
      if (atLeast(platform.kernel, release) === upper) return false;
    }
  }
  return true;
}

export interface BaselineJudgement {
  regressions: { scenario: ScenarioOutcome; why: string }[];
  unexpectedPasses: { scenario: ScenarioOutcome; expectation: Expectation }[];
  expected: number; // failures and skips the baseline foresaw
}

const show = (o: ScenarioOutcome) => `${o.uri}:${o.line} ${o.name}`;

export function judge(summary: Summary, baseline: Baseline): BaselineJudgement {
  const platform = summary.implementation ? { kernel: summary.implementation.platform.kernel, arch: summary.implementation.platform.arch } : null;
  const out: BaselineJudgement = { regressions: [], unexpectedPasses: [], expected: 0 };
  for (const o of summary.scenarios) {
    const mine = baseline.expectations.filter((e) => applies(e, o, platform));
    const expects = (kind: Expectation['expect']) => mine.some((e) => e.expect === kind);
    const first = (o.message ?? '').split('\n')[0];
    switch (o.status) {
      case 'passed':
        if (mine.length) out.unexpectedPasses.push({ scenario: o, expectation: mine[0] });
        break;
      case 'failed':
        if (expects('fail')) out.expected++;
        else out.regressions.push({ scenario: o, why: `failed: ${first}` });
        break;
      case 'broken': // a broken scenario reached no verdict: never foreseen
        out.regressions.push({ scenario: o, why: `broken: ${first}` });
        break;
      case 'skipped':
        if (expects('skip')) out.expected++;
        else out.regressions.push({ scenario: o, why: `skipped: ${first}` });
        break;
      case 'untestable': // the feature file says so; no baseline is needed for it
        break;
    }
  }
  return out;
}

export function printJudgement(j: BaselineJudgement, file: string): void {
  console.log(`baseline ${file}: ${j.expected} expected failure(s) or skip(s), ${j.regressions.length} regression(s), ${j.unexpectedPasses.length} unexpected pass(es)`);
  for (const r of j.regressions) console.log(`  REGRESSION ${show(r.scenario)}: ${r.why}`);
  for (const p of j.unexpectedPasses) console.log(`  UNEXPECTED PASS ${show(p.scenario)} (expected to ${p.expectation.expect}: ${p.expectation.reason}); update the baseline`);
}

// Every failure and skip of a run, as expectations (broken scenarios are not
// written: no verdict is nothing to expect).
export function baselineFrom(summary: Summary): { baseline: Baseline; broken: number } {
  const expectations: Expectation[] = [];
  for (const o of summary.scenarios) {
    if (o.status !== 'failed' && o.status !== 'skipped') continue;
    const reason = (o.message ?? '').split('\n')[0] || (o.status === 'failed' ? 'failed' : 'not applicable');
    expectations.push({ feature: o.uri, scenario: o.name, expect: o.status === 'failed' ? 'fail' : 'skip', reason });
  }
  const implementation = summary.implementation ? `${summary.implementation.name} ${summary.implementation.version}` : undefined;
  return { baseline: { ...(implementation ? { implementation } : {}), expectations }, broken: summary.scenarios.filter((o) => o.status === 'broken').length };
}

export function writeBaseline(file: string, summary: Summary): string {
  const { baseline, broken } = baselineFrom(summary);
  const head = '# vfio-tck baseline: the failures and skips expected of this implementation.\n# Give each failure its reason and an issue link (issue: https://...); format: README, "Baselines".\n';
  writeFileSync(file, head + stringify(baseline, { lineWidth: 0 }));
  return `wrote ${file}: ${baseline.expectations.length} expectation(s)${broken ? `; ${broken} broken scenario(s) left out (no verdict to expect)` : ''}`;
}
