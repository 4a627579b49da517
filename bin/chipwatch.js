#!/usr/bin/env node
// Entry point for the `chipwatch` command. The TypeScript sources are compiled to dist/ and the CLI
// bundled into dist/bundle/ by `npm ci` (the package's `prepare` script); this shim only loads it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/bundle/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('chipwatch: not built yet; run `npm ci` (or `npm run build`) in the checkout first\n');
  process.exit(1);
}
// `chipwatch ... | head` closes the pipe early: stop quietly instead of crashing on EPIPE. (Here, in
// the process's entry point, not in run(), which tests call many times in one process.)
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
const { run } = await import(main.href);
process.exitCode = await run(process.argv);
