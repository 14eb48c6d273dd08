// Parsing of the migration phrases' arguments: states, flag sets, feature
// flag expressions and arc paths, as spec authors write them in Gherkin.
import { FEATURE, FEATURE_FLAG, FeatureName, isMigState, MIG_FLAG, MigFlagName, STATE_VALUE, stateName } from '../uapi/vfio';

export const STATE_PATTERN = /ERROR|STOP_COPY|STOP|RUNNING_P2P|RUNNING|RESUMING|PRE_COPY_P2P|PRE_COPY|\d+/;
// Flag sets are written with '+' (STOP_COPY+P2P), which also reads well inside tables.
export const FLAGS_PATTERN = /(?:STOP_COPY|P2P|PRE_COPY)(?:\+(?:STOP_COPY|P2P|PRE_COPY))*/;

export function parseState(text: string): number {
  if (isMigState(text)) return STATE_VALUE[text];
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`"${text}" is neither a state name nor a number`);
  return value;
}

// "RESUMING, STOP or ERROR" -> the three states.
export function parseStateList(text: string): number[] {
  return text.split(/,|\bor\b/).map((t) => t.trim()).filter(Boolean).map(parseState);
}

export function parseFlags(text: string): number {
  return text.split('+').reduce((acc, name) => acc | MIG_FLAG[name as MigFlagName], 0);
}

// "PROBE+GET+MIGRATION", "GET+feature 99", "SET+MIG_DEVICE_STATE+bit 19" (| works too).
export function parseFeatureFlags(text: string): number {
  let flags = 0;
  for (const raw of text.split(/[|+]/).map((t) => t.trim())) {
    if (raw === 'GET' || raw === 'SET' || raw === 'PROBE') flags |= FEATURE_FLAG[raw];
    else if (raw in FEATURE) flags |= FEATURE[raw as FeatureName];
    else if (/^feature (0x[0-9a-f]+|\d+)$/i.test(raw)) flags |= Number(raw.split(' ')[1]);
    else if (/^bit \d+$/.test(raw)) flags = (flags | (1 << Number(raw.split(' ')[1]))) >>> 0;
    else throw new Error(`"${raw}" in "${text}" is not GET, SET, PROBE, a feature name, "feature N" or "bit N"`);
  }
  return flags >>> 0;
}

// "STOP > RUNNING_P2P > RUNNING" -> arcs; "none" -> no arc.
export function parsePath(text: string): [number, number][] {
  if (text.trim() === 'none') return [];
  const states = text.split('>').map((s) => parseState(s.trim()));
  return states.slice(1).map((to, i) => [states[i], to]);
}

export function showPath(arcs: [number, number][]): string {
  if (arcs.length === 0) return 'none';
  return [stateName(arcs[0][0]), ...arcs.map(([, to]) => stateName(to))].join(' > ');
}
