// npm run bench:estimate — chipwatch vs Squiggle on the bundled smuggling-2024 model, in one run.
// For 10k, 100k and 1M samples: whole-process wall time (median of REPEAT runs, each a fresh `node`
// process, as a user would run it; the two engines' runs alternate, so both see the machine in the same
// state), peak memory, the ratio, and chipwatch's in-process engine time (evaluate + summaries, warm;
// streamed as the timed command runs, and with every sample stored as --csv, --plot and the histogram
// need). It also checks both engines agree on the median of `smuggled` within Monte Carlo error.
//
// Each timed process starts after a pause (BENCH_SETTLE_MS, default 1000): for about a second after a
// process frees a lot of memory (Squiggle's 1M run frees ~600 MB) fresh pages cost more, and the next
// process would pay for it. Results and the machine they ran on: docs/performance.md, Estimator.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { availableParallelism, loadavg, totalmem } from 'node:os';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);
const SIZES = (process.env.BENCH_SIZES ?? '10000,100000,1000000').split(',').map(Number);
const MODEL = join(root, 'models', 'smuggling-2024.sq');
const preload = join(root, 'bench', 'lib', 'report-rss.cjs');

// The timed processes run without NODE_EXTRA_CA_CERTS when the environment sets it: Node reads and parses
// that certificate file at every start, before any of the process's own code, the same for both engines
// and part of neither. BENCH_KEEP_ENV=1 times them with the environment as it is.
const childEnv = { ...process.env };
const dropped = process.env.BENCH_KEEP_ENV === '1' ? [] : ['NODE_EXTRA_CA_CERTS'].filter((k) => k in childEnv);
for (const k of dropped) delete childEnv[k];

const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 1000);
const settle = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, SETTLE_MS);

function timed(args) {
  settle();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--require', preload, ...args], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: childEnv,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed:\n${r.stderr}`);
  const kb = Number(/__maxrss_kb=(\d+)/.exec(r.stderr)?.[1] ?? NaN);
  return { ms, mb: kb / 1024, stdout: r.stdout };
}

const median = (runs) => runs.sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)];

/** The median run of each command, the commands run in turn REPEAT times. */
function medianRuns(...commands) {
  const runs = commands.map(() => []);
  for (let i = 0; i < REPEAT; i++) {
    for (const [c, args] of commands.entries()) runs[c].push(timed(args));
  }
  return runs.map(median);
}

const { runEstimate, loadModel, quantiles } = await import(join(root, 'dist', 'estimate', 'index.js'));
const source = loadModel('smuggling-2024').source;

// keepSamples false is what the timed command (`--json`, no --csv/--plot) runs: summaries streamed.
function engineMs(samples, keepSamples) {
  runEstimate({ model: 'bench', source, samples: Math.min(samples, 300_000), seed: 99, keepSamples }); // warm the JIT
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    runEstimate({ model: 'bench', source, samples, seed: 1 + i, keepSamples });
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[2];
}

