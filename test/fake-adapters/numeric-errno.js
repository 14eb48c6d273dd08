// Answers every operation with an errno as a number (22) instead of its name.
'use strict';
require('./fake').serve((request, send) => send({ id: request.id, ok: false, errno: 22 }));
