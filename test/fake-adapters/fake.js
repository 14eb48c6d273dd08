// A minimal adapter for the fault tests: it declares the mdev role, answers
// hello, begin_scenario and stop correctly, and hands every other request to
// the misbehaviour of the script that uses it. Plain JavaScript, so that it
// starts in a few milliseconds.
'use strict';
const readline = require('node:readline');

const INFO = {
  protocol: 1,
  name: 'fake adapter',
  version: '0.0.1',
  platform: { arch: 'x86_64', byte_order: 'little', kernel: '6.12.0' },
  roles: ['mdev'],
  devices: [],
  capabilities: [],
  options: {},
};

function send(message) {
  process.stdout.write(`${typeof message === 'string' ? message : JSON.stringify(message)}\n`);
}

// misbehave(request, send) handles each request other than hello,
// begin_scenario and stop; options.hello can replace the hello answer.
function serve(misbehave, options = {}) {
  const lines = readline.createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const request = JSON.parse(line);
    if (request.op === 'hello') return send(options.hello ? options.hello(request) : { id: request.id, ok: true, result: INFO });
    if (request.op === 'begin_scenario') {
      send({ id: request.id, ok: true, result: {} });
      return options.afterBegin && options.afterBegin();
    }
    if (request.op === 'stop') {
      send({ id: request.id, ok: true, result: {} });
      return process.exit(0);
    }
    return misbehave(request, send);
  });
  lines.on('close', () => process.exit(0));
}

module.exports = { INFO, serve, send };
