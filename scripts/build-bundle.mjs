// Bundles the CLI (src/app/main.ts and everything it imports, lazily loaded domains included) into one
// CommonJS file, dist/bundle/main.cjs (run by `npm run build`, after tsc), and writes its V8 code cache;
// and each of the estimator's worker threads into one file of its own.
// A command then reads one file and deserialises its bytecode instead of resolving, reading, parsing
// and compiling ~45 ES modules: start-up is part of every command's time. Lazily imported domains stay
// lazy: esbuild wraps each module in an initialiser that runs on first import. Whitespace and syntax
// are minified (names stay, and a source map is written).
import { build } from 'esbuild';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const root = new URL('../', import.meta.url);
// Small pure-JavaScript packages every command loads are bundled in (commander alone is seven modules);
// every other package stays external and is required from node_modules when a command needs it.
// ESM-only packages (any-ascii) must be bundled too: esbuild's CommonJS interop turns `require()` of
// one into an object whose `default` is the module namespace, not the export (check below).
const BUNDLED = new Set(['commander', 'fastest-levenshtein', 'any-ascii', '@scure/bip39']);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const EXTERNAL = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
  .filter((d) => !BUNDLED.has(d))
  .flatMap((d) => [d, `${d}/*`]);
const outdir = new URL('dist/bundle/', root);
const mainFile = fileURLToPath(new URL('main.cjs', outdir));
rmSync(outdir, { recursive: true, force: true });

// The bundle is compiled by vm.Script (bin/code-cache.js), where import() has no module loader to call
// (and functions restored from a code cache could not call it anyway). So an import() of an external
// package (loaded lazily: pino, zod, cli-progress) becomes an import() of a one-line module bundled in,
// `module.exports = require(pkg)`: still loaded on first use, through require. Every package is
// CommonJS or dual; the check after the build makes sure no import() of an external is left.
const requireExternals = {
  name: 'require-external-dynamic-imports',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'dynamic-import' || args.path.startsWith('.')) return undefined;
      return { path: args.path, namespace: 'required-external' };
    });
    b.onLoad({ filter: /.*/, namespace: 'required-external' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

// commander requires node:child_process at load, for executable subcommands chipwatch does not have;
// loading it (with net, dgram and streams) was ~2 ms of every command. Bundled commander gets a
// stand-in that requires the real module on first use.
const lazyChildProcessForCommander = {
  name: 'lazy-child-process-for-commander',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) => {
      if (!/[\\/]node_modules[\\/]commander[\\/]/.test(args.importer)) return undefined;
      return { path: 'child_process', namespace: 'lazy-builtin' };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, () => ({
      contents:
        "let real; module.exports = new Proxy({}, { get: (_, key) => (real ??= require('node:child_process'))[key] });",
      loader: 'js',
    }));
  },
};

const MODULE_URL = "const __chipwatchModuleUrl = require('node:url').pathToFileURL(__filename).href;";
const common = {
  outdir: fileURLToPath(outdir),
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  // The sources locate files relative to their own module (src/paths.ts walks up to package.json).
  define: { 'import.meta.url': '__chipwatchModuleUrl' },
  logLevel: 'warning',
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked', // stack traces map back with node --enable-source-maps
  plugins: [requireExternals, lazyChildProcessForCommander],
  metafile: true,
};
const results = await Promise.all([
  // The CLI: a CommonJS module written inside its wrapper function, the one Node's loader would put
  // around it (Module.wrap), so bin/code-cache.js compiles the file's text as it is. Wrapping it at load
  // time made V8 flatten a second 0.5 MB copy of the source: 16.6 against 12.5 ms to load the bundle,
  // medians of 20 alternating runs. (`require` of this file would only evaluate the function: nothing
  // but code-cache.js loads it.)
  build({
    ...common,
    entryPoints: { main: fileURLToPath(new URL('src/app/main.ts', root)) },
    banner: {
      js:
        `/* chipwatch CLI: run by bin/code-cache.js */ (function (exports, require, module, __filename, __dirname) ` +
        `{ ${MODULE_URL}`,
    },
    footer: { js: '\n})' },
  }),
  // Worker threads (src/estimate/threads/bundled-worker.ts): streamed and stored runs on several threads, and
  // the server's estimate thread; ordinary CommonJS files, which new Worker() loads.
  build({
    ...common,
    entryPoints: {
      'stream-worker': fileURLToPath(new URL('src/estimate/threads/stream-worker.ts', root)),
      worker: fileURLToPath(new URL('src/estimate/threads/worker.ts', root)),
      'run-worker': fileURLToPath(new URL('src/estimate/threads/run-worker.ts', root)),
      'locate-worker': fileURLToPath(new URL('src/verify/locate-worker.ts', root)), // the server's work pool
      'intake-worker': fileURLToPath(new URL('src/registry/intake-worker.ts', root)), // the server's work pool
      'intel-names-worker': fileURLToPath(new URL('src/intel/resolve/names-worker.ts', root)), // work pool
      'scrub-worker': fileURLToPath(new URL('src/tips/scrub/worker.ts', root)), // work pool: the tip form
      'read-thread-worker': fileURLToPath(new URL('src/registry/read-thread-worker.ts', root)), // CLI import
    },
    banner: { js: MODULE_URL },
  }),
]);
const leftover = results
  .flatMap((r) => Object.values(r.metafile.outputs))
  .flatMap((o) => o.imports)
  .filter((i) => i.kind === 'dynamic-import');
if (leftover.length > 0)
  throw new Error(`build-bundle: import() left in the bundle: ${leftover.map((i) => i.path).join(', ')}`);

// A require() of an external that resolves to an ES module breaks at run time (`x.default is not a
// function`): such a package must be in BUNDLED. Resolved as Node's require() would, from the bundle.
const requireFromRoot = createRequire(new URL('dist/bundle/', root));
const externals = new Set(
  results
    .flatMap((r) => Object.values(r.metafile.outputs))
    .flatMap((o) => o.imports)
    .filter((i) => i.external && !i.path.startsWith('node:'))
    .map((i) => i.path),
);
const esmOnly = [...externals].filter((spec) => isEsModuleFile(requireFromRoot.resolve(spec)));
if (esmOnly.length > 0) {
  throw new Error(
    `build-bundle: require() of ES-module-only packages left in the bundle: ${esmOnly.join(', ')} ` +
      '(add them to BUNDLED in scripts/build-bundle.mjs)',
  );
}

// The code cache: V8's bytecode for what a typical command compiles, taken after estimates on one
// thread and on two (the command whose start-up matters most: see docs/estimate.md, Performance). The
// second run starts from the first one's cache, and the cache it writes keeps what either compiled.
for (const args of [
  ['--samples', '1000000', '--threads', '2'],
  ['--samples', '2000'],
]) {
  const warm = spawnSync(
    process.execPath,
    [fileURLToPath(new URL('bin/chipwatch.js', root)), 'estimate', ...args, '--json'],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, CHIPWATCH_WRITE_CODE_CACHE: '1' },
    },
  );
  if (warm.status !== 0)
    throw new Error(`build-bundle: the warm-up run for the code cache failed (exit ${warm.status})`);
}
if (!existsSync(`${mainFile}.cache`)) throw new Error('build-bundle: the warm-up runs wrote no code cache');

/** Whether Node loads a file as an ES module: .mjs, or .js under a package.json with "type": "module". */
function isEsModuleFile(file) {
  if (file.endsWith('.mjs')) return true;
  if (!file.endsWith('.js')) return false;
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')).type === 'module';
  }
  return false;
}
