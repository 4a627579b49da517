// npm run bench:screen — quality and speed of restricted-party screening against the full CSL plus
// OFAC SDN (with alt.csv aliases) shipped in data/screening.
// Quality: the labelled set of bench/screen-labelled.ts (fixed seed; the generators import nothing of the
// matcher); precision, recall and F1 at the default review threshold on the test split, recall per class,
// beside a naive baseline (fastest-levenshtein over every listed name, full scan) whose threshold is chosen
// on the validation split, in the same run. False alarms: the real, unlisted companies of
// bench/data/unlisted-companies.csv. Then a PASS/FAIL line per target of issue 15 (bench/screen-targets.ts).
// Flags: --quick (a quarter of the set), --misses N, --check (exit 1 on a FAIL), --no-command.
// Speed: queries per second on one core (process CPU time, so a loaded machine does not flatter or
// punish it), single-threaded, against the full index.
import { distance } from 'fastest-levenshtein';
import anyAscii from 'any-ascii';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIndex, DEFAULT_CONFIG, Screener, type ListEntry, type ScreenResult } from '../src/screening/index.js';
import { loadShippedSnapshot } from '../src/screening/lists/snapshot.js';
import { DATA_DIR } from '../src/paths.js';
import {
  buildLabelledSet,
  Containment,
  containmentHits,
  FULL_SET,
  QUICK_SET,
  tellingWords,
  wordCounts,
  type Labelled,
} from './screen-labelled.js';
import { rng } from './screen-variants.js';
import { readUnlisted, UNLISTED_CSV } from './screen-unlisted.js';
import { reportTargets, targetLines } from './screen-targets.js';
import { timeCommand } from './lib/whole-command.mjs';

const SEED = 20260401;
const quick = process.argv.includes('--quick');
// --no-command: skip the whole-command part (the built bin), e.g. in a test of the bench itself.
const noCommand = process.argv.includes('--no-command');

function cpuSeconds(f: () => void): { cpu: number; wall: number } {
  const c = process.cpuUsage();
  const t = performance.now();
  f();
  const u = process.cpuUsage(c);
  return { cpu: (u.user + u.system) / 1e6, wall: (performance.now() - t) / 1000 };
}

interface Outcome {
  flagged: boolean;
  correct: boolean;
  returned: number;
  returnedCorrect: number;
}

function metrics(labelled: readonly Labelled[], outcomes: readonly Outcome[]) {
  let tp = 0;
  let flagged = 0;
  let positives = 0;
  let ret = 0;
  let retOk = 0;
  labelled.forEach((l, i) => {
    const o = outcomes[i];
    if (l.targets.length) positives++;
    if (o.flagged) flagged++;
    if (o.flagged && o.correct) tp++;
    ret += o.returned;
    retOk += o.returnedCorrect;
  });
  const precision = flagged ? tp / flagged : 1;
  const recall = positives ? tp / positives : 1;
  return {
    precision,
    recall,
    f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    pairPrecision: ret ? retOk / ret : 1,
    n: labelled.length,
    positives,
  };
}

function judge(l: Labelled, matchedIds: string[]): Outcome {
  const ok = new Set(l.targets);
  const good = matchedIds.filter((id) => ok.has(id)).length;
  return { flagged: matchedIds.length > 0, correct: good > 0, returned: matchedIds.length, returnedCorrect: good };
}

const fmt = (x: number) => x.toFixed(3);

function report(label: string, m: ReturnType<typeof metrics>) {
  console.log(
    `${label.padEnd(44)} P=${fmt(m.precision)} R=${fmt(m.recall)} F1=${fmt(m.f1)}  ` +
      `pair-P=${fmt(m.pairPrecision)}  (n=${m.n}, positives=${m.positives})`,
  );
}

// ---- start-up: the shipped snapshot parsed from CSV (cold) and from the prepared cache (warm)
const cacheDir = mkdtempSync(join(tmpdir(), 'cw-bench-screen-'));
let full: ListEntry[] = [];
const cold = cpuSeconds(() => {
  const p = loadShippedSnapshot(DATA_DIR, cacheDir);
  buildIndex(p.entries, p.names);
});
const warm = cpuSeconds(() => {
  const p = loadShippedSnapshot(DATA_DIR, cacheDir);
  full = p.entries;
  buildIndex(p.entries, p.names);
});
rmSync(cacheDir, { recursive: true, force: true });
console.log(
  `start-up (load lists + build index): cold ${cold.wall.toFixed(2)} s wall / ${cold.cpu.toFixed(2)} s CPU ` +
    `(parse CSV, normalise, write cache); warm ${warm.wall.toFixed(2)} s wall / ${warm.cpu.toFixed(2)} s CPU ` +
    '(prepared cache)',
);
const set = buildLabelledSet(full, rng(SEED), quick ? QUICK_SET : FULL_SET);
const benchEntries = full.filter((e) => !set.heldOut.has(e.id));
const byId = new Map(full.map((e) => [e.id, e]));
console.log(`lists: ${full.length} entries (CSL 2022-05 + OFAC SDN 2024-05 + alt)`);
const kinds = new Map<string, number>();
for (const q of set.queries) kinds.set(q.kind, (kinds.get(q.kind) ?? 0) + 1);
console.log(
  `labelled set (seed ${SEED}): ${set.queries.length} queries — ` +
    `${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}; ${set.heldOut.size} entries held out of the index`,
);

