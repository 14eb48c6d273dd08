// A ts-node transpiler (tsconfig.json, "ts-node"."transpiler") that is
// TypeScript's own transpileModule with a disk cache: every process of the
// suite (each run, each test file, each adapter) used to transpile the same
// ~150 files again, most of a short run's time. An entry is keyed by the
// TypeScript version, the compiler options, the file's path and its text, so
// an edited file or option never meets a stale entry. The output is the text
// TypeScript gives, so ts-node's source maps and stack traces are unchanged.
// Plain JavaScript: it is what loads the TypeScript.
'use strict';
const { createHash } = require('node:crypto');
const { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const CACHE = join(__dirname, '..', '..', 'node_modules', '.cache', 'vfio-tck-ts');
const WEEK_MS = 7 * 24 * 3600 * 1000;
let pruned = false;

// Sources change: when a process first transpiles, it drops entries nobody wrote for a week.
function prune() {
  pruned = true;
  try {
    for (const name of readdirSync(CACHE)) {
      const file = join(CACHE, name);
      if (Date.now() - statSync(file).mtimeMs > WEEK_MS) rmSync(file, { force: true });
    }
  } catch {
    // nothing cached yet
  }
}

exports.create = function create({ service }) {
  const ts = require('typescript');
  const compilerOptions = service.config.options;
  const salt = `${ts.version}\0${JSON.stringify(compilerOptions)}\0`;
  return {
    transpile(input, { fileName }) {
      const key = createHash('sha256').update(salt).update(fileName).update('\0').update(input).digest('hex');
      const file = join(CACHE, `${key}.json`);
      try {
        return JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        // not cached yet (or unreadable): transpile
      }
      if (!pruned) prune();
      const result = ts.transpileModule(input, { fileName, compilerOptions, reportDiagnostics: true });
      if (result.diagnostics && result.diagnostics.length) return result; // ts-node reports them; never cached
      const output = { outputText: result.outputText, sourceMapText: result.sourceMapText };
      try {
        // Another process may write the same entry: each writes its own file, then renames it into place.
        mkdirSync(CACHE, { recursive: true });
        const temp = `${file}.${process.pid}.tmp`;
        writeFileSync(temp, JSON.stringify(output));
        renameSync(temp, file);
      } catch {
        // a cache that cannot be written only costs time
      }
      return output;
    },
  };
};
