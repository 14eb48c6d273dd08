// Every scenario of features/ with its tags, read straight from the Gherkin
// files (no run): for the catalog lint and for listings.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateMessages } from '@cucumber/gherkin';
import { IdGenerator, SourceMediaType, type Scenario } from '@cucumber/messages';

export interface ScenarioEntry {
  uri: string;
  line: number; // the scenario's line, or its example row's (as the reports key it)
  outline?: { line: number; title: string }; // an outline's row: the outline's own line and title
  name: string;
  description: string; // the free text under the Scenario line (an outline's, for its rows)
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
      includeSource: false, includeGherkinDocument: true, includePickles: true, newId: IdGenerator.incrementing(),
    });
    const errors = envelopes.filter((e) => e.parseError).map((e) => e.parseError?.message);
    if (errors.length > 0) throw new Error(`${uri} does not parse: ${errors.join('; ')}`);
    const lines = new Map<string, number>(); // AST node id (scenario, example row) -> line
    const outlines = new Map<string, { line: number; title: string }>(); // outline id -> its line and title
    const descriptions = new Map<string, string>(); // scenario id -> its description
    const walk = (children: readonly { scenario?: Scenario; rule?: { children: readonly { scenario?: Scenario }[] } }[]) => {
      for (const child of children) {
        if (child.scenario) {
          lines.set(child.scenario.id, child.scenario.location.line);
          descriptions.set(child.scenario.id, child.scenario.description.trim());
          for (const ex of child.scenario.examples) for (const row of ex.tableBody) lines.set(row.id, row.location.line);
          if (child.scenario.examples.length) outlines.set(child.scenario.id, { line: child.scenario.location.line, title: child.scenario.name });
        }
        if (child.rule) walk(child.rule.children);
      }
    };
    for (const e of envelopes) if (e.gherkinDocument?.feature) walk(e.gherkinDocument.feature.children);
    return envelopes.flatMap((e) => {
      if (!e.pickle) return [];
      const steps = e.pickle.steps.map((step) => {
        const rows = step.argument?.dataTable?.rows.map((row) => row.cells.map((c) => c.value).join(' | ')) ?? [];
        return [step.text, ...rows].join('\n');
      });
      const line = lines.get(e.pickle.astNodeIds[e.pickle.astNodeIds.length - 1]) ?? 0;
      const outline = outlines.get(e.pickle.astNodeIds[0]);
      return [{ uri, line, ...(outline ? { outline } : {}), name: e.pickle.name, description: descriptions.get(e.pickle.astNodeIds[0]) ?? '', tags: e.pickle.tags.map((t) => t.name), steps }];
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