// ---- ours
let index = buildIndex(benchEntries);
// Report everything down to 0.6 so thresholds below the default band can be swept; metrics at the
// default band filter at DEFAULT_CONFIG.bands.review, which is exactly what the product reports.
const screener = new Screener(index, { ...DEFAULT_CONFIG, bands: { review: 0.6, match: DEFAULT_CONFIG.bands.match } });
const ours: ScreenResult[] = set.queries.map((q) => screener.screen({ name: q.name }));
const at = (threshold: number) =>
  ours.map((r, i) =>
    judge(
      set.queries[i],
      r.matches.filter((m) => m.score >= threshold).map((m) => m.entryId),
    ),
  );
const split = (s: Labelled['split']) => set.queries.map((q, i) => [q, i] as const).filter(([q]) => q.split === s);
const sub = (s: Labelled['split'], out: Outcome[]) => {
  const ix = split(s);
  return metrics(
    ix.map(([q]) => q),
    ix.map(([, i]) => out[i]),
  );
};

console.log(`\nquality at the default review threshold ${DEFAULT_CONFIG.bands.review} (decision != clear):`);
const def = at(DEFAULT_CONFIG.bands.review);
report('ours, test split', sub('test', def));
report('ours, validation split', sub('validation', def));
let bestT = 0;
let bestF = -1;
for (let k = 70; k <= 99; k++) {
  const t = k / 100;
  const f = sub('validation', at(t)).f1;
  if (f > bestF) {
    bestF = f;
    bestT = t;
  }
}
console.log(
  `  (the validation split's best-F1 threshold is ${bestT.toFixed(2)}; ` +
    `on test it gives F1=${fmt(sub('test', at(bestT)).f1)})`,
);
// The rule the default review band was set by: best validation F1 among thresholds with validation recall >= 0.978.
let ruleT = 0.7;
let ruleF = -1;
for (let k = 70; k <= 99; k++) {
  const t = k / 100;
  const m = sub('validation', at(t));
  if (m.recall >= 0.978 && m.f1 > ruleF) {
    ruleF = m.f1;
    ruleT = t;
  }
}
console.log(
  `  (rule for the default band — best validation F1 with validation recall >= 0.978 — picks ${ruleT.toFixed(2)})`,
);
// Recall per class on the test split (false-alarm rate for the negative classes), with the class's size in
// the whole set; `--misses N` prints up to N missed test queries per class with the best candidate.
const missAt = process.argv.indexOf('--misses');
const missN = missAt > 0 ? Number(process.argv[missAt + 1]) || 0 : 0;
const perClass: { kind: string; recall: number; n: number }[] = [];
console.log('\nper class, test split (the class size over both splits in brackets):');
for (const k of [...new Set(set.queries.map((q) => q.kind))]) {
  const ix = split('test').filter(([q]) => q.kind === k);
  const m = metrics(
    ix.map(([q]) => q),
    ix.map(([, i]) => def[i]),
  );
  const flaggedShare = ix.filter(([, i]) => def[i].flagged).length / Math.max(1, ix.length);
  if (m.positives) perClass.push({ kind: k, recall: m.recall, n: ix.length });
  console.log(
    `  ${k.padEnd(13)} ` +
      (m.positives ? `recall ${fmt(m.recall)}` : `false-alarm rate ${fmt(flaggedShare)}`) +
      ` (n=${ix.length} [${kinds.get(k)}])` +
      (m.positives ? `  ${m.recall >= 0.9 ? 'PASS' : 'FAIL'} >= 0.90` : ''),
  );
  if (missN) {
    const missed = ix.filter(([q, i]) => (q.targets.length ? !def[i].correct : def[i].flagged)).slice(0, missN);
    for (const [q, i] of missed) {
      const top = ours[i].matches[0];
      const want = q.targets.length ? ` — listed: ${byId.get(q.targets[0])?.name}` : '';
      const got = top ? `best ${top.score.toFixed(2)} ${byId.get(top.entryId)?.name}` : 'no candidate';
      console.log(`      ${q.name}${want}  (${got})`);
    }
  }
}
console.log(
  `negatives dropped by the containment rule: ${set.dropped.heldOut} held-out, ${set.dropped.swap} swap candidates`,
);

