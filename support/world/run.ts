// What lives for the whole run: the implementation, its client and what it
// declared at the start exchange. The scenario transcript is fed from here.
import type { ImplementationInfo } from '../contract/protocol';
import { BrokenImplementation, Client, type CallLog } from '../contract/client';
import { PROTOCOL_VERSION, type Implementation } from '../contract/protocol';
import { StdioAdapter, type AdapterStats } from '../adapter/transport';

export interface Run {
  implementation: Implementation;
  client: Client;
  info: ImplementationInfo;
  // The start exchange failed (an adapter that crashed, hung or answered
  // nonsense at hello): every scenario reports this as broken, none runs.
  startFailure?: BrokenImplementation;
}

// Stands in for the declaration of an implementation that never made one.
const NOTHING_DECLARED: ImplementationInfo = {
  protocol: PROTOCOL_VERSION,
  name: '(did not start)',
  version: '-',
  platform: { arch: 'unknown', byte_order: 'little', kernel: '0.0' },
  roles: [],
  devices: [],
  capabilities: [],
  options: {},
};

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
  try {
    run = { implementation, client, info: await client.hello() };
  } catch (error) {
    const failure = error instanceof BrokenImplementation ? error : new BrokenImplementation(`the start exchange failed: ${(error as Error).message}`);
    run = { implementation, client, info: NOTHING_DECLARED, startFailure: failure };
  }
  return run;
}

let finishedStats: AdapterStats | undefined;

export async function endRun(): Promise<void> {
  const ending = run;
  run = undefined;
  await ending?.implementation.shutdown();
  // After the shutdown, which finds what the adapter left running.
  finishedStats = ending?.implementation instanceof StdioAdapter ? ending.implementation.stats() : undefined;
}

// How the adapter of the run that ended last behaved (forget: before a run).
export function finishedAdapterStats({ forget = false } = {}): AdapterStats | undefined {
  const stats = finishedStats;
  if (forget) finishedStats = undefined;
  return stats;
}

// Tells an adapter which scenario (file:line) its next begin_scenario opens.
export function scenarioBeginsAt(key: string): void {
  if (run?.implementation instanceof StdioAdapter) run.implementation.scenarioAt(key);
}

export function currentRun(): Run {
  if (!run) throw new Error('no implementation is connected: the run did not start (see the BeforeAll hook error)');
  return run;
}

// For the report: what an implementation running in another process wrote to
// stderr during the current scenario, and how its calls went. Nothing for the
// in-process reference.
export function scenarioStderr(): string[] {
  return run?.implementation instanceof StdioAdapter ? run.implementation.stderrOfScenario() : [];
}

// A fault an adapter committed after its last answer in this scenario (it
// exited, or wrote what nobody asked for): the scenario must not pass with it.
export async function lateFault(): Promise<BrokenImplementation | undefined> {
  return run?.implementation instanceof StdioAdapter ? run.implementation.takeLateFault() : undefined;
}
