// Kernel releases at patch level: the scenario tags, the table of behaviour
// changes, what the reference declares for a release and what the Linux agent
// declares from uname (its C rule compiled alone and compared with ours).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasChange, KERNEL_CHANGES, kernelMismatch, parseRelease, type ChangeId } from '../support/kernel/releases';
import { ReferenceImplementation } from '../reference-impl/server';
import { DEFAULT_OPTIONS } from '../reference-impl/machine';
import { HEADER_FILE, renderHeader } from '../scripts/generate-kernel-changes';

test('releases parse at patch level, with distribution suffixes', () => {
  assert.deepEqual(parseRelease('6.12.117-1-amd64'), [6, 12, 117]);
  assert.deepEqual(parseRelease('6.1'), [6, 1, 0]);
  assert.throws(() => parseRelease('linux'), /not a kernel release/);
});

test('a @kernel>=6.12.58 scenario runs on 6.12.58 and later and is skipped on 6.12.57', () => {
  assert.equal(kernelMismatch(['@kernel>=6.12.58'], '6.12.58'), undefined);
  assert.equal(kernelMismatch(['@kernel>=6.12.58'], '6.13.0'), undefined);
  assert.match(kernelMismatch(['@kernel>=6.12.58'], '6.12.57') ?? '', /holds for kernels >= 6.12.58; the implementation declares kernel 6.12.57/);
  assert.match(kernelMismatch(['@kernel<6.6'], '6.6') ?? '', /< 6.6/);
  assert.equal(kernelMismatch(['@kernel<6.6'], '6.5.13'), undefined);
});

test('@since and @before ask the table of changes, line by line', () => {
  assert.equal(kernelMismatch(['@since:feature-enotty'], '6.12.58'), undefined);
  assert.match(kernelMismatch(['@since:feature-enotty'], '6.12.57') ?? '', /feature-enotty/);
  assert.equal(kernelMismatch(['@before:feature-enotty'], '6.6.116'), undefined);
  assert.ok(kernelMismatch(['@before:feature-enotty'], '6.6.117'));
  assert.ok(kernelMismatch(['@before:feature-enotty'], '6.18.0'), 'mainline from 6.18 has it');
  assert.equal(kernelMismatch(['@before:feature-enotty'], '6.17.5'), undefined, 'a line the change never reached');
  assert.throws(() => kernelMismatch(['@since:no-such-change'], '6.12.0'), /no kernel change "no-such-change"/);
});

test('the state-machine loop fix: 6.12.96 on, and never needed before 6.2', () => {
  assert.equal(hasChange('6.12.95', 'fsm-error-loop-fixed'), false);
  assert.equal(hasChange('6.12.96', 'fsm-error-loop-fixed'), true);
  assert.equal(hasChange('6.1.159', 'fsm-error-loop-fixed'), true);
  assert.equal(hasChange('6.6.120', 'fsm-error-loop-fixed'), false);
});

test('the reference declares the loop fix from 6.12.96 on, and ENOTTY from 6.12.58 on', async () => {
  const declared = async (kernel: string) => (await new ReferenceImplementation({ ...DEFAULT_OPTIONS, kernel }).hello()).options.fsm_error_loop_fixed;
  assert.equal(await declared('6.12.95'), false);
  assert.equal(await declared('6.12.96'), true);
  assert.equal(await declared('6.12.117'), true);
});

test('the agent header is generated from the table and current', () => {
  assert.equal(readFileSync(HEADER_FILE, 'utf8'), renderHeader(), `${HEADER_FILE} is out of date: npm run generate:kernel-changes`);
});

test('the agent derives the same answers from uname as the suite', (t) => {
  if (spawnSync('cc', ['--version']).status !== 0) {
    t.skip('no C compiler on this machine: the agent rule cannot be compiled here');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'vfio-tck-kernel-'));
  const probe = join(dir, 'probe.c');
  writeFileSync(probe, [
    '#include <stdbool.h>', '#include <stdio.h>',
    'bool kernel_has_change(const char *release, const char *id);',
    'int main(int argc, char **argv) { for (int i = 2; i < argc; i++) printf("%d\\n", kernel_has_change(argv[i], argv[1])); return 0; }',
  ].join('\n'));
  const binary = join(dir, 'probe');
  execFileSync('cc', ['-std=gnu11', '-o', binary, probe, 'adapters/linux/kernel_release.c']);
  const releases = ['5.15.0', '6.1.0', '6.1.158', '6.1.159', '6.2.0', '6.6.116', '6.6.117', '6.12.57', '6.12.58', '6.12.95',
    '6.12.96', '6.12.117-1-amd64', '6.13.0', '6.17.9', '6.18', '6.18.2', '7.0.0'];
  for (const id of Object.keys(KERNEL_CHANGES) as ChangeId[]) {
    const agent = execFileSync(binary, [id, ...releases], { encoding: 'utf8' }).trim().split('\n').map((x) => x === '1');
    assert.deepEqual(agent, releases.map((r) => hasChange(r, id)), `the agent and the suite disagree on ${id}`);
  }
});