// ---- baseline: plain Levenshtein over every listed name (full scan)
const plain = (s: string) =>
  anyAscii(s)
    .toLowerCase()
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
const names: { id: string; text: string }[] = [];
for (const e of benchEntries) for (const n of [e.name, ...e.aliases]) names.push({ id: e.id, text: plain(n) });
function baseline(q: string): { id: string; score: number }[] {
  const p = plain(q);
  const best = new Map<string, number>();
  for (const n of names) {
    const L = Math.max(p.length, n.text.length);
    // Cannot reach 0.6: skipping speeds the scan and gives the same result above 0.6.
    if (Math.abs(p.length - n.text.length) > 0.4 * L) continue;
    const s = 1 - distance(p, n.text) / L;
    if (s >= 0.6 && s > (best.get(n.id) ?? 0)) best.set(n.id, s);
  }
  return [...best].map(([id, score]) => ({ id, score }));
}
const baseN = quick ? 150 : 600;
// A seeded random sample (the generator cycles through kinds, so every k-th query would not do).
const pickRng = rng(SEED + 1);
const sample = set.queries
  .map((q, i) => [q, i, pickRng()] as const)
  .sort((a, b) => a[2] - b[2])
  .slice(0, baseN)
  .sort((a, b) => a[1] - b[1])
  .map(([q, i]) => [q, i] as const);
let baseRes: { id: string; score: number }[][] = [];
const tBase = cpuSeconds(() => {
  baseRes = sample.map(([q]) => baseline(q.name));
});
const baseAt = (t: number, s: Labelled['split']) => {
  const ix = sample.map(([q], k) => [q, k] as const).filter(([q]) => q.split === s);
  return metrics(
    ix.map(([q]) => q),
    ix.map(([q, k]) =>
      judge(
        q,
        baseRes[k].filter((m) => m.score >= t).map((m) => m.id),
      ),
    ),
  );
};
let bT = 0.6;
let bF = -1;
for (let k = 60; k <= 99; k++) {
  const t = k / 100;
  const f = baseAt(t, 'validation').f1;
  if (f > bF) {
    bF = f;
    bT = t;
  }
}
console.log(
  `\nbaseline (fastest-levenshtein, full scan, threshold ${bT.toFixed(2)} chosen on validation), ` +
    `on ${sample.length} of the queries:`,
);
report('baseline, test split', baseAt(bT, 'test'));
const oursSample = metrics(
  sample.filter(([q]) => q.split === 'test').map(([q]) => q),
  sample.filter(([q]) => q.split === 'test').map(([, i]) => def[i]),
);
report('ours, same test queries', oursSample);
const kindsOf = new Map<string, [number, number, number]>();
sample.forEach(([q, i], k) => {
  if (q.split !== 'test' || q.targets.length === 0) return;
  const b = judge(
    q,
    baseRes[k].filter((m) => m.score >= bT).map((m) => m.id),
  );
  const row = kindsOf.get(q.kind) ?? [0, 0, 0];
  row[0]++;
  if (b.correct) row[1]++;
  if (def[i].correct) row[2]++;
  kindsOf.set(q.kind, row);
});
console.log(
  '  recall by kind on these queries (baseline / ours): ' +
    [...kindsOf].map(([k, [n, b, o]]) => `${k} ${(b / n).toFixed(2)}/${(o / n).toFixed(2)}`).join(', '),
);
console.log(`ratio (ours / baseline) F1: ${(oursSample.f1 / Math.max(1e-9, baseAt(bT, 'test').f1)).toFixed(2)}x`);

