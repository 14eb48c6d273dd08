// Writes every report of a run from its outcomes: summary.json/md, the CI
// outputs and the certificate, and the Allure environment, categories and
// statuses. The conformance run and merge-reports share it, so that merged
// shards give the reports the whole run would have.
import { join } from 'node:path';
import type { ImplementationInfo } from '../contract/protocol';
import { rewriteResults, writeCategories, writeEnvironment } from './allure';
import { allureDir, type AllureMemoryWriter } from './allure-writer';
import { writeCiOutputs } from './ci-outputs';
import type { ScenarioOutcome } from './outcomes';
import { summarize, writeSummary, type Summary } from './summary';

export function writeReports(reports: string, outcomes: readonly ScenarioOutcome[], info: ImplementationInfo | null, options: { rewriteAllure: boolean; interrupted?: string; adapterFaults?: string[]; allure?: AllureMemoryWriter }): { summary: Summary; missingAllure: string[] } {
  const summary = summarize(outcomes, info);
  if (options.interrupted) summary.interrupted = options.interrupted;
  if (options.adapterFaults?.length) summary.adapter_faults = options.adapterFaults;
  writeSummary(reports, summary);
  writeCiOutputs(reports, summary);
  const results = join(reports, 'allure-results');
  // A shard's Allure results were rewritten when the shard ran; once is enough.
  // A run's results are still in its writer (options.allure): rewritten there, then written once.
  const missingAllure = options.rewriteAllure ? rewriteResults(options.allure ?? allureDir(results), summary.scenarios) : [];
  options.allure?.flush();
  writeEnvironment(results, info);
  writeCategories(results, summary.scenarios);
  return { summary, missingAllure };
}
