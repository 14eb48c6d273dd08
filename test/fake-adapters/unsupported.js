// Answers every operation "unsupported", with a reason and an issue link.
'use strict';
require('./fake').serve((request, send) => send({
  id: request.id,
  ok: false,
  unsupported: { reason: `this adapter has no ${request.op} yet`, issue: 'https://example.org/issues/7' },
}));
