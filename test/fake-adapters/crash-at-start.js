// Fails before it can answer hello, as an adapter does when its device is missing.
'use strict';
process.stderr.write('fake adapter: cannot open /dev/vfio/vfio: No such file or directory\n');
process.exit(3);