// ---- speed against the full index
const tBuild = cpuSeconds(() => {
  index = buildIndex(full);
});
const fast = new Screener(index, DEFAULT_CONFIG);
const qs = set.queries.map((q) => q.name);
for (const q of qs.slice(0, 300)) fast.screen({ name: q }); // warm-up (JIT)
let n = 0;
const tRun = cpuSeconds(() => {
  while (n < (quick ? 3000 : 12000)) {
    fast.screen({ name: qs[n % qs.length] });
    n++;
  }
});
const oursQps = n / tRun.cpu;
const baseQps = sample.length / tBase.cpu;
console.log(
  `\nspeed (one thread, ${index.names.length} indexed names of ${full.length} entries; ` +
    `index built in ${tBuild.cpu.toFixed(2)} s CPU):`,
);
console.log(
  `  ours:     ${oursQps.toFixed(0)} queries/s (CPU time; wall ${(n / tRun.wall).toFixed(0)}/s)   target >= 2000`,
);
console.log(`  baseline: ${baseQps.toFixed(1)} queries/s (full scan)`);
console.log(`  ratio:    ${(oursQps / baseQps).toFixed(0)}x`);
// ---- false alarms on real, unlisted companies (bench/data/unlisted-companies.csv; see bench/data/README.md):
// each screened with its country against the full index at the default bands; flagged = decision != clear.
// Rows the containment rule of issue 15 requires to be reviewed (the name contains a listed name with a
// telling word, or lies within one; decided by bench code on the lists, not by the matcher) are reported
// apart and not counted as false alarms.
const unlisted = readUnlisted(UNLISTED_CSV);
const rule = new Containment(full, tellingWords(wordCounts(full)));
const screened = unlisted.map((u) => ({
  u,
  r: fast.screen({ name: u.name, country: u.country }),
  ruled: containmentHits(rule, u.name).size > 0,
}));
const counted = screened.filter((x) => !x.ruled);
const alarms = counted.filter(({ r }) => r.decision !== 'clear');
const alarmRate = alarms.length / counted.length;
const perCountry = new Map<string, [number, number]>();
for (const { u, r } of counted) {
  const row = perCountry.get(u.country) ?? [0, 0];
  row[0]++;
  if (r.decision !== 'clear') row[1]++;
  perCountry.set(u.country, row);
}
const showAlarm = ({ u, r }: (typeof screened)[number]) => {
  const top = r.matches[0];
  console.log(
    `  ${r.decision.toUpperCase().padEnd(6)} ${u.name} (${u.country}) — ` +
      (top ? `${top.score.toFixed(2)} ${byId.get(top.entryId)?.name ?? top.entryId}` : 'no candidate'),
  );
};
console.log(
  `\nfalse alarms on ${counted.length} real, unlisted companies (index constituents; decision != clear): ` +
    `${alarms.length} = ${(100 * alarmRate).toFixed(1)} % — by country ` +
    [...perCountry].map(([c, [n, f]]) => `${c} ${f}/${n}`).join(', '),
);
for (const x of alarms) showAlarm(x);
const ruled = screened.filter((x) => x.ruled);
console.log(
  `  not counted: ${ruled.length} rows the containment rule requires to be reviewed, of which ` +
    `${ruled.filter(({ r }) => r.decision !== 'clear').length} were flagged`,
);

// ---- the targets of issue 15, one line each; `--check` makes a missed target exit non-zero.
const t = sub('test', def);
const verdict = reportTargets(
  targetLines({
    recall: t.recall,
    precision: t.precision,
    perClass,
    alarmRate,
    unlisted: counted.length,
    queriesPerSecond: oursQps,
  }),
  process.argv.includes('--check'),
);
console.log(`\n${verdict.text}`);
process.exitCode = verdict.exitCode;

// ---- the whole command, cold, through the built bin: `chipwatch screen --file parties.csv --out results.csv`
// on the labelled set's first names, twice in one fresh data directory (the first run prepares the list
// cache, the second reads it), against the shipped lists as a user screens them.
const BIN_BUNDLE = join(import.meta.dirname, '..', 'dist', 'bundle', 'main.cjs');
if (noCommand) {
  console.log('\nwhole command: skipped (--no-command)');
} else if (!existsSync(BIN_BUNDLE)) {
  console.log('\nwhole command: skipped (run `npm run build` first)');
} else {
  const parties = quick ? 200 : 1000;
  const cwd = mkdtempSync(join(tmpdir(), 'cw-bench-screen-cli-'));
  writeFileSync(join(cwd, 'parties.csv'), stringify([['name'], ...qs.slice(0, parties).map((q) => [q])]));
  const args = ['screen', '--file', 'parties.csv', '--out', 'results.csv', '--data-dir', join(cwd, 'data')];
  console.log(
    `\nthe whole command, cold (chipwatch ${args.slice(0, 5).join(' ')}, ${parties} parties, a fresh process):`,
  );
  for (const run of ['first run (prepares the list cache)', 'second run (reads the cache)']) {
    const r = timeCommand(args, { cwd, env: process.env });
    const rate = parties / r.seconds;
    console.log(
      `  ${run.padEnd(36)} ${r.seconds.toFixed(2)} s, ${r.rssMb.toFixed(0)} MB peak RSS = ` +
        `${rate.toFixed(0)} parties/s (${(rate / baseQps).toFixed(1)}× the baseline's in-process rate)`,
    );
  }
  rmSync(cwd, { recursive: true, force: true });
}
