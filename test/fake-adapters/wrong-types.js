// Answers with the right shape but wrong types: entries as a string (or, with
// "hello", roles as a string and no kernel release).
'use strict';
const fake = require('./fake');
fake.serve((request, send) => send({ id: request.id, ok: true, result: { entries: 'mtty' } }), {
  hello: process.argv[2] === 'hello'
    ? (request) => ({ id: request.id, ok: true, result: { ...fake.INFO, roles: 'mdev', platform: { arch: 'x86_64', byte_order: 'little' } } })
    : undefined,
});
