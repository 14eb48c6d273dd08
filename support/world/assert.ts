// Assertions of the suite. Their errors are named AssertionError so that both
// Cucumber and Allure count them as a product failure, not as broken tooling.
import assert from 'node:assert/strict';
import type { Outcome } from '../contract/client';

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
