// Starts a child in a session of its own (setsid, which a kill of the
// adapter's process group cannot reach) that keeps the adapter's stdout and
// stderr open and runs for ever; otherwise answers every operation ENOENT.
//   node setsid.js          the adapter
//   node setsid.js child    the child it leaves behind
'use strict';
const { spawn } = require('node:child_process');

if (process.argv[2] === 'child') {
  setInterval(() => undefined, 1000);
} else {
  // detached: the child calls setsid(); stdio inherited: it holds the pipes.
  spawn(process.execPath, [__filename, 'child'], { detached: true, stdio: 'inherit' }).unref();
  require('./fake').serve((request, send) => send({ id: request.id, ok: false, errno: 'ENOENT' }));
}
