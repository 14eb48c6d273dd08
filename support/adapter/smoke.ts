// npm run adapter:smoke -- "<command line>"
// Starts an adapter, runs the start exchange and a few harmless requests
// (begin_scenario, user memory, opening and closing the first declared
// device), stops it, and says what is right and what is wrong: which field of
// which answer does not fit the protocol, what the adapter wrote to stderr,
// how long each answer took. Every message is also checked against the schema
// both ways (the validate mode). Exits 0 when nothing was wrong.
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { BrokenImplementation, Client, NotSupportedByImplementation, type Outcome, type RequestOf } from '../contract/client';
import type { ImplementationInfo, Op, ResultOf } from '../contract/protocol';
import { formatCommandLine } from './command-line';
import { adapterSettings, ENV } from './settings';
import { StdioAdapter } from './transport';

const USAGE = `usage: npm run adapter:smoke -- [--timeout <ms>] [--hello-timeout <ms>] "<command line>"
  The command line starts the adapter (no shell: see docs/adapter-guide.md for the quoting rules).
  --timeout        milliseconds the adapter may take to answer one request (default 10000)
  --hello-timeout  milliseconds it may take to answer hello, its start included (default 30000)`;

const MARK = { ok: '  ok  ', fail: '  FAIL', note: '  --  ', warn: '  warn' };
let problems = 0;

function say(mark: keyof typeof MARK, text: string): void {
  if (mark === 'fail') problems++;
  // One schema issue a line: "<field path>: <what is wrong>".
  const [first, ...rest] = text.replace(/(does not fit the protocol:) (.*)/, (_all, head: string, issues: string) => `${head}\n${issues.split('; ').map((i) => `  ${i}`).join('\n')}`).split('\n');
  console.log(`${MARK[mark]} ${first}`);
  for (const line of rest) console.log(`         ${line}`);
}

const ms = (since: number) => `${(performance.now() - since).toFixed(1)} ms`;

// One request: ok, an errno, unsupported, or broken (which ends the smoke test).
async function step<O extends Op>(client: Client, op: O, args: RequestOf<O>, label: string): Promise<ResultOf<O> | undefined> {
  const started = performance.now();
  let outcome: Outcome<ResultOf<O>>;
  try {
    outcome = await client.call(op, args);
  } catch (error) {
    if (error instanceof NotSupportedByImplementation) {
      say('note', `${label}: answered unsupported (${error.reason}${error.issue ? `, ${error.issue}` : ''}) in ${ms(started)}; scenarios that need it will be skipped`);
      return undefined;
    }
    throw error;
  }
  if (!outcome.ok) {
    say('note', `${label}: failed with ${outcome.errno} in ${ms(started)}`);
    return undefined;
  }
  say('ok', `${label}: ${JSON.stringify(outcome.value)} in ${ms(started)}`);
  return outcome.value;
}

function describeInfo(info: ImplementationInfo): string {
  const p = info.platform;
  const lines = [`"${info.name}" ${info.version} on ${p.arch} (${p.byte_order}-endian), kernel ${p.kernel}`, `roles: ${info.roles.join(', ') || 'none'}; capabilities: ${info.capabilities.join(', ') || 'none'}`];
  if (!info.devices.length) lines.push('devices: none declared');
  for (const d of info.devices) lines.push(`device ${d.path}: ${d.roles.join(', ')}, driver ${d.driver}${d.mdev_type ? `, mdev type ${d.mdev_type}` : ''}`);
  const options = Object.entries(info.options);
  if (options.length) lines.push(`options: ${options.map(([k, v]) => `${k}=${String(v)}`).join(', ')}`);
  return lines.join('\n');
}

async function smoke(adapter: StdioAdapter): Promise<void> {
  const client = new Client(adapter);
  let started = performance.now();
  const info = await client.hello();
  say('ok', `hello answered in ${ms(started)}: ${describeInfo(info)}`);
  if (!info.roles.length) say('warn', 'no roles declared: every scenario will be skipped as not applicable');
  started = performance.now();
  await client.call('begin_scenario', { name: 'adapter smoke test' }).then((out) => {
    if (!out.ok) throw new BrokenImplementation(`begin_scenario failed with ${out.errno}`);
  });
  say('ok', `begin_scenario answered in ${ms(started)}`);

  const memory = await step(client, 'mem_alloc', { length: 4096 }, 'mem_alloc of 4096 bytes');
  if (memory) {
    await step(client, 'mem_write', { addr: memory.addr, data: '0123456789abcdef' }, `mem_write of 8 bytes at ${memory.addr}`);
    const back = await step(client, 'mem_read', { addr: memory.addr, length: 8 }, 'mem_read of them');
    if (back && back.data !== '0123456789abcdef') say('fail', `mem_read gave ${back.data}, not the bytes mem_write wrote (0123456789abcdef)`);
  }
  const device = info.devices[0];
  if (device) {
    const opened = await step(client, 'open_device', { path: device.path }, `open_device ${device.path}`);
    if (opened) await step(client, 'close', { fd: opened.fd }, `close of fd ${opened.fd}`);
  }
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: { timeout: { type: 'string' }, 'hello-timeout': { type: 'string' }, help: { type: 'boolean', default: false } },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.values.help || !args.positionals.length) {
    console.log(USAGE);
    return args.values.help ? 0 : 2;
  }
  let settings;
  try {
    // One argument is a command line; several are taken as the argv itself.
    const command = args.positionals.length === 1 ? args.positionals[0] : JSON.stringify(args.positionals);
    const env = { ...process.env };
    if (args.values.timeout) env[ENV.callTimeoutMs] = args.values.timeout;
    if (args.values['hello-timeout']) env[ENV.helloTimeoutMs] = args.values['hello-timeout'];
    settings = adapterSettings(command, env, { validate: true });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  console.log(`vfio-tck adapter smoke test: ${formatCommandLine(settings.argv)}`);
  console.log(`(timeouts: ${settings.helloTimeoutMs} ms for hello, ${settings.callTimeoutMs} ms per request; every message checked against the schema)`);
  // Whatever the transport complains about (a protocol check, a bad stop) is a problem here.
  const adapter = new StdioAdapter(settings, (text) => say('fail', text));
  try {
    await smoke(adapter);
  } catch (error) {
    say('fail', error instanceof BrokenImplementation ? error.message : `the smoke test itself failed: ${(error as Error).stack}`);
  }
  const started = performance.now();
  await adapter.shutdown();
  if (adapter.stoppedCleanly) say('ok', `stop answered, and the adapter exited with status 0 in ${ms(started)}`);
  const stats = adapter.stats();
  if (stats.round_trip_ms) console.log(`\n${stats.calls} request(s) after hello, median round trip ${stats.round_trip_ms.median} ms`);
  if (problems) {
    console.log(`${problems} problem(s): the adapter does not follow the protocol yet (docs/adapter-guide.md)`);
    return 1;
  }
  console.log(`no problems. Next: npm run conformance -- --adapter ${JSON.stringify(formatCommandLine(settings.argv))}`);
  return 0;
}

main().then((code) => process.exit(code), (error) => {
  console.error(error);
  process.exit(2);
});
