// The protocol as one JSON Schema document (draft 2020-12), generated from the
// zod schemas the suite checks messages with, so the two cannot drift apart.
// npm run schema writes it to schema/vfio-tck-protocol.schema.json; a unit
// test checks that the committed file is current.
import { z } from 'zod';
import { ImplementationInfo, PROTOCOL_VERSION, Request, RESULT_SCHEMAS } from '../contract/protocol';
import { ErrnoName, Fd, Hex, U64 } from '../contract/wire';
import { ErrnoAnswer, HelloRequest, RequestId, ResultAnswer, StopRequest, StopResult, UnsupportedAnswer, withId } from './envelope';

export const SCHEMA_FILE = 'schema/vfio-tck-protocol.schema.json';

const FRAMING = [
  `The vfio-tck adapter protocol, version ${PROTOCOL_VERSION}.`,
  'The suite starts the adapter from an argv (never through a shell) and writes requests to its stdin; the adapter writes answers to its stdout;',
  'stderr is free-form logging, of which the suite keeps the last lines for its reports.',
  'Each message is one JSON object on one line, UTF-8, ending with a newline. The suite sends one request at a time and waits for its answer.',
  'A request is {"id", "op", ...the fields of request.<op>}; ids count up from 0 (hello) for each adapter process.',
  'Its answer echoes the id: {"id", "ok": true, "result": <result.<op>>}, {"id", "ok": false, "errno": "<name>", "arg"?: "<hex, ioctl only>"}',
  'or {"id", "ok": false, "unsupported": {"reason", "issue"?}}.',
  'Bytes are lower-case hex strings; u64 values are decimal strings; fds are the adapter process\'s own fd numbers.',
  'The first request is hello, answered with an ImplementationInfo; the last is stop, answered with {} before the adapter exits with status 0.',
  'begin_scenario closes every fd opened since the previous one and undoes what the previous scenario created.',
].join(' ');

export function protocolJsonSchema(): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  // Building blocks, referenced rather than repeated.
  registry.add(Hex, { id: 'Hex' });
  registry.add(U64, { id: 'U64' });
  registry.add(Fd, { id: 'Fd' });
  registry.add(ErrnoName, { id: 'ErrnoName' });
  registry.add(RequestId, { id: 'RequestId' });
  registry.add(ImplementationInfo, { id: 'ImplementationInfo' });

  const ops: string[] = ['hello', 'stop'];
  registry.add(HelloRequest, { id: 'request.hello' });
  registry.add(StopRequest, { id: 'request.stop' });
  for (const option of Request.options) {
    const op = option.shape.op.value;
    ops.push(op);
    registry.add(withId(option), { id: `request.${op}` });
  }
  registry.add(StopResult, { id: 'result.stop' });
  for (const [op, schema] of Object.entries(RESULT_SCHEMAS)) registry.add(schema, { id: `result.${op}` });
  registry.add(ResultAnswer, { id: 'answer.result' });
  registry.add(ErrnoAnswer, { id: 'answer.errno' });
  registry.add(UnsupportedAnswer, { id: 'answer.unsupported' });

  const generated = z.toJSONSchema(registry, { uri: (id) => `#/$defs/${id}`, target: 'draft-2020-12' }).schemas;
  const defs: Record<string, unknown> = {};
  for (const [id, schema] of Object.entries(generated).sort(([a], [b]) => a.localeCompare(b))) {
    const { $schema: _schema, $id: _id, ...body } = schema as Record<string, unknown>;
    defs[id] = body;
  }
  // hello's result is the ImplementationInfo.
  defs['result.hello'] = { $ref: '#/$defs/ImplementationInfo', description: 'what the adapter declares at the start exchange' };
  defs.Request = { description: 'one line from the suite to the adapter', oneOf: ops.map((op) => ({ $ref: `#/$defs/request.${op}` })) };
  defs.Answer = {
    description: 'one line from the adapter to the suite; for a result, result.<op> of the request\'s op describes its fields',
    anyOf: ['answer.result', 'answer.errno', 'answer.unsupported'].map((id) => ({ $ref: `#/$defs/${id}` })),
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: `vfio-tck adapter protocol ${PROTOCOL_VERSION}`,
    description: FRAMING,
    'x-protocol-version': PROTOCOL_VERSION,
    anyOf: [{ $ref: '#/$defs/Request' }, { $ref: '#/$defs/Answer' }],
    $defs: defs,
  };
}

export function protocolJsonSchemaText(): string {
  return `${JSON.stringify(protocolJsonSchema(), null, 2)}\n`;
}
