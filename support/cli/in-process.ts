// Runs the suite through Cucumber's API in this process and collects one
// outcome per scenario. The conformance run and the mutant runner share it.
import { loadConfiguration, loadSupport, runCucumber } from '@cucumber/cucumber/api';
import type { ISupportCodeLibrary } from '@cucumber/cucumber/api';
import { Writable } from 'node:stream';
import type { Envelope } from '@cucumber/messages';
import type { AdapterStats } from '../adapter/transport';
import { OutcomeCollector, scenarioKey, ScenarioOutcome } from '../report/outcomes';
import { finishedAdapterStats } from '../world/run';
import { chooseTarget, type TargetChoice } from '../target';

export interface RunRequest {
  paths: string[];
  tags?: string;
  shard?: string; // `<index>/<total>`: run only that deterministic slice (cucumber's own sharding)
  formats: (string | [string, string])[];
  formatOptions?: Record<string, unknown>; // may hold objects (an Allure writer): given to the formatters as they are
  support?: ISupportCodeLibrary; // reuse loaded step definitions across runs
  target?: TargetChoice; // the implementation to run against, instead of what the environment names
  collector?: OutcomeCollector; // where the outcomes go as scenarios finish (read on an interrupt)
  onMessage?: (envelope: Envelope) => void; // another reader of the message stream (the progress line)
}

// The project's cucumber.js profile, with the run's own paths, tags and formats.
export async function configure(request: RunRequest) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const profile = require('../../cucumber.js').default as Record<string, unknown>;
  const { runConfiguration } = await loadConfiguration({
    file: false,
    provided: {
      ...profile,
      paths: request.paths,
      ...(request.tags ? { tags: request.tags } : {}),
      ...(request.shard ? { shard: request.shard } : {}),
      format: request.formats,
    },
  });
  // Set after loading, so that the configuration's merging and checks leave objects alone.
  Object.assign(runConfiguration.formats.options, request.formatOptions);
  return runConfiguration;
}

export async function runInProcess(request: RunRequest): Promise<{ outcomes: ScenarioOutcome[]; support: ISupportCodeLibrary; adapter?: AdapterStats }> {
  const runConfiguration = await configure(request);
  const support = request.support ?? (await loadSupport(runConfiguration));
  const collector = request.collector ?? new OutcomeCollector();
  // Cucumber adds its progress formatter when no format writes to stdout (one
  // named without a file does): such a run sends stdout nowhere, and shows
  // progress, if at all, through onMessage (support/report/progress.ts).
  const toStdout = request.formats.some((f) => typeof f === 'string');
  const stdout = toStdout ? process.stdout : new Writable({ write: (_chunk, _encoding, done) => done() });
  chooseTarget(request.target);
  finishedAdapterStats({ forget: true });
  try {
    const also = request.onMessage;
    await runCucumber({ ...runConfiguration, support }, { stdout }, also ? (e) => { collector.onMessage(e); also(e); } : collector.onMessage);
  } finally {
    chooseTarget(undefined);
  }
  const adapter = finishedAdapterStats({ forget: true });
  if (adapter) blameLate(collector.outcomes, adapter.late_blames);
  return { outcomes: collector.outcomes, support, ...(adapter ? { adapter } : {}) };
}

// An adapter that answered a scenario's request again, or ahead, after the
// scenario had ended: no verdict of that scenario holds.
function blameLate(outcomes: ScenarioOutcome[], blames: AdapterStats['late_blames']): void {
  for (const blame of blames) {
    const o = outcomes.find((x) => scenarioKey(x) === blame.scenario);
    if (!o || o.status === 'broken') continue;
    o.message = `${blame.message}\n(the scenario had ended ${o.status}; the answer it was given cannot be trusted)`;
    o.status = 'broken';
  }
}
