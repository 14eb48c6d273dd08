// What lives for the whole run: the implementation, its client and what it
// declared at the start exchange. The scenario transcript is fed from here.
import type { ImplementationInfo } from '../contract/protocol';
import { Client, type CallLog } from '../contract/client';
import type { Implementation } from '../contract/protocol';

export interface Run {
  implementation: Implementation;
  client: Client;
  info: ImplementationInfo;
}

let run: Run | undefined;
let transcriptSink: string[] | undefined;

export const logCall: CallLog = ({ request, response, ms }) => {
  transcriptSink?.push(JSON.stringify({ request, response, ms }));
};

export function setTranscriptSink(sink: string[] | undefined): void {
  transcriptSink = sink;
}

export async function startRun(implementation: Implementation): Promise<Run> {
  const client = new Client(implementation, logCall);
  const info = await client.hello();
  run = { implementation, client, info };
  return run;
}

export async function endRun(): Promise<void> {
  const ending = run;
  run = undefined;
  await ending?.implementation.shutdown();
}

export function currentRun(): Run {
  if (!run) throw new Error('no implementation is connected: the run did not start (see the BeforeAll hook error)');
  return run;
}
