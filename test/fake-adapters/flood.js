// Floods stdout: "line" writes without ever ending the line; "lines" answers,
// then keeps writing answers nobody asked for.
'use strict';
const mode = process.argv[2] || 'line';
require('./fake').serve((request, send) => {
  if (mode === 'line') {
    const chunk = 'x'.repeat(64 * 1024);
    const pour = () => { while (process.stdout.write(chunk)); process.stdout.once('drain', pour); };
    process.stdout.write(`{"id":${request.id},"ok":true,"result":{"entries":["`);
    pour();
  } else {
    const answers = [];
    for (let i = 0; i <= 1000; i++) answers.push(JSON.stringify({ id: request.id + i, ok: false, errno: 'ENOENT' }));
    process.stdout.write(`${answers.join('\n')}\n`);
  }
});
