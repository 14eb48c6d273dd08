// Run and scenario lifecycle, and policy that decides applicability from tags.
// Skips are decided here or by support code throwing NotApplicable, always
// with a reason attached.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { After, AfterAll, Before, BeforeAll, ITestCaseHookParameter, setDefaultTimeout, Status } from '@cucumber/cucumber';
import 'allure-cucumberjs';
import * as allure from 'allure-js-commons';
import { implementationFromEnvironment } from '../target';
import { areaOf, AREAS, clauseIds, kernelMismatch, rolesOf } from './clauses';
import type { Role } from '../contract/protocol';
import { ENV, stepBackstopMs } from '../adapter/settings';
import { currentRun, endRun, finishedAdapterStats, lateFault, scenarioBeginsAt, scenarioStderr, setTranscriptSink, startRun } from './run';
import { DRY_RUN_ENV, SKIP_REASON_FILE, WOULD_RUN } from './skip';
import { profileMismatch } from './profiles';
import type { TckWorld } from './world';
import { clauseStatement } from '../clauses';
import { clientOf, profileOf } from '../clauses/scenarios';
import { FLAG_SETS_FILE, SCENARIO_LABEL } from '../report/outcomes';
import { flagSetLabel } from '../uapi/vfio';

export const REPORTS_DIR = process.env.TCK_REPORTS_DIR || 'reports';

// Each call to an adapter has its own timeout (support/adapter/settings.ts);
// Cucumber's step timeout only backs those up, so it is longer than they are.
setDefaultTimeout(stepBackstopMs());

BeforeAll(async function (this: { parameters: { adapter?: string } }) {
  // The adapter profile passes the command line; it is empty when TCK_ADAPTER was not set.
  const { adapter } = this.parameters;
  if (adapter === '') throw new Error(`the adapter profile needs the adapter's command line in ${ENV.command}`);
  const run = await startRun(implementationFromEnvironment(adapter ? { ...process.env, [ENV.command]: adapter } : process.env));
  mkdirSync(REPORTS_DIR, { recursive: true });
  if (run.startFailure) rmSync(`${REPORTS_DIR}/implementation.json`, { force: true });
  else writeFileSync(`${REPORTS_DIR}/implementation.json`, JSON.stringify(run.info, null, 2));
});

AfterAll(async function () {
  await endRun();
  const stats = finishedAdapterStats();
  if (stats) writeFileSync(`${REPORTS_DIR}/adapter.json`, `${JSON.stringify(stats, null, 2)}\n`);
});

// The free text under a scenario's title, where an @untestable scenario says why.
function scenarioDescription(document: ITestCaseHookParameter['gherkinDocument'], astNodeId: string): string {
  const children = document.feature?.children ?? [];
  const scenarios = children.flatMap((c) => (c.rule ? c.rule.children.map((r) => r.scenario) : [c.scenario]));
  const scenario = scenarios.find((s) => s?.id === astNodeId);
  return (scenario?.description ?? '').trim().replace(/\s+/g, ' ');
}

// The line a scenario's outcome is reported at: its examples row, else its title.
function scenarioLine(document: ITestCaseHookParameter['gherkinDocument'], astNodeIds: readonly string[]): number {
  const children = document.feature?.children ?? [];
  const scenarios = children.flatMap((c) => (c.rule ? c.rule.children.map((r) => r.scenario) : [c.scenario]));
  const last = astNodeIds[astNodeIds.length - 1];
  for (const s of scenarios) {
    if (!s) continue;
    if (s.id === last) return s.location.line;
    for (const ex of s.examples) for (const r of ex.tableBody) if (r.id === last) return r.location.line;
  }
  return 0;
}

export async function skipWith(world: TckWorld, reason: string): Promise<'skipped'> {
  await world.attach(`Not applicable: ${reason}`, { mediaType: 'text/plain', fileName: SKIP_REASON_FILE });
  return 'skipped';
}

// Requests that hang a kernel without the June 2026 fix are sent only when the
// implementation says it has the fix or the run explicitly allows them.
function hangingRequestAllowed(world: TckWorld): boolean {
  return world.info.options.fsm_error_loop_fixed === true || process.env.TCK_ALLOW_HANGING_REQUESTS === '1';
}

