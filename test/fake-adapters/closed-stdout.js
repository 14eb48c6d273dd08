// Closes its stdout at the first operation and goes on running.
'use strict';
const { closeSync } = require('node:fs');
require('./fake').serve(() => {
  closeSync(1);
  setInterval(() => undefined, 1000);
});
