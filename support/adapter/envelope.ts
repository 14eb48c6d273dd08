// The messages as they travel to and from an adapter: the contract's requests
// and answers (support/contract/protocol.ts) wrapped with the request id, plus
// the two messages that exist only on the wire, hello and stop. The exported
// JSON Schema (schema/vfio-tck-protocol.schema.json) is generated from these.
import { z } from 'zod';
import { PROTOCOL_VERSION, Request, Response } from '../contract/protocol';

export const RequestId = z
  .number()
  .int()
  .min(0)
  .max(Number.MAX_SAFE_INTEGER)
  .describe('0 for hello, then one more for each request to the same adapter process; the answer echoes it');

export const HelloRequest = z
  .object({
    id: z.literal(0),
    op: z.literal('hello'),
    protocol: z.literal(PROTOCOL_VERSION).describe('the protocol version the suite speaks'),
  })
  .describe('the first request to a freshly started adapter; answered with an ImplementationInfo');

export const StopRequest = z
  .object({ id: RequestId, op: z.literal('stop') })
  .describe('the last request: answer with an empty result, then exit with status 0');

type OpRequest = (typeof Request.options)[number];

// A contract request as it travels: the id first, then the op's own fields.
export function withId(option: OpRequest) {
  const wire = z.object({ id: RequestId, ...option.shape });
  return option.description ? wire.describe(option.description) : wire;
}

// One request line: hello, stop, or one contract operation.
export const WireRequest = z.discriminatedUnion('op', [
  HelloRequest,
  StopRequest,
  ...(Request.options.map(withId) as [ReturnType<typeof withId>, ...ReturnType<typeof withId>[]]),
]);
export type WireRequest = z.infer<typeof WireRequest>;

// One answer line. The three kinds are those of the contract's Response.
const [resultAnswer, errnoAnswer, unsupportedAnswer] = Response.options;
export const ResultAnswer = z
  .object({
    id: RequestId,
    ...resultAnswer.shape,
    result: z.looseObject({}).describe("the op's result; its fields are those of result.<op> in this schema"),
  })
  .describe('the call succeeded');
export const ErrnoAnswer = z.object({ id: RequestId, ...errnoAnswer.shape }).describe('the system call failed with this errno');
export const UnsupportedAnswer = z
  .object({ id: RequestId, ...unsupportedAnswer.shape })
  .describe('the adapter does not do this op (or not with these arguments); the scenario is reported as skipped with the reason');
export const WireAnswer = z.union([ResultAnswer, ErrnoAnswer, UnsupportedAnswer]);
export type WireAnswer = z.infer<typeof WireAnswer>;

// hello is answered with an ImplementationInfo (support/contract/protocol.ts), stop with nothing.
export const StopResult = z.object({});

// Fields present in a message but absent from what the schema kept of it: a
// schema that is not strict drops them silently, so they are found by
// comparing the raw message with the parsed one. Own fields only, so that a
// field named like a property every object inherits (constructor, toString,
// __proto__) is found too; walked without recursion, since an answer may nest
// deeper than the stack (the transport refuses more than MAX_NESTING levels).
export function unknownFields(raw: unknown, parsed: unknown): string[] {
  const found: string[] = [];
  const work: [unknown, unknown, string[]][] = [[raw, parsed, []]];
  while (work.length) {
    const [r, p, path] = work.pop() as [unknown, unknown, string[]];
    if (Array.isArray(r) && Array.isArray(p)) {
      for (let i = r.length - 1; i >= 0; i--) work.push([r[i], p[i], [...path, String(i)]]);
    } else if (isPlainObject(r) && isPlainObject(p)) {
      const known: [unknown, unknown, string[]][] = [];
      for (const key of Object.keys(r)) {
        if (Object.prototype.hasOwnProperty.call(p, key)) known.push([r[key], p[key], [...path, key]]);
        else found.push([...path, key].join('.'));
      }
      work.push(...known.reverse());
    }
  }
  return found;
}

// How deeply one message may nest objects and arrays. The deepest message of
// the protocol (hello's mdev parents and their types) nests six levels.
export const MAX_NESTING = 64;

// The depth of a parsed JSON value (a scalar is 0), counted without recursion
// and stopping once past the limit.
export function nestingDepth(value: unknown, limit = MAX_NESTING): number {
  let deepest = 0;
  const work: [unknown, number][] = [[value, 0]];
  while (work.length) {
    const [v, depth] = work.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (typeof child === 'object' && child !== null) work.push([child, depth + 1]);
  }
  return deepest;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
