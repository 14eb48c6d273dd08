// Exits with status 0, cleanly but too early: right after answering begin_scenario.
'use strict';
require('./fake').serve(() => undefined, {
  afterBegin: () => {
    process.stderr.write('fake adapter: done, bye\n');
    process.exit(0);
  },
});
