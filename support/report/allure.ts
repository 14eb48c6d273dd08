// The Allure side of a run: environment info (who was tested, on what),
// categories that keep product defects, broken runs and not-applicable
// scenarios apart, and the HTML report when Java is there to build it.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImplementationInfo } from '../contract/protocol';

export function writeEnvironment(resultsDir: string, info: ImplementationInfo | null): void {
  const entries: Record<string, string> = { 'vfio-tck.node': process.version };
  if (info) {
    Object.assign(entries, {
      'implementation.name': info.name,
      'implementation.version': info.version,
      'implementation.roles': info.roles.join(', '),
      'platform.kernel': info.platform.kernel,
      'platform.arch': info.platform.arch,
      'platform.byte_order': info.platform.byte_order,
    });
    for (const [key, value] of Object.entries(info.options)) entries[`option.${key}`] = String(value);
  }
  const text = Object.entries(entries).map(([k, v]) => `${k}=${v.replace(/\n/g, ' ')}`).join('\n');
  writeFileSync(join(resultsDir, 'environment.properties'), `${text}\n`);
}

export function writeCategories(resultsDir: string): void {
  const categories = [
    { name: 'Conformance failures (the implementation broke a clause)', matchedStatuses: ['failed'] },
    { name: 'Broken runs (crashed, hung or malformed implementation or adapter)', matchedStatuses: ['broken'] },
    { name: 'Not applicable (skipped, with the reason attached)', matchedStatuses: ['skipped'] },
  ];
  writeFileSync(join(resultsDir, 'categories.json'), `${JSON.stringify(categories, null, 2)}\n`);
}

export function javaAvailable(): boolean {
  return spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;
}

// Returns a line for the user: where the report is, or how to get it.
export function generateHtml(resultsDir: string, reportDir: string): string {
  if (!javaAvailable()) {
    return `No Java on this machine, so no HTML report was built. The raw results are in ${resultsDir}; install a Java runtime (e.g. apt-get install default-jre-headless) and run: npx allure generate ${resultsDir} -o ${reportDir} --clean`;
  }
  const allure = join('node_modules', '.bin', 'allure');
  const run = spawnSync(allure, ['generate', resultsDir, '-o', reportDir, '--clean'], { encoding: 'utf8' });
  if (run.status !== 0 || !existsSync(join(reportDir, 'index.html'))) {
    return `allure generate failed (${run.status}): ${(run.stderr || run.stdout || '').trim().split('\n').slice(-3).join(' ')}`;
  }
  return `HTML report: ${join(reportDir, 'index.html')} (serve it with: npx allure open ${reportDir})`;
}
