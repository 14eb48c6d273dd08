// "Not applicable" is a first-class outcome: a step that finds the scenario does
// not apply throws NotApplicable; the hooks turn it into a skipped result with
// the reason attached, so it is never counted as passed.
export class NotApplicable extends Error {
  override name = 'NotApplicable';
  constructor(readonly reason: string, readonly issue?: string) {
    super(reason);
  }
}

export const SKIP_REASON_FILE = 'not-applicable.txt';
