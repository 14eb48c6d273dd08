// Answers with an unknown field nested 100 000 levels deep.
'use strict';
require('./fake').serve((request) => {
  const depth = 100000;
  process.stdout.write(`{"id":${request.id},"ok":true,"result":{"entries":[],"x":${'['.repeat(depth)}${']'.repeat(depth)}}}\n`);
});
