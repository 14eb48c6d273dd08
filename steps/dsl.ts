// Step registration for the suite. A step whose support code finds the scenario
// does not apply (NotApplicable, or the implementation answering "unsupported")
// ends as skipped with the reason attached, never as passed or failed.
import { Given as CGiven, Then as CThen, When as CWhen } from '@cucumber/cucumber';
import { NotSupportedByImplementation } from '../support/contract/client';
import { skipWith } from '../support/world/hooks';
import { NotApplicable } from '../support/world/skip';
import type { TckWorld } from '../support/world/world';

type StepBody = (this: TckWorld, ...args: any[]) => Promise<unknown> | unknown;

function applicable(body: StepBody): StepBody {
  const wrapped = async function (this: TckWorld, ...args: unknown[]) {
    try {
      return await body.apply(this, args);
    } catch (error) {
      if (error instanceof NotApplicable || error instanceof NotSupportedByImplementation) {
        const issue = error.issue ? ` (${error.issue})` : '';
        return skipWith(this, `${error.reason}${issue}`);
      }
      throw error;
    }
  };
  // Cucumber checks a step function's arity against its pattern.
  Object.defineProperty(wrapped, 'length', { value: body.length });
  return wrapped;
}

export const Given = (pattern: string | RegExp, body: StepBody) => CGiven(pattern, applicable(body));
export const When = (pattern: string | RegExp, body: StepBody) => CWhen(pattern, applicable(body));
export const Then = (pattern: string | RegExp, body: StepBody) => CThen(pattern, applicable(body));
