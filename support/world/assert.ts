// Assertions of the suite. Their errors are named AssertionError so that both
// Cucumber and Allure count them as a product failure, not as broken tooling.
import assert from 'node:assert/strict';
import type { Outcome } from '../contract/client';
import { IOCTL } from '../uapi/vfio';

export class ConformanceAssertionError extends Error {
  override name = 'AssertionError';
}

export function expect(condition: boolean, message: string): asserts condition {
  if (!condition) throw new ConformanceAssertionError(message);
}

export function expectEqual<T>(actual: T, expected: T, what: string): void {
  try {
    assert.deepEqual(actual, expected);
  } catch {
    throw new ConformanceAssertionError(`${what}: expected ${show(expected)}, got ${show(actual)}`);
  }
}

export function show(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}` : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v));
}

export function describeOutcome(outcome: Outcome<unknown> | undefined): string {
  if (!outcome) return 'no call was made';
  return outcome.ok ? `success ${show(outcome.value)}` : `failure ${outcome.errno}`;
}

// The last request of the scenario and its answer, for a failure's message:
// which call got which answer (long byte strings shortened).
export function lastCall(transcript: readonly string[]): string {
  const last = transcript[transcript.length - 1];
  if (!last) return '';
  const { request, response } = JSON.parse(last) as { request: Record<string, unknown>; response: unknown };
  const { id: _id, ...call } = request;
  if (call.op === 'ioctl') {
    const name = Object.entries(IOCTL).find(([, number]) => number === call.request)?.[0];
    if (name) call.request = `${name} (0x${Number(call.request).toString(16)})`;
  }
  const short = (_k: string, v: unknown) => (typeof v === 'string' && v.length > 80 ? `${v.slice(0, 64)}... (${v.length / 2} bytes)` : v);
  return `\n  last call: ${JSON.stringify(call, short)}\n  answer: ${JSON.stringify(response, short)}`;
}
