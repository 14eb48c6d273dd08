// The one door from steps and support code to an implementation under test.
// Every request is checked before it leaves and every answer when it arrives;
// an answer that does not fit the schema throws BrokenImplementation naming the
// offending field, so it can never be mistaken for a result.
import { z } from 'zod';
import type { ErrnoName } from './errno';
import { Implementation, ImplementationInfo, Op, Request, RESULT_SCHEMAS, Response, ResultOf } from './protocol';

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
    const started = Date.now();
    const raw = await this.impl.request(request);
    this.log?.({ request, response: raw, ms: Date.now() - started });
    const response = Response.safeParse(raw);
    if (!response.success) throw new BrokenImplementation(describeZodError(response.error, `the answer to ${op}`));
    const answer = response.data;
    if (answer.ok) {
      const result = (RESULT_SCHEMAS[op] as z.ZodTypeAny).safeParse(answer.result);
      if (!result.success) {
        throw new BrokenImplementation(describeZodError(result.error, `the result of ${op}`).replace('(root)', 'result'));
      }
      return { ok: true, value: result.data as ResultOf<O> };
    }
    if ('errno' in answer) return answer.arg === undefined ? { ok: false, errno: answer.errno } : { ok: false, errno: answer.errno, arg: answer.arg };
    throw new NotSupportedByImplementation(answer.unsupported.reason, answer.unsupported.issue);
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
