// Answers hello and begin_scenario, then dies of an uncaught exception on the first operation.
'use strict';
require('./fake').serve((request) => {
  process.stderr.write(`fake adapter: handling ${request.op}\n`);
  throw new Error(`fake adapter: no handler wired for ${request.op}`);
});
