// Step registration for the suite. Every step and hook runs inside one wrapper:
// when support code finds that the scenario does not apply (NotApplicable, or
// the implementation answering "unsupported"), the step ends as skipped with
// the reason attached, never as passed or failed.
import { Given as CucumberGiven, setDefinitionFunctionWrapper, Then as CucumberThen, When as CucumberWhen } from '@cucumber/cucumber';
import { NotSupportedByImplementation } from '../support/contract/client';
import { skipWith } from '../support/world/hooks';
import { NotApplicable } from '../support/world/skip';
import { ConformanceAssertionError, lastCall } from '../support/world/assert';
import type { TckWorld } from '../support/world/world';

type Body = (this: TckWorld, ...args: unknown[]) => unknown;

setDefinitionFunctionWrapper((body: Body) =>
  async function applicable(this: TckWorld, ...args: unknown[]) {
    try {
      return await body.apply(this, args);
    } catch (error) {
      if (error instanceof NotApplicable || error instanceof NotSupportedByImplementation) {
        return skipWith(this, error.issue ? `${error.reason} (${error.issue})` : error.reason);
      }
      if (error instanceof ConformanceAssertionError) error.message += lastCall(this.transcript);
      throw error;
    }
  },
);

// The same functions, typed for this suite's World.
export const Given = CucumberGiven<TckWorld>;
export const When = CucumberWhen<TckWorld>;
export const Then = CucumberThen<TckWorld>;
