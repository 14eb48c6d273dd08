// How the suite runs an adapter: its argv and the bounds every exchange is held
// to. Each bound has an environment variable; npm run conformance has an
// option for the common ones.
import { parseCommandLine } from './command-line';

export interface AdapterSettings {
  argv: string[];
  callTimeoutMs: number; // per request (pending_wait adds its own wait)
  helloTimeoutMs: number; // for the start exchange, which may include booting something
  stopTimeoutMs: number; // for the answer to stop, then again for the exit
  maxLineBytes: number; // the longest answer line accepted
  validate: boolean; // check every message both ways against the schema and log mismatches
  maxConsecutiveFaults: number; // faults in a row, with no good answer between, before the run stops starting the adapter
}

// The longest legitimate answer is a mem_read of 64 MiB: 128 MiB of hex.
export const DEFAULT_MAX_LINE_BYTES = 2 * (1 << 26) + (1 << 20);

export const DEFAULTS: Omit<AdapterSettings, 'argv'> = {
  callTimeoutMs: 10_000,
  helloTimeoutMs: 30_000,
  stopTimeoutMs: 5_000,
  maxLineBytes: DEFAULT_MAX_LINE_BYTES,
  validate: false,
  maxConsecutiveFaults: 3,
};

export const ENV = {
  command: 'TCK_ADAPTER',
  callTimeoutMs: 'TCK_ADAPTER_TIMEOUT_MS',
  helloTimeoutMs: 'TCK_ADAPTER_HELLO_TIMEOUT_MS',
  stopTimeoutMs: 'TCK_ADAPTER_STOP_TIMEOUT_MS',
  maxLineBytes: 'TCK_ADAPTER_MAX_LINE_BYTES',
  validate: 'TCK_ADAPTER_VALIDATE',
  maxConsecutiveFaults: 'TCK_ADAPTER_MAX_FAULTS',
} as const;

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, not ${JSON.stringify(text)}`);
  return value;
}

export function adapterSettings(command: string, env: NodeJS.ProcessEnv = process.env, overrides: Partial<AdapterSettings> = {}): AdapterSettings {
  return {
    argv: parseCommandLine(command),
    callTimeoutMs: positiveInteger(env, ENV.callTimeoutMs, DEFAULTS.callTimeoutMs),
    helloTimeoutMs: positiveInteger(env, ENV.helloTimeoutMs, DEFAULTS.helloTimeoutMs),
    stopTimeoutMs: positiveInteger(env, ENV.stopTimeoutMs, DEFAULTS.stopTimeoutMs),
    maxLineBytes: positiveInteger(env, ENV.maxLineBytes, DEFAULTS.maxLineBytes),
    validate: env[ENV.validate] === '1' || env[ENV.validate] === 'true',
    maxConsecutiveFaults: positiveInteger(env, ENV.maxConsecutiveFaults, DEFAULTS.maxConsecutiveFaults),
    ...overrides,
  };
}

// Cucumber's own step timeout is only a backstop behind the adapter's
// timeouts: it must be long enough that a hung adapter is always reported by
// the transport, with its stderr, rather than by Cucumber. A scenario's set-up
// may restart the adapter (hello) and then begin the scenario; a step may wait
// on a pending write for up to a minute.
export function stepBackstopMs(env: NodeJS.ProcessEnv = process.env): number {
  const call = positiveInteger(env, ENV.callTimeoutMs, DEFAULTS.callTimeoutMs);
  const hello = positiveInteger(env, ENV.helloTimeoutMs, DEFAULTS.helloTimeoutMs);
  return hello + 3 * call + 60_000;
}
