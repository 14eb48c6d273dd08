// Every scenario of features/ with its tags, read straight from the Gherkin
// files (no run): for the catalog lint and for listings.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateMessages } from '@cucumber/gherkin';
import { IdGenerator, SourceMediaType } from '@cucumber/messages';

export interface ScenarioEntry {
  uri: string;
  name: string;
  tags: string[]; // the pickle's tags: feature, rule, scenario and examples tags together
  steps: string[]; // step texts with the outline's values filled in, data tables included
}

function featureFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return featureFiles(path);
    return entry.name.endsWith('.feature') ? [path] : [];
  }).sort();
}

export function readScenarios(root = 'features'): ScenarioEntry[] {
  return featureFiles(root).flatMap((uri) => {
    const envelopes = generateMessages(readFileSync(uri, 'utf8'), uri, SourceMediaType.TEXT_X_CUCUMBER_GHERKIN_PLAIN, {
      includeSource: false, includeGherkinDocument: false, includePickles: true, newId: IdGenerator.incrementing(),
    });
    const errors = envelopes.filter((e) => e.parseError).map((e) => e.parseError?.message);
    if (errors.length > 0) throw new Error(`${uri} does not parse: ${errors.join('; ')}`);
    return envelopes.flatMap((e) => {
      if (!e.pickle) return [];
      const steps = e.pickle.steps.map((step) => {
        const rows = step.argument?.dataTable?.rows.map((row) => row.cells.map((c) => c.value).join(' | ')) ?? [];
        return [step.text, ...rows].join('\n');
      });
      return [{ uri, name: e.pickle.name, tags: e.pickle.tags.map((t) => t.name), steps }];
    });
  });
}

// The driver whose profile a scenario checks (@profile:<driver>), if any.
export function profileOf(tags: readonly string[]): string | undefined {
  for (const tag of tags) {
    const m = /^@profile:(.+)$/.exec(tag);
    if (m) return m[1];
  }
  return undefined;
}

// The VMM whose call sequence a scenario replays (@client:<name>), if any.
export function clientOf(tags: readonly string[]): string | undefined {
  for (const tag of tags) {
    const m = /^@client:(.+)$/.exec(tag);
    if (m) return m[1];
  }
  return undefined;
}
