// npm run bench:registry [-- --items N] [--pg-items N] [--inproc N] [--runs N] — the registry at scale, as a
// user runs it.
//  1. `chipwatch registry import FILE` cold (a fresh process of the built bin, a fresh data directory or
//     schema whose database an earlier command created) on a generated N-row CSV (default 1,000,000), on
//     PGlite and on PostgreSQL (DATABASE_URL, or a server started here; skipped with a message without one):
//     items/s (the median of --runs, default 3, each in its own directory or schema) and peak RSS
//     (/usr/bin/time, the highest of the runs), beside a plain COPY of the same CSV into an unindexed table on
//     the same backend (the physical bound) and beside the in-process path of before (--inproc items, warm).
//  2. Storage: bytes per item of every registry_* and tlog_* table with its indexes (pg_total_relation_size).
//  3. Every embedded-database command at N items, whole process, cold, beside the same command on an empty
//     database (what starting Node and opening PGlite costs); the export until its first bytes.
//  4. PostgreSQL grown to --pg-items (default N) in generated filings of at most 1,000,000 items:
//     `registry history` p95 through chipHistory (the code behind the command and the API), beside a bare
//     primary-key lookup.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { freshSchema, startPostgres } from './lib/pg-server.mjs';
import { timeCommand } from './lib/whole-command.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(join(root, 'dist', p));
const { openDb } = await dist('db/index.js');
const { fileSpreadsheet, fileStream } = await dist('registry/service.js');
const { openFilingFile } = await dist('registry/intake.js');
const { chipHistory } = await dist('registry/history.js');
const { rowsToCsv, sampleRows, seededRng } = await dist('registry/sample.js');
const { TEMPLATE_COLUMNS } = await dist('registry/template.js');
const tlog = await dist('tlog/index.js');

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const ITEMS = arg('items', 1_000_000);
const PG_ITEMS = arg('pg-items', ITEMS);
const INPROC = arg('inproc', 100_000);
const RUNS = arg('runs', 3);
const TARGET = { pglite: 10_000, postgres: 25_000 }; // items/s, issue 18
const MAX_RSS_MB = 400;
const MAX_BYTES_PER_ITEM = 1000;
const fmt = (n) => Math.round(n).toLocaleString('en');
const BIN = join(root, 'bin', 'chipwatch.js');

const work = mkdtempSync(join(tmpdir(), 'chipwatch-bench-registry-'));
chmodSync(work, 0o755); // a local PostgreSQL server reads the CSV for its plain COPY

/** A generated filing of `count` rows written in parts (the generator holds 100,000 rows at a time). */
async function csvFile(name, count, prefix, seed) {
  const path = join(work, name);
  const out = createWriteStream(path);
  for (let done = 0, part = 0; done < count; part++) {
    const n = Math.min(100_000, count - done);
    const text = rowsToCsv(sampleRows({ count: n, seed: seed + part, serialPrefix: `${prefix}${part}-` }));
    const body = part === 0 ? text : text.slice(text.indexOf('\n') + 1);
    if (!out.write(body)) await once(out, 'drain');
    done += n;
  }
  out.end();
  await once(out, 'finish');
  return path;
}

async function bytesPerItem(db) {
  const [r] = await db.query(
    `select (select coalesce(sum(pg_total_relation_size(c.oid)), 0) from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = current_schema() and c.relkind = 'r'
         and (c.relname like 'registry\\_%' or c.relname like 'tlog\\_%'))::bigint as bytes,
       (select count(*) from registry_transfers)::bigint as items`,
  );
  return { bytes: Number(r.bytes), items: Number(r.items), perItem: Number(r.bytes) / Number(r.items) };
}

/** Wall time until a command's first bytes on stdout (then it is stopped): an export's time to answer. */
async function firstBytes(args, { cwd, env }) {
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'inherit'] });
  await once(child.stdout, 'data');
  const ms = performance.now() - t0;
  child.kill();
  await once(child, 'close');
  return ms / 1000;
}

/** The physical bound: the same CSV into an unindexed table of text columns, by PGlite's COPY. */
async function pgliteCopy(file) {
  const pgl = await PGlite.create(join(work, 'copy-pglite'), { postgresqlconf: 'shared_buffers = 32MB' });
  await pgl.exec(`create table plain (${TEMPLATE_COLUMNS.map((c) => `${c} text`).join(', ')})`);
  const blob = new Blob([readFileSync(file)]);
  const t0 = performance.now();
  await pgl.query("copy plain from '/dev/blob' with (format csv, header true)", [], { blob });
  const s = (performance.now() - t0) / 1000;
  await pgl.close();
  return s;
}

