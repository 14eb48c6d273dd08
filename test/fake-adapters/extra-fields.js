// Answers correctly, but with fields the protocol does not have: the suite
// accepts them, and its validate mode reports each one.
'use strict';
const fake = require('./fake');
fake.serve((request, send) => send({ id: request.id, ok: true, result: { entries: [], size: 3 }, took_ms: 1 }), {
  hello: (request) => ({ id: request.id, ok: true, result: { ...fake.INFO, vendor: 'example' } }),
});
