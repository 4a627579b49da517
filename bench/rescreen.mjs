// npm run bench:rescreen — re-screening 100,000 known parties after a list update, as a user runs it:
// a fresh data directory with 100,000 generated registry owners, `chipwatch lists update` of the full
// shipped set (CSL + SDN + alt) as the baseline, then `chipwatch lists update` of a copy with one alias
// added, one entry added and one entry removed, cold (the built bin, a fresh process). Prints the time
// against the 60 s target, and parties/s beside plain screening's queries/s (in process, one core, the
// same list set and parties) as the bound, with peak RSS.
//
// The parties are generated from word lists (no code or table of the matcher), plus a few hundred
// variants of listed names (a word appended, a letter dropped, the legal form spelled out) so that some
// parties have hits.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { timeCommand } from './lib/whole-command.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(join(root, 'dist', p));
const { openDb } = await dist('db/index.js');
const screening = await dist('screening/index.js');

const PARTIES = Number(process.env.BENCH_PARTIES ?? 100_000);
const CLOSE = Number(process.env.BENCH_CLOSE ?? 300);
const TARGET_S = 60;
const data = join(root, 'data', 'screening');
const work = mkdtempSync(join(tmpdir(), 'chipwatch-bench-rescreen-'));

// A small seeded PRNG (mulberry32), so every run generates the same parties.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(15);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];

const W1 = `Northern Pacific Golden Silver Blue Green Eastern Western Royal United Global Prime Apex Summit Harbor
  River Lake Mountain Coastal Central Bright Swift Solid True Grand Metro Urban Rural Star Sun Moon Ocean Forest
  Stone Iron Crystal Falcon Eagle Lotus Cedar`.split(/\s+/);
const W2 = `Compute Data Systems Logistics Trading Electronics Networks Solutions Devices Components Cloud Analytics
  Robotics Energy Freight Supply Imports Exports Holdings Ventures Labs Works Industries Partners Services Media
  Telecom Power Digital Micro Circuits Silicon Optics Machines Software Hardware Storage Servers Vision Signal`.split(
  /\s+/,
);
const W3 = `Ltd LLC Inc GmbH Pte_Ltd Sdn_Bhd Co_Ltd LLP SA BV AG FZE JSC Pty_Ltd Corp SRL Oy AB KK Limited`
  .split(/\s+/)
  .map((w) => w.replace('_', ' '));
const W0 = ['', 'Alder', 'Birch', 'Clover', 'Dune', 'Elm', 'Fjord', 'Glen', 'Heath', 'Juniper', 'Kestrel', 'Larch'];
const COUNTRIES = ['US', 'SG', 'MY', 'AE', 'DE', 'JP', 'KR', 'TW', 'IN', 'GB', 'NL', 'CN', 'HK', 'RU', 'TR', 'TH'];

/** The i-th distinct generated name (a stride through all combinations, so neighbours differ). */
function generatedName(i) {
  const n = W0.length * W1.length * W2.length * W3.length;
  let k = (i * 7919 + 13) % n;
  const d = k % W3.length;
  k = Math.floor(k / W3.length);
  const c = k % W2.length;
  k = Math.floor(k / W2.length);
  const b = k % W1.length;
  const a = Math.floor(k / W1.length);
  return [W0[a], W1[b], W2[c], W3[d]].filter(Boolean).join(' ');
}

/** Variants of listed entity names as customers write them (generated here, not by the matcher). */
function closeVariants(rows, count) {
  const entities = rows.filter((r) => /Entity List/.test(r.source) && r.name.split(' ').length >= 2);
  const out = [];
  for (let i = 0; i < count; i++) {
    const r = pick(entities);
    const words = r.name.split(' ');
    const how = i % 3;
    let name = r.name;
    if (how === 0) name = `${r.name} ${pick(['Trading', 'International', 'Group', 'Holdings'])}`;
    if (how === 1) {
      const w = Math.floor(rand() * words.length);
      if (words[w].length > 4) words[w] = words[w].slice(0, 2) + words[w].slice(3);
      name = words.join(' ');
    }
    if (how === 2) name = r.name.replace(/Co\.,? Ltd\.?/i, 'Company Limited').replace(/\bLtd\.?$/i, 'Limited');
    out.push({ name, country: r.addresses.match(/, ([A-Z]{2})(;|$)/)?.[1] ?? null, from: r });
  }
  return out;
}

const cslText = readFileSync(join(data, 'csl-2022-05.csv'), 'utf8');
const cslRows = parse(cslText, { columns: true, relax_quotes: true, bom: true });
const close = closeVariants(cslRows, CLOSE);
const parties = [];
for (let i = 0; parties.length < PARTIES - close.length; i++)
  parties.push({ name: generatedName(i), country: COUNTRIES[i % COUNTRIES.length] });
for (const c of close) parties.push({ name: c.name, country: c.country });

