#!/usr/bin/env node
'use strict';
// Entry point for the `chipwatch` command. The TypeScript sources are compiled to dist/ and the CLI
// bundled into dist/bundle/main.cjs by `npm ci` (the package's `prepare` script); this shim loads it
// through V8's code cache (code-cache.js). CommonJS (bin/package.json), so a command does not start
// Node's ES-module loader either.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { loadBundle, writeCodeCache, writeRequested } = require('./code-cache.js');

const main = join(__dirname, '..', 'dist', 'bundle', 'main.cjs');
if (!existsSync(main)) {
  process.stderr.write('chipwatch: not built yet; run `npm ci` (or `npm run build`) in the checkout first\n');
  process.exit(1);
}
// `chipwatch ... | head` closes the pipe early: stop quietly instead of crashing on EPIPE. (Here, in
// the process's entry point, not in run(), which tests call many times in one process.)
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
const cli = loadBundle(main);
cli.exports.run(process.argv).then((code) => {
  process.exitCode = code;
  if (writeRequested() && code === 0) writeCodeCache(main, cli); // the build's warm-up run
});
