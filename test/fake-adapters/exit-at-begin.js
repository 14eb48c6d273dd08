// Answers hello after 1.5 s, then exits at every begin_scenario.
'use strict';
const { INFO, send } = require('./fake');
require('node:readline').createInterface({ input: process.stdin }).on('line', (line) => {
  const request = JSON.parse(line);
  if (request.op === 'hello') setTimeout(() => send({ id: request.id, ok: true, result: INFO }), 1500);
  else process.exit(1);
});