/** The same on a PostgreSQL server: COPY of the file by the server (it runs on this machine). */
async function serverCopy(url, file) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`create table plain (${TEMPLATE_COLUMNS.map((x) => `${x} text`).join(', ')})`);
    const t0 = performance.now();
    await c.query(`copy plain from '${file}' with (format csv, header true)`);
    const s = (performance.now() - t0) / 1000;
    await c.query('drop table plain');
    return s;
  } catch (e) {
    console.log(`postgres: plain COPY skipped (${e.message})`);
    return null;
  } finally {
    await c.end();
  }
}

/** The import service in this process, warm (a 1,000-item filing first): the figure benches gave before. */
async function inProcess(name, open) {
  const db = await open();
  try {
    const warm = await csvFile(`warm-${name}.csv`, 1000, `W${name}`, 1);
    const opts = { filer: { name: 'Warm Inc' }, receivedAt: new Date(), log: tlog };
    await fileSpreadsheet(db, (await import('node:fs')).createReadStream(warm), 'csv', opts);
    const file = await csvFile(`inproc-${name}.csv`, INPROC, `I${name}`, 2);
    const t0 = performance.now();
    const res = await fileStream(db, await openFilingFile(file), { ...opts, filer: { name: 'In Process Inc' } });
    if (res.items !== INPROC) throw new Error(`in process: filed ${res.items} items`);
    return INPROC / ((performance.now() - t0) / 1000);
  } finally {
    await db.close();
  }
}

function cliEnv(databaseUrl) {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  return env;
}

/** A server's CHECKPOINT (needs a superuser or pg_checkpoint; skipped without). */
async function checkpoint(url) {
  if (!url) return;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('checkpoint');
  } catch {
    /* not allowed: the runs start as they are */
  } finally {
    await c.end();
  }
}

/**
 * The headline: the CLI import of the big CSV, cold, in a directory (or schema, one of `databaseUrls` per run)
 * whose database an earlier command made; RUNS times, each in its own, since one run on a shared VM varies by
 * ±10%. Before each run after the first, the last run's schema is dropped and the server checkpointed, and the
 * file system synced, so no run pays for writing out the one before. The median time and the highest peak RSS
 * count; the last run's database stays for what follows.
 */
async function cliImport(name, file, databaseUrls = [], dropSchema = async () => {}) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    // Each run starts where the first did: the last run's data gone and written out (not still being flushed).
    if (i > 0) {
      await dropSchema(i - 1);
      await checkpoint(databaseUrls[i]);
      spawnSync('sync');
    }
    const cwd = mkdtempSync(join(work, `cli-${name}-`));
    const env = cliEnv(databaseUrls[i]);
    timeCommand(['registry', 'check'], { cwd, env }); // creates the database (untimed)
    const empty = timeCommand(['registry', 'flags'], { cwd, env });
    const r = timeCommand(['registry', 'import', file, '--as', 'Bench CLI Inc', '--json'], { cwd, env });
    const res = JSON.parse(r.stdout);
    if (res.items !== ITEMS) throw new Error(`${name}: filed ${res.items} items`);
    console.log(
      `${name} cold, run ${i + 1} of ${RUNS}: registry import (${fmt(ITEMS)}-row CSV)  ${r.seconds.toFixed(1)} s  ` +
        `${fmt(ITEMS / r.seconds)} items/s  peak RSS ${r.rssMb.toFixed(0)} MB`,
    );
    if (runs.length) rmSync(runs.at(-1).cwd, { recursive: true, force: true }); // ~1 GB each on PGlite
    runs.push({ cwd, env, seconds: r.seconds, rssMb: r.rssMb, emptySeconds: empty.seconds });
  }
  const seconds = runs.map((r) => r.seconds).sort((a, b) => a - b)[Math.floor(RUNS / 2)];
  const last = runs.at(-1);
  return {
    cwd: last.cwd,
    env: last.env,
    seconds,
    runs: runs.map((r) => r.seconds),
    rate: ITEMS / seconds,
    rssMb: Math.max(...runs.map((r) => r.rssMb)),
    emptySeconds: last.emptySeconds,
  };
}

