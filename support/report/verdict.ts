// Counting outcomes and turning counts into verdicts, in one place, so that
// the summary, the certificate, the badge and the exit code agree.
import type { ScenarioOutcome, Status } from './outcomes';

export type Counts = Record<Status, number>;

export const zero = (): Counts => ({ passed: 0, failed: 0, broken: 0, skipped: 0, untestable: 0 });

export function count(outcomes: readonly ScenarioOutcome[]): Counts {
  const c = zero();
  for (const o of outcomes) c[o.status]++;
  return c;
}

// What a set of scenarios lets us say. A definite failure outranks a scenario
// that broke; "conforms" needs at least one pass and nothing failed or broken.
export type Verdict = 'conforms' | 'fails' | 'no verdict' | 'not applicable';

export function verdictOf(c: Counts): Verdict {
  if (c.failed > 0) return 'fails';
  if (c.broken > 0) return 'no verdict';
  return c.passed > 0 ? 'conforms' : 'not applicable';
}

// The one closing count line of a run.
export function countLine(c: Counts): string {
  const total = c.passed + c.failed + c.broken + c.skipped + c.untestable;
  return `${total} scenarios: ${c.passed} passed, ${c.failed} failed, ${c.broken} broken, ${c.skipped} skipped (not applicable), ${c.untestable} untestable`;
}

// Exit codes (README, --help): 0 conformant, 1 a scenario failed, 3 broken,
// 4 nothing applicable. A failed profile scenario fails the run too: the
// driver does not do what its profile records, even though the uAPI verdict
// (certificate) stays apart from it.
export const EXIT = { conformant: 0, failed: 1, usage: 2, broken: 3, nothingApplicable: 4 } as const;

// adapterFaults: what the adapter did wrong outside every scenario (summary
// adapter_faults); it leaves no verdict to give, so the run is broken, never
// conformant.
export function exitCodeOf(c: Counts, adapterFaults = 0): number {
  if (c.failed > 0) return EXIT.failed;
  if (c.broken > 0 || adapterFaults > 0) return EXIT.broken;
  return c.passed > 0 ? EXIT.conformant : EXIT.nothingApplicable;
}
