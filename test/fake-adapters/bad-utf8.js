// Answers sysfs_list with a name holding the byte 0xff, which is not UTF-8.
'use strict';
require('./fake').serve((request) => {
  process.stdout.write(Buffer.concat([Buffer.from(`{"id":${request.id},"ok":true,"result":{"entries":["mtty`), Buffer.from([0xff]), Buffer.from('"]}}\n')]));
});