/** Every command a user reads the embedded registry with, at ITEMS items, cold. */
async function embeddedCommands(cli) {
  const { cwd, env } = cli;
  const serial = `C${Math.floor(ITEMS / 2 / 100_000)}-${String(((ITEMS / 2) % 100_000) + 1).padStart(7, '0')}`;
  const steps = [
    ['registry history SERIAL', ['registry', 'history', serial]],
    ['registry history SERIAL --json', ['registry', 'history', serial, '--json']],
    ['registry flags', ['registry', 'flags']],
    ['registry obligations', ['registry', 'obligations']],
    // A day before the filings were received: computed from the transfers, not the counts (a scan).
    ['registry obligations --as-of (earlier day)', ['registry', 'obligations', '--as-of', '2026-06-30']],
    ['registry locations', ['registry', 'locations']],
  ];
  const out = [];
  for (const [label, args] of steps) {
    const r = timeCommand(args, { cwd, env });
    out.push({ label, seconds: r.seconds });
  }
  out.push({ label: 'registry export (first bytes)', seconds: await firstBytes(['registry', 'export'], { cwd, env }) });
  return out;
}

async function historyP95(url, count) {
  const db = await openDb({ databaseUrl: url });
  try {
    const { items } = await bytesPerItem(db);
    const serials = (await db.query('select serial from registry_chips tablesample system (1) limit 1000')).map(
      (r) => r.serial,
    );
    const rng = seededRng(5);
    const time = async (fn) => {
      const ms = [];
      for (let i = 0; i < count; i++) {
        const s = serials[Math.floor(rng() * serials.length)];
        const t0 = performance.now();
        await fn(s);
        ms.push(performance.now() - t0);
      }
      ms.sort((a, b) => a - b);
      return { p50: ms[Math.floor(count / 2)], p95: ms[Math.floor(count * 0.95)] };
    };
    await time((s) => chipHistory(db, s)); // warm the connection and the plans
    const history = await time((s) => chipHistory(db, s));
    const bare = await time((s) => db.query('select serial from registry_chips where serial = $1', [s]));
    return { items, history, bare };
  } finally {
    await db.close();
  }
}

/** Grows the PostgreSQL registry to `target` items with generated filings of at most 1,000,000 items each. */
async function growTo(url, target, have) {
  const db = await openDb({ databaseUrl: url });
  try {
    for (let part = 0; have < target; part++) {
      const n = Math.min(1_000_000, target - have);
      const file = await csvFile(`grow-${part}.csv`, n, `G${part}x`, 100 + part * 20);
      const t0 = performance.now();
      const s = await openFilingFile(file);
      const res = await fileStream(db, s, { filer: { name: `Grower ${part} Inc` }, receivedAt: new Date(), log: tlog });
      have += res.items;
      rmSync(file);
      console.log(
        `postgres: grown to ${fmt(have)} items (${fmt(n / ((performance.now() - t0) / 1000))} items/s in process)`,
      );
    }
  } finally {
    await db.close();
  }
}