const fmt = (x, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
// The figures hold for the machine they ran on: say which, and how busy it was.
const load = () => loadavg()[0].toFixed(1);
console.log(
  `machine: ${availableParallelism()} cores, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, ` +
    `load average ${load()} at the start`,
);
console.log(`smuggling-2024: chipwatch vs Squiggle (@quri/squiggle-lang), whole process, median of ${REPEAT} runs`);
console.log(
  dropped.length
    ? `timed processes run without ${dropped.join(', ')} ` +
        '(node parses that file at every start, for both engines alike; BENCH_KEEP_ENV=1 keeps it)\n'
    : 'timed processes run with this environment as it is' +
        `${'NODE_EXTRA_CA_CERTS' in process.env ? ' (NODE_EXTRA_CA_CERTS included)' : ''}\n`,
);
console.log(
  [
    'samples',
    'squiggle s',
    'chipwatch s',
    'speed-up',
    'squiggle MB',
    'chipwatch MB',
    'engine ms',
    'stored ms',
    'p50 squiggle',
    'p50 chipwatch',
    'agree',
  ]
    .map((h) => h.padStart(13))
    .join(''),
);
let failures = 0;
let SQ1M = NaN;
let ratio1M = NaN;
let engine1M = NaN;
for (const n of SIZES) {
  const [sq, cw] = medianRuns(
    [join(root, 'bench', 'lib', 'squiggle-run.mjs'), MODEL, String(n), 'smuggled'],
    [join(root, 'bin', 'chipwatch.js'), 'estimate', 'smuggling-2024', '--samples', String(n), '--json'],
  );
  if (n === 1_000_000) SQ1M = sq.ms;
  const sqP50 = JSON.parse(sq.stdout).p50;
  const cwRes = JSON.parse(cw.stdout);
  const cwP50 = cwRes.outputs.smuggled.p50;
  // Monte Carlo error of a median: sqrt(0.25 / n) / density; density from chipwatch's own samples.
  const ev = runEstimate({ model: 'bench', source, samples: n, seed: 1 }).evaluation.outputs.get('smuggled');
  const [lo, hi] = quantiles(ev, [0.48, 0.52]);
  const se = Math.sqrt(0.25 / n) / (0.04 / (hi - lo));
  const agree = Math.abs(sqP50 - cwP50) < 5 * Math.SQRT2 * se;
  if (!agree) failures++;
  const eng = engineMs(n, false);
  if (n === 1_000_000) [ratio1M, engine1M] = [sq.ms / cw.ms, eng];
  const stored = engineMs(n, true);
  console.log(
    [
      fmt(n),
      fmt(sq.ms / 1000, 3),
      fmt(cw.ms / 1000, 3),
      fmt(sq.ms / cw.ms, 1) + '×',
      fmt(sq.mb),
      fmt(cw.mb),
      fmt(eng, 1),
      fmt(stored, 1),
      fmt(sqP50),
      fmt(cwP50),
      agree ? 'yes' : 'NO',
    ]
      .map((c) => String(c).padStart(13))
      .join(''),
  );
}
// Floors on this machine, measured now: a bare node process (no run can beat it), and a node process
// that only writes as many fresh 1M-sample arrays as the model has outputs — the page faults a run
// with stored samples (--csv, --plot, histogram) pays in a fresh process ;
// the streamed --json run above does not store them.
const outputsCount = runEstimate({ model: 'bench', source, samples: 10, seed: 1 }).evaluation.outputs.size;
const floorScript = `for (let o = 0; o < ${outputsCount}; o++) new Float64Array(1e6).fill(1)`;
const [bare, floor] = medianRuns(['-e', '0'], ['-e', floorScript]);
console.log(
  `\nfloors: bare node process ${fmt(bare.ms / 1000, 3)} s (Squiggle's 1M / this = ${fmt(SQ1M / bare.ms, 1)}×); ` +
    `node writing ${outputsCount} × 1M fresh doubles ${fmt(floor.ms / 1000, 3)} s (${fmt(SQ1M / floor.ms, 1)}×)`,
);
console.log(
  'targets at 1M samples: ≥ 20× faster than Squiggle counting whole process time; engine time < 100 ms' +
    (Number.isNaN(ratio1M)
      ? ''
      : ` — this run: ${fmt(ratio1M, 1)}× (${ratio1M >= 20 ? 'met' : 'not met'}), ` +
        `${fmt(engine1M, 1)} ms (${engine1M < 100 ? 'met' : 'not met'})`),
);
console.log('agree: |p50 difference| < 5·√2 Monte Carlo standard errors of a median');

// One thread against two (the default switches at 5,000,000 samples: src/estimate/threads/thread-count.ts),
// streamed (--json) and stored (the histogram keeps every sample).
const THREAD_SIZES = (process.env.BENCH_THREAD_SIZES ?? '1000000,5000000,10000000')
  .split(',')
  .filter(Boolean)
  .map(Number);
if (THREAD_SIZES.length) {
  console.log('\nthreads: whole process, median of ' + REPEAT + ' runs, one thread / two threads');
  console.log(['samples', 'streamed 1', 'streamed 2', 'stored 1', 'stored 2'].map((h) => h.padStart(13)).join(''));
  for (const n of THREAD_SIZES) {
    const run = (threads, ...extra) => [
      join(root, 'bin', 'chipwatch.js'),
      'estimate',
      '-n',
      String(n),
      '--threads',
      String(threads),
      ...extra,
    ];
    const [s1, s2, h1, h2] = medianRuns(run(1, '--json'), run(2, '--json'), run(1), run(2));
    console.log(
      [fmt(n), ...[s1, s2, h1, h2].map((r) => fmt(r.ms / 1000, 3))].map((c) => String(c).padStart(13)).join(''),
    );
  }
}
console.log(`load average ${load()} at the end`);
process.exitCode = failures ? 1 : 0;
