// Turns Cucumber's message stream into one outcome per scenario. Four outcomes
// are kept apart: passed; failed (the implementation broke a clause: an
// assertion); broken (the run could not judge: a crash, a malformed answer,
// an undefined or ambiguous step); skipped (not applicable, with its reason);
// untestable (an @untestable scenario: the clause cannot be observed through
// the contract, so it is never a pass and never an ordinary skip either).
import type { Envelope, TestStepResult } from '@cucumber/messages';
import { SKIP_REASON_FILE } from '../world/skip';
import { areaOf, clauseIds } from '../world/clauses';
import { clientOf, profileOf } from '../clauses/scenarios';

export type Status = 'passed' | 'failed' | 'broken' | 'skipped' | 'untestable';
export const STATUSES: readonly Status[] = ['passed', 'failed', 'broken', 'skipped', 'untestable'];

// A scenario tagged @profile:<driver> checks that driver's own choices; every
// scenario tagged @client:<vmm> replays what one VMM relies on; every
// other scenario checks a uAPI rule required of every implementation.
export type Level = 'uapi' | 'profile' | 'client';

export interface ScenarioOutcome {
  name: string;
  uri: string;
  line: number;
  area: string;
  clauses: string[];
  tags: string[];
  level: Level;
  profile?: string; // the driver a profile scenario checks
  client?: string; // the VMM a client scenario replays
  status: Status;
  message?: string; // the skip reason, or what failed or broke
  flag_sets?: string[]; // the flag sets of the migration devices it opened (flagSetLabel), when it opened any
}

// The attachment in which the After hook names the flag sets of the migration
// devices a scenario opened (a JSON array of flagSetLabel() strings).
export const FLAG_SETS_FILE = 'flag-sets.json';

// The Allure label that ties a result to its scenario's outcome (file:line),
// set by the Before hook and read when the reports rewrite Allure's results.
export const SCENARIO_LABEL = 'vfio-tck.scenario';

// The key that names one scenario in every report: its file and line.
export function scenarioKey(o: Pick<ScenarioOutcome, 'uri' | 'line'>): string {
  return `${o.uri}:${o.line}`;
}

// The order of every report: by file, then line.
export function byLocation(a: ScenarioOutcome, b: ScenarioOutcome): number {
  return a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.line - b.line;
}

// Step statuses, best first: a scenario takes its worst step's.
type StepStatus = 'passed' | 'skipped' | 'failed' | 'broken';
const WORST: StepStatus[] = ['passed', 'skipped', 'failed', 'broken'];

function stepStatus(result: TestStepResult): { status: StepStatus; message?: string } {
  switch (result.status) {
    case 'PASSED':
      return { status: 'passed' };
    case 'SKIPPED':
      return { status: 'skipped' };
    case 'FAILED': {
      // The suite's assertions (and node's) are AssertionErrors; anything else is the run breaking.
      const failed = /AssertionError$/.test(result.exception?.type ?? '');
      return { status: failed ? 'failed' : 'broken', message: result.exception?.message ?? result.message };
    }
    default:
      return { status: 'broken', message: `step ${result.status.toLowerCase()}${result.message ? `: ${result.message}` : ''}` };
  }
}

export class OutcomeCollector {
  private readonly pickles = new Map<string, { name: string; uri: string; line: number; tags: string[] }>();
  private readonly astLines = new Map<string, number>();
  private readonly testCases = new Map<string, string>(); // testCase id -> pickle id
  private readonly started = new Map<string, { pickleId: string; status: StepStatus; message?: string; reason?: string; flagSets?: string[] }>();
  readonly outcomes: ScenarioOutcome[] = [];

  onMessage = (envelope: Envelope): void => {
    if (envelope.gherkinDocument?.feature) {
      const walk = (children: { scenario?: { id: string; location: { line: number }; examples: { tableBody: { id: string; location: { line: number } }[] }[] }; rule?: { children: unknown[] } }[]) => {
        for (const child of children) {
          if (child.scenario) {
            this.astLines.set(child.scenario.id, child.scenario.location.line);
            for (const ex of child.scenario.examples) for (const row of ex.tableBody) this.astLines.set(row.id, row.location.line);
          }
          if (child.rule) walk(child.rule.children as never);
        }
      };
      walk(envelope.gherkinDocument.feature.children as never);
    }
    if (envelope.pickle) {
      const p = envelope.pickle;
      const line = this.astLines.get(p.astNodeIds[p.astNodeIds.length - 1]) ?? 0;
      this.pickles.set(p.id, { name: p.name, uri: p.uri, line, tags: p.tags.map((t) => t.name) });
    }
    if (envelope.testCase) this.testCases.set(envelope.testCase.id, envelope.testCase.pickleId);
    if (envelope.testCaseStarted) {
      const pickleId = this.testCases.get(envelope.testCaseStarted.testCaseId) ?? '';
      this.started.set(envelope.testCaseStarted.id, { pickleId, status: 'passed' });
    }
    if (envelope.attachment?.fileName === SKIP_REASON_FILE && envelope.attachment.testCaseStartedId) {
      const run = this.started.get(envelope.attachment.testCaseStartedId);
      if (run) run.reason = envelope.attachment.body.replace(/^Not applicable: /, '');
    }
    if (envelope.attachment?.fileName === FLAG_SETS_FILE && envelope.attachment.testCaseStartedId) {
      const run = this.started.get(envelope.attachment.testCaseStartedId);
      const sets: unknown = JSON.parse(envelope.attachment.body);
      if (run && Array.isArray(sets) && sets.length > 0) run.flagSets = [...new Set(sets.map(String))].sort();
    }
    if (envelope.testStepFinished) {
      const run = this.started.get(envelope.testStepFinished.testCaseStartedId);
      const step = stepStatus(envelope.testStepFinished.testStepResult);
      if (run && WORST.indexOf(step.status) > WORST.indexOf(run.status)) {
        run.status = step.status;
        run.message = step.message;
      }
    }
    if (envelope.testCaseFinished && !envelope.testCaseFinished.willBeRetried) {
      const run = this.started.get(envelope.testCaseFinished.testCaseStartedId);
      const pickle = run && this.pickles.get(run.pickleId);
      if (!run || !pickle) return;
      // A skip must say why; one that does not is a defect of the suite, not a pass.
      let status: Status = run.status === 'skipped' && !run.reason ? 'broken' : run.status;
      if (status === 'skipped' && pickle.tags.includes('@untestable')) status = 'untestable';
      const message = run.status === 'skipped' ? run.reason ?? 'skipped without a reason' : run.message;
      const profile = profileOf(pickle.tags);
      const client = clientOf(pickle.tags);
      this.outcomes.push({
        name: pickle.name, uri: pickle.uri, line: pickle.line, area: areaOf(pickle.uri),
        clauses: clauseIds(pickle.tags), tags: pickle.tags, level: profile ? 'profile' : client ? 'client' : 'uapi',
        ...(profile ? { profile } : {}), ...(client ? { client } : {}),
        status, ...(message ? { message } : {}), ...(run.flagSets ? { flag_sets: run.flagSets } : {}),
      });
    }
  };
}
