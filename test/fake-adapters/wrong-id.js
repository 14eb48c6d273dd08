// Answers an operation with an id that is not the request's.
'use strict';
require('./fake').serve((request, send) => send({ id: request.id + 1, ok: false, errno: 'ENOENT' }));
