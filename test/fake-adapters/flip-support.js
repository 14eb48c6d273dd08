// Answers sysfs_list with ENOENT in the first scenario and "unsupported" in
// every later one: the same operation answered both ways in one run.
'use strict';
let scenarios = 0;
require('./fake').serve((request, send) => {
  if (scenarios === 1) return send({ id: request.id, ok: false, errno: 'ENOENT' });
  return send({ id: request.id, ok: false, unsupported: { reason: 'sysfs_list is not done today' } });
}, { afterBegin: () => scenarios++ });
