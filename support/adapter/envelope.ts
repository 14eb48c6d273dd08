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
// comparing the raw message with the parsed one.
export function unknownFields(raw: unknown, parsed: unknown, path: string[] = []): string[] {
  if (Array.isArray(raw) && Array.isArray(parsed)) {
    return raw.flatMap((item, i) => unknownFields(item, parsed[i], [...path, String(i)]));
  }
  if (!isPlainObject(raw) || !isPlainObject(parsed)) return [];
  return Object.keys(raw).flatMap((key) =>
    key in parsed ? unknownFields(raw[key], parsed[key], [...path, key]) : [[...path, key].join('.')],
  );
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