const report = {};
try {
  console.log(
    `registry bench: ${fmt(ITEMS)}-row CSV, PostgreSQL grown to ${fmt(PG_ITEMS)} items, ${cpus().length} CPUs, ` +
      `load average ${loadavg()[0].toFixed(1)} at start`,
  );
  const file = await csvFile('filing.csv', ITEMS, 'C', 3);

  // PGlite
  const pgliteCli = await cliImport('pglite', file);
  const pgliteDb = await openDb({ dataDir: join(pgliteCli.cwd, '.chipwatch', 'pgdata') });
  const pgliteBytes = await bytesPerItem(pgliteDb);
  await pgliteDb.close();
  const commands = await embeddedCommands(pgliteCli);
  const pgliteCopyS = await pgliteCopy(file);
  const pgliteInProc = await inProcess('pglite', () => openDb({ dataDir: join(work, 'inproc-pglite') }));
  report.pglite = { cli: pgliteCli, bytes: pgliteBytes, copyRate: ITEMS / pgliteCopyS, inProc: pgliteInProc };
  report.commands = commands;

  // PostgreSQL
  let server = null;
  let url = process.env.DATABASE_URL;
  let source = 'DATABASE_URL';
  if (!url) {
    server = startPostgres(work);
    url = server?.url;
    source = server?.label;
  }
  if (!url) console.log('postgres: skipped (no DATABASE_URL and no PostgreSQL server binaries found)');
  else {
    const schemas = [];
    for (let i = 0; i < RUNS; i++) schemas.push(await freshSchema(url, 'bench_cli'));
    const schema = schemas.at(-1);
    const inproc = await freshSchema(url, 'bench_inproc');
    try {
      const cli = await cliImport(
        'postgres',
        file,
        schemas.map((s) => s.url),
        (i) => schemas[i].drop(),
      );
      const db = await openDb({ databaseUrl: schema.url });
      const bytes = await bytesPerItem(db);
      await db.close();
      const copyS = await serverCopy(schema.url, file);
      const inProc = await inProcess('postgres', () => openDb({ databaseUrl: inproc.url }));
      await growTo(schema.url, PG_ITEMS, ITEMS);
      const history = await historyP95(schema.url, 1000);
      report.postgres = { cli, bytes, copyRate: copyS ? ITEMS / copyS : null, inProc, history, source };
    } finally {
      for (const s of schemas) await s.drop().catch(() => {}); // the last one (the others went between runs)
      await inproc.drop().catch(() => {});
      server?.stop();
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const ratio = (a, b) => (b ? (a / b).toFixed(2) : 'n/a');
console.log(
  `\nimport: \`chipwatch registry import FILE --as NAME\`, ${fmt(ITEMS)} rows, cold, whole process, ` +
    `median of ${RUNS} run${RUNS === 1 ? '' : 's'} (peak RSS: the highest)`,
);
console.log(
  'backend    items/s  target  ours/target  plain COPY/s  ours/COPY  in-process/s  ours/in-process' +
    '  peak RSS (≤ 400 MB)',
);
for (const name of ['pglite', 'postgres']) {
  const r = report[name];
  if (!r) continue;
  console.log(
    [
      name.padEnd(9),
      fmt(r.cli.rate).padStart(8),
      fmt(TARGET[name]).padStart(7),
      ratio(r.cli.rate, TARGET[name]).padStart(12),
      (r.copyRate ? fmt(r.copyRate) : 'n/a').padStart(13),
      ratio(r.cli.rate, r.copyRate).padStart(10),
      fmt(r.inProc).padStart(13),
      ratio(r.cli.rate, r.inProc).padStart(16),
      `${r.cli.rssMb.toFixed(0)} MB (${ratio(r.cli.rssMb, MAX_RSS_MB)} of the limit)`.padStart(20),
    ].join(' '),
  );
}
console.log('\nstorage: every registry_* and tlog_* table with its indexes (pg_total_relation_size) / items');
for (const name of ['pglite', 'postgres']) {
  const r = report[name];
  if (!r) continue;
  const b = r.bytes;
  console.log(
    `${name.padEnd(9)} ${(b.bytes / 1e6).toFixed(0)} MB / ${fmt(b.items)} items = ${b.perItem.toFixed(0)} bytes/item ` +
      `(${ratio(b.perItem, MAX_BYTES_PER_ITEM)} of the 1,000-byte limit)`,
  );
}
console.log(
  `\nembedded database at ${fmt(ITEMS)} items, whole command, cold (the same process opening the empty ` +
    `database: registry flags ${report.pglite.cli.emptySeconds.toFixed(2)} s)`,
);
for (const c of report.commands)
  console.log(
    `  ${c.label.padEnd(44)} ${c.seconds.toFixed(2).padStart(6)} s  ` +
      `(${ratio(c.seconds, 1)} of 1 s; ${ratio(c.seconds, report.pglite.cli.emptySeconds)} × an empty database)`,
  );
const h = report.postgres?.history;
if (h)
  console.log(
    `\npostgres at ${fmt(h.items)} items: history p50 ${h.history.p50.toFixed(2)} ms, ` +
      `p95 ${h.history.p95.toFixed(2)} ms ` +
      `(${ratio(h.history.p95, 20)} of 20 ms; ${ratio(h.history.p95, h.bare.p95)} × a bare primary-key lookup, ` +
      `p95 ${h.bare.p95.toFixed(2)} ms); ${report.postgres.source}`,
  );
console.log(`(load average ${loadavg()[0].toFixed(1)} at end)`);
