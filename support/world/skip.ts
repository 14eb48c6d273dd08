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

// --dry-run: the set-up hook decides applicability as in a real run (from the
// implementation's declaration), then stops every applicable scenario before
// its first request, with this reason.
export const DRY_RUN_ENV = 'TCK_DRY_RUN';
export const WOULD_RUN = 'dry run: applicable, would run (its steps may still find it not applicable, e.g. a capability a device does not advertise)';
