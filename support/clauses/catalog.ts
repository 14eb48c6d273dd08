// The shape of the clause catalog. Every clause is one of two levels:
//   uAPI rule       what the uAPI (include/uapi/linux/vfio.h, the VFIO and mdev
//                   cores every driver goes through, the virtio specification,
//                   virtio-vfio-pci's contract) requires of every implementation;
//   driver profile  what one named driver does in a named release, read from
//                   its source: extra information about that driver, never part
//                   of the verdict "conforms".
//   client profile  what one named VMM (QEMU, Cloud Hypervisor) in a named
//                   version relies on when it migrates a device, read from its
//                   source: whether that client can migrate the device, apart
//                   from the verdict "conforms" too.
// A profile clause that records where a driver departs from a uAPI rule names
// that rule in `deviates`, so that a baseline can name the deviation.
export type Level = 'uapi' | 'profile' | 'client';

export interface Clause {
  id: string;
  level: Level;
  statement: string; // the rule in our own words
  source: string; // file and function (or spec section) it was read from, with the release
  driver?: string; // profile only: the driver, as a declared device or parent names it
  release?: string; // profile: the kernel release its source was read from; client: the client's version
  client?: string; // client profile only: the VMM, as a @client:<name> tag names it
  deviates?: string; // profile only: the uAPI clause this behaviour departs from
  untestable?: string; // why no sequence of contract calls can observe it
  // uAPI only: the driver profile whose set-up every scenario of this rule
  // needs, and why (its scenarios then count toward that profile)
  checkedUnder?: string;
  // the limits and variations its scenarios cover, so a reader sees what is checked
  // (a numeric limit at limit - 1, limit and limit + 1, or why one cannot be reached)
  covers?: string[];
  // the numeric limits the statement sets, each checked at limit - 1, limit
  // and limit + 1 (test/limits.test.ts holds every clause to it)
  limits?: Limit[];
  // why a statement that reads like a numeric limit sets none to check at three points
  noLimit?: string;
}

// One point of a limit: a scenario of the clause's own area, "07 [5]" (its
// feature's number and the scenario's), whose title names the value; or why
// the uAPI cannot reach that value, in the text of the scenario named.
export type LimitPoint = string | { unreachable: string; scenario: string };

export interface Limit {
  what: string; // the quantity limited, e.g. "argsz"
  limit: number; // the last accepted (or first refused) value, as the statement puts it
  below: LimitPoint; // limit - 1
  at: LimitPoint; // limit
  above: LimitPoint; // limit + 1
}

export function limit(what: string, value: number, below: LimitPoint, at: LimitPoint, above: LimitPoint): Limit {
  return { what, limit: value, below, at, above };
}

export type ClauseSpec = Omit<Clause, 'id'>;

export function uapi(statement: string, source: string, extra: Partial<ClauseSpec> = {}): ClauseSpec {
  return { level: 'uapi', statement, source, ...extra };
}

export function profile(driver: string, release: string, statement: string, source: string, extra: Partial<ClauseSpec> = {}): ClauseSpec {
  return { level: 'profile', driver, release, statement, source, ...extra };
}

export function client(name: string, version: string, statement: string, source: string, extra: Partial<ClauseSpec> = {}): ClauseSpec {
  return { level: 'client', client: name, release: version, statement, source, ...extra };
}

export function defineClauses(specs: Record<string, ClauseSpec>): Record<string, Clause> {
  return Object.fromEntries(Object.entries(specs).map(([id, spec]) => [id, { id, ...spec }]));
}
