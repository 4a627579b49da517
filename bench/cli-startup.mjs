// Cold whole-command times of the CLI three ways, runs alternating so background load hits each alike:
// (a) bin/chipwatch.js: the bundle through its V8 code cache, (b) the same bundle without a cache,
// (c) the plain tsc output dist/app/main.js (no bundle). Medians of wall time and of max RSS.
// Run after `npm run build`: node bench/cli-startup.mjs [runs] (default 11). It copies dist/ first, so
// a rebuild while it runs does not mix two builds.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? 11);
const COMMANDS = [
  ['estimate', '--json'],
  ['estimate', '-n', '1000000', '--json'],
  ['--help'],
  ['screen', 'Huawei Technologies', '--json'],
];

/** A copy of the package: bin/ and dist/ copied, the rest linked; `cache: false` drops the code cache. */
function packageCopy(cache) {
  const dir = mkdtempSync(join(tmpdir(), 'cw-startup-'));
  for (const d of ['node_modules', 'data', 'models', 'migrations', 'package.json'])
    symlinkSync(join(root, d), join(dir, d));
  cpSync(join(root, 'bin'), join(dir, 'bin'), { recursive: true });
  cpSync(join(root, 'dist'), join(dir, 'dist'), { recursive: true });
  if (!cache) rmSync(join(dir, 'dist', 'bundle', 'main.cjs.cache'));
  writeFileSync(
    join(dir, 'plain.mjs'),
    "import { run } from './dist/app/main.js';\nprocess.exitCode = await run(process.argv);\n",
  );
  return dir;
}
const withCache = packageCopy(true);
const noCache = packageCopy(false);
const VARIANTS = {
  'bundle + code cache': [join(withCache, 'bin', 'chipwatch.js')],
  'bundle, no code cache': [join(noCache, 'bin', 'chipwatch.js')],
  'tsc output, no bundle': [join(withCache, 'plain.mjs')],
};

const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS; // the sandbox's CA bundle costs every process ~10 ms at start
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cwd = mkdtempSync(join(tmpdir(), 'cw-startup-cwd-'));

for (const args of COMMANDS) {
  const times = Object.fromEntries(Object.keys(VARIANTS).map((v) => [v, { ms: [], rssMb: [] }]));
  for (let i = 0; i < runs + 1; i++) {
    for (const [name, entry] of Object.entries(VARIANTS)) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...entry, ...args], {
        cwd,
        env,
        encoding: 'utf8',
      });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r.status !== 0) throw new Error(`${name} ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
      if (i === 0) continue; // the first round warms the page cache
      times[name].ms.push(ms);
      times[name].rssMb.push(Number(r.stderr.trim().split('\n').pop()) / 1024);
    }
  }
  console.log(`chipwatch ${args.join(' ')}`);
  for (const [name, t] of Object.entries(times)) {
    const ms = median(t.ms).toFixed(1).padStart(7);
    console.log(`  ${name.padEnd(24)} ${ms} ms  ${median(t.rssMb).toFixed(0).padStart(4)} MB max RSS`);
  }
}
for (const d of [withCache, noCache, cwd]) rmSync(d, { recursive: true, force: true });
