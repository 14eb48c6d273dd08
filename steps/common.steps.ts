// Outcome checks every area shares: the last action's success or errno.
import { Then } from './dsl';
import { describeOutcome, expect } from '../support/world/assert';
import type { ErrnoName } from '../support/contract/errno';

Then('the call succeeds', function () {
  expect(this.last?.ok === true, `expected success, got ${describeOutcome(this.last)}`);
});

Then('the call fails with {errno}', function (errno: ErrnoName) {
  expect(this.last?.ok === false && this.last.errno === errno, `expected ${errno}, got ${describeOutcome(this.last)}`);
});

// Where the uAPI fixes only that a call fails, any errno is right.
Then('the call fails', function () {
  expect(this.last?.ok === false, `expected the call to fail, got ${describeOutcome(this.last)}`);
});

Then('the call fails with {errno} or {errno}', function (first: ErrnoName, second: ErrnoName) {
  expect(this.last?.ok === false && (this.last.errno === first || this.last.errno === second), `expected ${first} or ${second}, got ${describeOutcome(this.last)}`);
});
