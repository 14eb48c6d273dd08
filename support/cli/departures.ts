// npm run check-departures -- <reports dir>
// Gates a run on anything but the recorded departures of the drivers the
// implementation declared. A driver that departs from a uAPI rule (a profile
// clause with `deviates`, e.g. mtty answering DMA_LOGGING_REPORT before START:
// C-MIG-083 departs from C-MIG-084) fails that rule's scenarios truthfully;
// the reports keep those failures. This check exits 0 when every failure is
// such a recorded departure and nothing broke, and names each one; any other
// failure, or a broken scenario, exits 1.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLAUSES } from '../clauses';
import type { ScenarioOutcome } from '../report/outcomes';
import { declaredDrivers } from '../world/profiles';

function main(dir: string | undefined): number {
  if (!dir) {
    console.error('usage: npm run check-departures -- <reports dir>  (the directory a run wrote summary.json and implementation.json to)');
    return 2;
  }
  let summary: { scenarios?: ScenarioOutcome[] };
  let info: Parameters<typeof declaredDrivers>[0];
  try {
    summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    info = JSON.parse(readFileSync(join(dir, 'implementation.json'), 'utf8'));
  } catch (error) {
    console.error(`check-departures: cannot read ${dir}/summary.json and implementation.json: ${(error as Error).message}; run the suite with --reports ${dir} first`);
    return 2;
  }
  const drivers = declaredDrivers(info);
  const departures = Object.values(CLAUSES).filter((c) => c.deviates && c.driver && drivers.has(c.driver));
  const where = (o: ScenarioOutcome) => `${o.uri}:${o.line} ${o.name}`;
  let unexpected = 0;
  for (const o of summary.scenarios ?? []) {
    if (o.status !== 'failed' && o.status !== 'broken') continue;
    const explained = o.status === 'failed' ? departures.find((c) => o.clauses.includes(c.deviates as string)) : undefined;
    if (explained) {
      console.log(`recorded departure: ${where(o)}: ${explained.deviates} fails because ${explained.driver} ${explained.statement} (${explained.id}, ${explained.source})`);
    } else {
      unexpected += 1;
      console.log(`UNEXPECTED ${o.status}: ${where(o)}: ${(o.message ?? '').split('\n')[0]}`);
    }
  }
  if (!summary.scenarios) {
    console.error('check-departures: summary.json lists no scenarios');
    return 2;
  }
  console.log(`check-departures: ${unexpected === 0 ? 'only recorded departures failed' : `${unexpected} failure(s) that no recorded departure explains`}`);
  return unexpected ? 1 : 0;
}

process.exit(main(process.argv[2]));
