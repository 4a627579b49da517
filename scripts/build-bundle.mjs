// Bundles the CLI (src/cli/main.ts and what it imports, lazily loaded modules as separate chunks) into
// dist/bundle/ (run by `npm run build`, after tsc). A command then loads a handful of files instead of
// ~45 modules: each ESM module costs Node ~1 ms to resolve, read and link, and start-up is part of
// every command's time. Packages from node_modules stay external; worker threads load dist/ itself.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const outdir = new URL('dist/bundle/', root).pathname;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [new URL('src/cli/main.ts', root).pathname],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  outdir,
  logLevel: 'warning',
});
