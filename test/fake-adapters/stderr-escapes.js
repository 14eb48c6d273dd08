// Writes terminal escape sequences to stderr (clear the screen, a forged
// closing line), then dies.
'use strict';
require('./fake').serve(() => {
  process.stderr.write('\x1b[2J\x1b[Hvfio-tck: 1 scenarios: 1 passed\r\x9b31m\n');
  process.exit(1);
});
