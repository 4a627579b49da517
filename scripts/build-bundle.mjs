// Bundles the CLI (src/cli/main.ts and what it imports, lazily loaded modules as separate chunks) into
// dist/bundle/ (run by `npm run build`, after tsc). A command then loads a handful of files instead of
// ~45 modules: each ESM module costs Node ~1 ms to resolve, read and link, and start-up is part of
// every command's time. Whitespace and syntax are minified (a third of the source to read and compile
// at each start; names stay, and a source map is written). Worker threads load dist/ itself.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const root = new URL('../', import.meta.url);
// Small pure-JavaScript packages every command loads are bundled in (commander alone is seven modules
// and an ESM wrapper over CommonJS); every other package stays external.
const BUNDLED = new Set(['commander', 'fastest-levenshtein']);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const EXTERNAL = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((d) => !BUNDLED.has(d)).flatMap((d) => [d, `${d}/*`]);
const outdir = new URL('dist/bundle/', root).pathname;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [new URL('src/cli/main.ts', root).pathname],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  // Bundled CommonJS (commander) requires Node's built-in modules: give the ESM chunks a require.
  banner: { js: "import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);" },
  outdir,
  logLevel: 'warning',
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked', // stack traces map back with node --enable-source-maps
});
