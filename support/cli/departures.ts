// npm run check-departures -- <reports dir>
// Gates a run on anything but the recorded departures of the drivers the
// implementation declared. A driver that departs from a uAPI rule (a profile
// clause with `deviates`, e.g. mtty answering DMA_LOGGING_REPORT before START:
// C-MIG-083 departs from C-MIG-084) fails that rule's scenarios truthfully;
// the reports keep those failures. This check exits 0 when every failure is
// such a recorded departure, something passed and nothing broke, and names
// each one. Otherwise it exits as the run would have (README, exit codes): 1
// for a failure no departure explains, 3 for a broken scenario, 4 when
// nothing passed (a run that checked nothing certifies nothing).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLAUSES } from '../clauses';
import type { ScenarioOutcome } from '../report/outcomes';
import { declaredDrivers } from '../world/profiles';
import { EXIT } from '../report/verdict';

function main(dir: string | undefined): number {
  if (!dir) {
    console.error('usage: npm run check-departures -- <reports dir>  (the directory a run wrote summary.json and implementation.json to)');
    return EXIT.usage;
  }
  let summary: { scenarios?: ScenarioOutcome[] };
  try {
    summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  } catch (error) {
    console.error(`check-departures: cannot read ${dir}/summary.json: ${(error as Error).message}; run the suite with --reports ${dir} first`);
    return EXIT.usage;
  }
  // An implementation that never started declared nothing: no driver, so no departure.
  const declared = join(dir, 'implementation.json');
  const info: Parameters<typeof declaredDrivers>[0] = existsSync(declared) ? JSON.parse(readFileSync(declared, 'utf8')) : { devices: [] };
  const drivers = declaredDrivers(info);
  const departures = Object.values(CLAUSES).filter((c) => c.deviates && c.driver && drivers.has(c.driver));
  const where = (o: ScenarioOutcome) => `${o.uri}:${o.line} ${o.name}`;
  let unexpected = 0;
  let broken = 0;
  let passed = 0;
  for (const o of summary.scenarios ?? []) {
    if (o.status === 'passed') passed += 1;
    if (o.status === 'broken') broken += 1;
    if (o.status !== 'failed' && o.status !== 'broken') continue;
    const explained = o.status === 'failed' ? departures.find((c) => o.clauses.includes(c.deviates as string)) : undefined;
    if (explained) {
      console.log(`recorded departure: ${where(o)}: ${explained.deviates} fails because ${explained.driver} ${explained.statement} (${explained.id}, ${explained.source})`);
    } else {
      if (o.status === 'failed') unexpected += 1;
      console.log(`UNEXPECTED ${o.status}: ${where(o)}: ${(o.message ?? '').split('\n')[0]}`);
    }
  }
  if (!summary.scenarios) {
    console.error('check-departures: summary.json lists no scenarios');
    return EXIT.usage;
  }
  if (unexpected) {
    console.log(`check-departures: ${unexpected} failure(s) that no recorded departure explains${broken ? `, and ${broken} broken scenario(s)` : ''}`);
    return EXIT.failed;
  }
  if (broken) {
    console.log(`check-departures: ${broken} broken scenario(s): no verdict`);
    return EXIT.broken;
  }
  if (passed === 0) {
    console.log('check-departures: no scenario passed: nothing was checked');
    return EXIT.nothingApplicable;
  }
  console.log('check-departures: only recorded departures failed');
  return EXIT.conformant;
}

process.exit(main(process.argv[2]));
