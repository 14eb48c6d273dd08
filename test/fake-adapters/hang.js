// Never answers: the first operation (or, with "hello", the start exchange) hangs.
'use strict';
if (process.argv[2] === 'hello') {
  process.stderr.write('fake adapter: waiting for a device that never comes\n');
  setInterval(() => undefined, 60_000);
} else {
  require('./fake').serve((request) => {
    process.stderr.write(`fake adapter: ${request.op} is stuck in the kernel\n`);
  });
}
