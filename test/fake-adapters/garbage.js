// Answers an operation with a line that is not JSON.
'use strict';
require('./fake').serve((request, send) => send(`DEBUG: ${request.op} called`));
