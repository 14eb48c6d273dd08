// The one door from steps and support code to an implementation under test.
// Every request is checked before it leaves and every answer when it arrives;
// an answer that does not fit the schema throws BrokenImplementation naming the
// offending field, so it can never be mistaken for a result.
import { z } from 'zod';
import type { ErrnoName } from './errno';
import { Implementation, ImplementationInfo, Op, Request, RESULT_SCHEMAS, Response, ResultOf } from './protocol';
import { answerLabel, errnoArgFault, resultFault } from './answer-checks';
import { ERRNO_NAMES } from './errno';
import { SupportLedger } from './support-ledger';

export type Outcome<T> = { ok: true; value: T } | { ok: false; errno: ErrnoName; arg?: string };

export class BrokenImplementation extends Error {
  override name = 'BrokenImplementation';
}

// The implementation said it does not do this: the scenario does not apply.
export class NotSupportedByImplementation extends Error {
  override name = 'NotSupportedByImplementation';
  constructor(readonly reason: string, readonly issue?: string) {
    super(reason);
  }
}

export function describeZodError(error: z.ZodError, what: string): string {
  const issues = error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  return `${what} does not fit the protocol: ${issues.join('; ')}`;
}

export type RequestOf<O extends Op> = Omit<Extract<Request, { op: O }>, 'op'>;
export type CallLog = (entry: { request: Request; response: unknown; ms: number }) => void;

export class Client {
  constructor(private readonly impl: Implementation, private readonly log?: CallLog) {}

  async hello(): Promise<ImplementationInfo> {
    const raw = await this.impl.hello();
    const parsed = ImplementationInfo.safeParse(raw);
    if (!parsed.success) throw new BrokenImplementation(describeZodError(parsed.error, 'the start answer'));
    return parsed.data;
  }

  async call<O extends Op>(op: O, args: RequestOf<O>): Promise<Outcome<ResultOf<O>>> {
    const request = Request.parse({ op, ...args });
    if (request.op === 'begin_scenario') this.support.note(request, 'answered');
    const started = Date.now();
    const raw = await this.impl.request(request);
    this.log?.({ request, response: raw, ms: Date.now() - started });
    const what = `the answer to ${answerLabel(request)}`;
    const response = Response.safeParse(raw);
    if (!response.success) throw new BrokenImplementation(answerShapeFault(raw, what) ?? describeZodError(response.error, what));
    const answer = response.data;
    if (answer.ok) {
      const result = (RESULT_SCHEMAS[op] as z.ZodTypeAny).safeParse(answer.result);
      if (!result.success) {
        throw new BrokenImplementation(describeZodError(result.error, `the result of ${op}`).replace('(root)', 'result'));
      }
      const fault = resultFault(request, result.data as Record<string, unknown>, (pending) => this.pendingWrites.get(pending));
      if (fault) throw new BrokenImplementation(`${what}: ${fault}`);
      this.supported(request, 'answered', what);
      this.remember(request, result.data as Record<string, unknown>);
      return { ok: true, value: result.data as ResultOf<O> };
    }
    if ('errno' in answer) {
      const fault = errnoArgFault(request, answer.arg);
      if (fault) throw new BrokenImplementation(`${what}: ${fault}`);
      this.supported(request, 'answered', what);
      return answer.arg === undefined ? { ok: false, errno: answer.errno } : { ok: false, errno: answer.errno, arg: answer.arg };
    }
    this.supported(request, 'unsupported', what);
    throw new NotSupportedByImplementation(answer.unsupported.reason, answer.unsupported.issue);
  }

  // Whether each operation is supported is one declaration for the whole run.
  private readonly support = new SupportLedger();

  private supported(request: Request, kind: 'answered' | 'unsupported', what: string): void {
    if (request.op === 'begin_scenario') return;
    const fault = this.support.note(request, kind);
    if (fault) throw new BrokenImplementation(`${what}: ${fault}`);
  }

  // The bytes each write still in flight was given, to hold its outcome to them.
  private readonly pendingWrites = new Map<number, number>();

  private remember(request: Request, result: Record<string, unknown>): void {
    if (request.op === 'begin_scenario') this.pendingWrites.clear();
    if (request.op === 'open_device' || request.op === 'open_device_via' || request.op === 'open_cdev') this.support.opened(request.path, result.fd as number);
    if (request.op === 'close') this.support.closed(request.fd);
    if (request.op === 'sysfs_write_start') this.pendingWrites.set(result.pending as number, request.data.length / 2);
    if (request.op === 'delete_module_start') this.pendingWrites.set(result.pending as number, 0);
    if (request.op === 'pending_wait' && result.done === true) this.pendingWrites.delete(request.pending);
  }

  // For set-up steps: the call must succeed, or the scenario cannot proceed.
  async must<O extends Op>(op: O, args: RequestOf<O>): Promise<ResultOf<O>> {
    const outcome = await this.call(op, args);
    if (!outcome.ok) throw new PreconditionAssertionError(`${op} ${JSON.stringify(args)} failed with ${outcome.errno}`);
    return outcome.value;
  }
}

// A set-up call the scenario depends on failed: the implementation is at fault
// (it is reported as a failure, not as a broken adapter).
export class PreconditionAssertionError extends Error {
  override name = 'AssertionError';
}

// Which of the three answer forms an answer that fits none of them meant, and
// the field that spoils it: a union's own message names none.
export function answerShapeFault(raw: unknown, what: string): string | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return `${what} is not an object`;
  const answer = raw as Record<string, unknown>;
  if (answer.ok === true) return 'result' in answer ? undefined : `${what} has ok true but no result`;
  if (answer.ok !== false) return `${what} has ok ${JSON.stringify(answer.ok)}; ok is true or false`;
  if ('errno' in answer) {
    const errno = answer.errno;
    if (typeof errno === 'number') return `${what} gives errno as the number ${errno}; errnos travel by name (such as EINVAL), never by number, since numbers differ between architectures`;
    if (typeof errno !== 'string') return `${what} gives errno as ${JSON.stringify(errno)}; errnos travel by name (such as EINVAL)`;
    if (!(ERRNO_NAMES as readonly string[]).includes(errno)) return `${what} gives errno ${JSON.stringify(errno)}, which is not an errno name the contract knows (${ERRNO_NAMES.join(', ')})`;
    if ('arg' in answer && (typeof answer.arg !== 'string' || !/^[0-9a-f]*$/.test(answer.arg) || answer.arg.length % 2)) return `${what}: arg is not lower-case hex, two digits per byte`;
    return undefined;
  }
  if ('unsupported' in answer) return undefined;
  return `${what} has ok false but neither an errno nor unsupported`;
}