// The baseline list set (the shipped files) and the update: one alias, one entry added, one removed.
const v1 = join(work, 'v1');
const v2 = join(work, 'v2');
const files = ['csl.csv', 'sdn.csv', 'alt.csv'];
const shipped = ['csl-2022-05.csv', 'ofac-sdn-2024-05-03.csv', 'ofac-alt-2025-08.csv'];
for (const d of [v1, v2]) mkdirSync(d);
for (const [i, f] of shipped.entries()) {
  copyFileSync(join(data, f), join(v1, files[i]));
  if (i > 0) copyFileSync(join(data, f), join(v2, files[i]));
}
const aliasTo = cslRows.find((r) => r.name === 'Alagir Resistor Factory');
const aliasName = parties[1234].name;
const removed = close.find((c) => c.from !== aliasTo).from;
const addedName = parties[4321].name;
const rows2 = cslRows
  .filter((r) => r !== removed)
  .map((r) => (r === aliasTo ? { ...r, alt_names: `${r.alt_names}; ${aliasName}` } : r));
rows2.push({ ...aliasTo, _id: 'bench-added-1', name: addedName, alt_names: '' });
writeFileSync(join(v2, 'csl.csv'), stringify(rows2, { header: true, columns: Object.keys(cslRows[0]) }));

// A fresh data directory holding the generated parties as registry owners.
const dataDir = join(work, 'data');
const db = await openDb({ dataDir: join(dataDir, 'pgdata') });
const t0 = performance.now();
for (let i = 0; i < parties.length; i += 10_000) {
  const rows = parties.slice(i, i + 10_000).map((p, j) => ({ k: `bench-${i + j}`, n: p.name, c: p.country }));
  await db.query(
    `insert into registry_parties (party_key, name_key, name, country, roles)
     select k, lower(n), n, c, '{owner}' from jsonb_to_recordset($1::jsonb) as x(k text, n text, c text)`,
    [JSON.stringify(rows)],
  );
}
await db.close();
const seeded = (performance.now() - t0) / 1000;

const env = { ...process.env, DATABASE_URL: '' };
const cmd = (dir) => ['lists', 'update', ...files.map((f) => join(dir, f)), '--data-dir', dataDir, '--json'];
const first = timeCommand(cmd(v1), { cwd: work, env });
const second = timeCommand(cmd(v2), { cwd: work, env });
const r1 = JSON.parse(first.stdout);
const r2 = JSON.parse(second.stdout);

// The bound: plain screening of the same parties against the same set, in process, one core (CPU time).
const prepared = screening.prepareUpdate(files.map((f) => ({ name: f, text: readFileSync(join(v2, f), 'utf8') })));
const screener = new screening.Screener(screening.buildIndex(prepared.entries, prepared.names));
const sample = parties.filter((_, i) => i % 10 === 0);
const c0 = process.cpuUsage();
for (const p of sample) screener.screen(p);
const cpu = process.cpuUsage(c0);
const plainQps = sample.length / ((cpu.user + cpu.system) / 1e6);

const rescreenPps = r2.rescreen.parties / r2.rescreen.seconds;
const rescreenCpuPps = r2.rescreen.parties / r2.rescreen.cpuSeconds;
const wholePps = r2.rescreen.parties / second.seconds;
const f = (x, d = 1) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
console.log(`machine: ${cpus().length} cores, Node ${process.version}, load average ${loadavg()[0].toFixed(1)}`);
console.log(
  `parties: ${parties.length.toLocaleString('en-US')} registry owners (${close.length} near listed names), ` +
    `seeded in ${f(seeded)} s`,
);
console.log(
  `baseline  lists update (full CSL + SDN + alt): ${f(first.seconds)} s wall, peak RSS ${f(first.rssMb, 0)} MB; ` +
    `re-screen ${f(r1.rescreen.seconds)} s, ${r1.rescreen.baseline} parties stored, ${r1.rescreen.alerts} alerts`,
);
console.log(
  `update    lists update (+1 alias, +1 entry, -1 entry): ${f(second.seconds)} s wall, ` +
    `peak RSS ${f(second.rssMb, 0)} MB; re-screen ${f(r2.rescreen.seconds)} s (${f(r2.rescreen.cpuSeconds)} s CPU); ` +
    `${r2.rescreen.alerts} alerts ${JSON.stringify(r2.rescreen.alertsByChange)}`,
);
console.log(
  `target    ${TARGET_S} s for 100,000 parties: whole command ${f(second.seconds)} s = ` +
    `${f(second.seconds / TARGET_S, 2)}x the target (${second.seconds < TARGET_S ? 'met' : 'NOT met'})`,
);
console.log(
  `bound     plain screening in process: ${f(plainQps, 0)} queries/s (one core, CPU time, ${sample.length} parties); ` +
    `re-screen ${f(rescreenCpuPps, 0)} parties/s of CPU = ${f(rescreenCpuPps / plainQps, 2)}x ` +
    `(${f(rescreenPps, 0)} per wall second); whole command ` +
    `${f(wholePps, 0)} parties/s = ${f(wholePps / plainQps, 2)}x`,
);
rmSync(work, { recursive: true, force: true });