// Designs that never reached mainline run only when the implementation
// declares them (options.proposals, comma-separated): @proposal:<name> marks a
// scenario of the proposal, @not-proposal:<name> a mainline scenario the
// proposal would change.
function proposalMismatch(tags: readonly string[], info: TckWorld['info']): string | undefined {
  const declared = String(info.options.proposals ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  for (const tag of tags) {
    const [, kind, name] = /^@(proposal|not-proposal):(.+)$/.exec(tag) ?? [];
    if (kind === 'proposal' && !declared.includes(name)) {
      return `this scenario checks the ${name} proposal, which never reached mainline; the implementation does not declare it (options.proposals)`;
    }
    if (kind === 'not-proposal' && declared.includes(name)) {
      return `this mainline scenario does not hold under the ${name} proposal, which the implementation declares`;
    }
  }
  return undefined;
}

Before({ name: 'scenario set-up' }, async function (this: TckWorld, { pickle, gherkinDocument }: ITestCaseHookParameter) {
  setTranscriptSink(this.transcript);
  const tags = pickle.tags.map((t) => t.name);
  const area = areaOf(pickle.uri);
  // One runtime message for all labels: each message is an attachment the reporter parses.
  // Suites keep uAPI rules apart from each driver's profile.
  const driver = profileOf(tags);
  const client = clientOf(tags);
  const scenarioAt = `${pickle.uri}:${scenarioLine(gherkinDocument, pickle.astNodeIds)}`;
  await allure.labels(
    { name: 'epic', value: AREAS[area] ?? area },
    ...clauseIds(tags).map((clause) => ({ name: 'story', value: `${clause}: ${clauseStatement(clause)}` })),
    { name: 'implementation', value: `${this.info.name} ${this.info.version}` },
    { name: 'parentSuite', value: driver ? `Driver profile: ${driver}` : client ? `Client profile: ${client}` : 'uAPI rules' },
    { name: 'suite', value: AREAS[area] ?? area },
    { name: SCENARIO_LABEL, value: scenarioAt },
  );
  const { startFailure } = currentRun();
  if (startFailure) throw startFailure;

  if (tags.includes('@untestable')) {
    const why = scenarioDescription(gherkinDocument, pickle.astNodeIds[0]) || 'see the scenario text';
    return skipWith(this, `the clause cannot be observed through the contract: ${why}`);
  }
  const missingRole = rolesOf(tags).find((role) => !this.info.roles.includes(role as Role));
  if (missingRole) return skipWith(this, `the implementation does not offer the ${missingRole} role (it declares: ${this.info.roles.join(', ') || 'none'})`);
  const mismatch = kernelMismatch(tags, this.info.platform.kernel);
  if (mismatch) return skipWith(this, mismatch);
  // @arch:<machine>: a limit that depends on the host (PAGE_SIZE), known only per architecture.
  const arches = tags.filter((t) => t.startsWith('@arch:')).map((t) => t.slice('@arch:'.length));
  if (arches.length > 0 && !arches.includes(this.info.platform.arch)) {
    return skipWith(this, `the scenario holds on ${arches.join(', ')} only (its limit depends on the page size); the implementation runs on ${this.info.platform.arch}`);
  }
  const proposal = proposalMismatch(tags, this.info);
  if (proposal) return skipWith(this, proposal);
  const profile = profileMismatch(tags, this.info);
  if (profile) return skipWith(this, profile);
  if (tags.includes('@hangs-unfixed-kernels') && !hangingRequestAllowed(this)) {
    return skipWith(this, 'this request makes kernels without the 2026 state-machine fix spin forever; the implementation does not declare fsm_error_loop_fixed, so it is not sent (set TCK_ALLOW_HANGING_REQUESTS=1 to send it anyway)');
  }
  if (process.env[DRY_RUN_ENV] === '1') return skipWith(this, WOULD_RUN);
  scenarioBeginsAt(scenarioAt);
  await this.client.must('begin_scenario', { name: pickle.name });
  return undefined;
});

After({ name: 'scenario transcript' }, async function (this: TckWorld, { result }: ITestCaseHookParameter) {
  setTranscriptSink(undefined);
  const opened = [...this.vfio.flagSetsOpened].sort((a, b) => a - b).map(flagSetLabel);
  if (opened.length > 0) await this.attach(JSON.stringify(opened), { mediaType: 'application/json', fileName: FLAG_SETS_FILE });
  const late = await lateFault();
  const failed = late !== undefined || (result !== undefined && result.status !== Status.PASSED && result.status !== Status.SKIPPED);
  if (failed && this.transcript.length > 0) {
    await this.attach(this.transcript.join('\n'), { mediaType: 'text/plain', fileName: 'calls.jsonl' });
  }
  const stderr = failed ? scenarioStderr() : [];
  if (stderr.length > 0) await this.attach(`${stderr.join('\n')}\n`, { mediaType: 'text/plain', fileName: 'adapter-stderr.txt' });
  if (late) throw late;
});
