// The bundled reference implementation served over the adapter protocol: JSON
// lines on stdin and stdout, as any external adapter speaks it. It reads the
// same TCK_REF_* variables as the in-process reference (support/target.ts).
// Start it with ./adapters/reference/vfio-tck-reference-adapter.
import { describeZodError } from '../../support/contract/client';
import type { Request } from '../../support/contract/protocol';
import { WireRequest } from '../../support/adapter/envelope';
import { referenceFromEnvironment } from '../../support/target';
import { BlockedForGood } from '../../reference-impl/kernel/errno';

const reference = referenceFromEnvironment();

function answer(message: object, then?: () => void): void {
  process.stdout.write(`${JSON.stringify(message)}\n`, then);
}

// The suite never sends a malformed request; if one comes, the adapter says
// so on stderr and stops rather than invent an answer.
function protocolError(text: string): never {
  process.stderr.write(`vfio-tck reference adapter: ${text}\n`);
  process.exit(2);
}

async function serve(line: string): Promise<void> {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (error) {
    protocolError(`request is not JSON (${(error as Error).message}): ${line.slice(0, 200)}`);
  }
  const parsed = WireRequest.safeParse(raw);
  if (!parsed.success) protocolError(describeZodError(parsed.error, 'a request'));
  const { id, ...request } = parsed.data;
  if (request.op === 'hello') return answer({ id, ok: true, result: await reference.hello() });
  if (request.op === 'stop') {
    await reference.shutdown();
    return answer({ id, ok: true, result: {} }, () => process.exit(0));
  }
  const outcome = reference.answer(request as Request);
  if (outcome instanceof BlockedForGood) {
    // Like a program stuck in the kernel: no answer, and no further request read.
    process.stderr.write(`vfio-tck reference adapter: request id ${id} (${request.op}) blocks for good: ${outcome.message}\n`);
    return new Promise<void>(() => undefined);
  }
  answer({ id, ...(outcome as object) });
}

// One request at a time, in order: the next line waits for the answer to this one.
let queue = Promise.resolve();
let unfinished = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (text: string) => {
  let start = 0;
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
    const line = unfinished + text.slice(start, nl);
    unfinished = '';
    start = nl + 1;
    queue = queue.then(() => serve(line)).catch((error: Error) => protocolError(`internal error: ${error.stack ?? error.message}`));
  }
  unfinished += text.slice(start);
});
// The suite went away without stop: nothing more to do.
process.stdin.on('end', () => queue.then(() => process.exit(0)));
