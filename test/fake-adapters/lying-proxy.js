// A proxy in front of the reference adapter that lies in one field of one
// kind of answer, once per scenario (the first answer of that kind after
// begin_scenario), and appends the name of each scenario it lied in to a file.
//   node lying-proxy.js <lie> <file of scenarios lied in> [every]
// With "every" it lies in every answer of that kind, not only the first.
// Lies: ret (a successful ioctl returns -1), errno (an errno becomes another),
// unsupported (an errno becomes "unsupported"), byte (one byte of a read
// flips), hex-addr (mem_alloc answers its address in hex), swallow (a write is
// not performed but answered as done), utf8 (a sysfs_list entry holds bytes
// that are not UTF-8), huge (a sysfs_read answer grows by 5 MiB of "x"),
// duplicate (at the next begin_scenario, the last answer of the scenario
// before is sent again), ahead (at the next begin_scenario, an answer to a
// request not yet sent); these two are told after every second scenario and
// marked against it, not against the scenario beginning.
'use strict';
const { spawn } = require('node:child_process');
const { appendFileSync } = require('node:fs');
const { join } = require('node:path');
const readline = require('node:readline');

const [lie, lieFile, every] = process.argv.slice(2);
const reference = spawn(process.execPath, [join(__dirname, '..', '..', 'adapters', 'reference', 'vfio-tck-reference-adapter')], { stdio: ['pipe', 'pipe', 'inherit'] });
reference.on('exit', (code) => process.exit(code ?? 1));

const asked = new Map(); // id -> request
let scenario;
let lied = true; // nothing before the first scenario

// Stand-ins that change nothing, sent instead of a swallowed write.
const HARMLESS = {
  sysfs_write: (r) => ({ id: r.id, op: 'sysfs_stat', path: r.path }),
  write: (r) => ({ id: r.id, op: 'fcntl', fd: r.fd, cmd: 'F_GETFD' }),
  pwrite: (r) => ({ id: r.id, op: 'fcntl', fd: r.fd, cmd: 'F_GETFD' }),
  region_write: (r) => ({ id: r.id, op: 'fcntl', fd: r.fd, cmd: 'F_GETFD' }),
};
const OTHER_ERRNO = { EINVAL: 'ENOTTY', ENOTTY: 'EINVAL', EBUSY: 'EINVAL', ENOENT: 'EINVAL' };

// One line per lie: the scenario, a tab, the request lied about.
function mark(request, inScenario = scenario) {
  lied = every !== 'every';
  const { id: _id, data: _data, arg: _arg, ...shown } = request;
  appendFileSync(lieFile, `${inScenario}\t${JSON.stringify(shown)}\n`);
}

let lastAnswer; // the last answer line sent, and its request
let begins = 0;

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const request = JSON.parse(line);
  asked.set(request.id, request);
  if (request.op === 'begin_scenario') {
    // A line for the scenario that has ended, while the next one begins.
    // Every second scenario only, so that the scenario after each lie is innocent.
    if (lastAnswer && scenario !== undefined && (lie === 'duplicate' || lie === 'ahead') && ++begins % 2 === 1) {
      mark(lastAnswer.request);
      const ahead = { id: request.id + 1, ok: false, errno: 'EIO' };
      process.stdout.write(lie === 'duplicate' ? lastAnswer.line : `${JSON.stringify(ahead)}\n`);
    }
    scenario = request.name;
    lied = false;
  }
  if (lie === 'swallow' && !lied && HARMLESS[request.op] && request.data.length > 0) {
    request.swallowed = true;
    return reference.stdin.write(`${JSON.stringify(HARMLESS[request.op](request))}\n`);
  }
  reference.stdin.write(`${line}\n`);
});
process.stdin.on('end', () => reference.stdin.end());

readline.createInterface({ input: reference.stdout }).on('line', (line) => {
  const answer = JSON.parse(line);
  const request = asked.get(answer.id) ?? {};
  asked.delete(answer.id);
  let text = lied ? undefined : tell(request, answer);
  text ??= `${line}\n`;
  lastAnswer = { request, line: text };
  process.stdout.write(text);
});

// The lie told in this answer, as the line to send, or undefined.
function tell(request, answer) {
  const data = answer.ok && answer.result && answer.result.data;
  switch (lie) {
    case 'ret':
      if (request.op !== 'ioctl' || !answer.ok) return undefined;
      mark(request);
      return `${JSON.stringify({ ...answer, result: { ...answer.result, ret: -1 } })}\n`;
    case 'errno':
      if (!answer.errno || !OTHER_ERRNO[answer.errno]) return undefined;
      mark(request);
      return `${JSON.stringify({ ...answer, errno: OTHER_ERRNO[answer.errno] })}\n`;
    case 'unsupported':
      if (!answer.errno) return undefined;
      mark(request);
      return `${JSON.stringify({ id: answer.id, ok: false, unsupported: { reason: 'not done by this proxy' } })}\n`;
    case 'byte':
      // the last byte: where a sysfs attribute keeps its newline
      if (!['read', 'pread', 'region_read', 'sysfs_read', 'mem_read'].includes(request.op) || !data) return undefined;
      mark(request);
      return `${JSON.stringify({ ...answer, result: { ...answer.result, data: data.slice(0, -2) + (parseInt(data.slice(-2), 16) ^ 0x01).toString(16).padStart(2, '0') } })}\n`;
    case 'hex-addr':
      if (request.op !== 'mem_alloc' || !answer.ok) return undefined;
      mark(request);
      return `${JSON.stringify({ ...answer, result: { addr: `0x${BigInt(answer.result.addr).toString(16)}` } })}\n`;
    case 'swallow':
      if (!request.swallowed || !answer.ok || request.data.length === 0) return undefined; // an empty write swallowed is the truth
      mark(request);
      return `${JSON.stringify({ id: answer.id, ok: true, result: { count: (request.data.length / 2) } })}\n`;
    case 'utf8': {
      if (request.op !== 'sysfs_list' || !answer.ok || !answer.result.entries.length) return undefined;
      mark(request);
      const [first, ...rest] = answer.result.entries;
      // JSON text with the raw byte 0xff inside the first name
      const line = JSON.stringify({ ...answer, result: { entries: [`${first}\u0000MARK`, ...rest] } });
      const [head, tail] = line.split('\\u0000MARK');
      return Buffer.concat([Buffer.from(head), Buffer.from([0xff]), Buffer.from(`${tail}\n`)]);
    }
    case 'huge':
      if (request.op !== 'sysfs_read' || !data) return undefined;
      mark(request);
      return `${JSON.stringify({ ...answer, result: { data: data + '78'.repeat(5 << 20) } })}\n`;
    case 'duplicate':
    case 'ahead':
      return undefined; // told at begin_scenario
    default:
      throw new Error(`unknown lie ${lie}`);
  }
}
