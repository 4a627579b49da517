// npm run bench:tiles — the log as C2SP tlog-tiles: `chipwatch log tiles --out DIR` cold (the built bin, a
// fresh process, a fresh directory) and incremental, beside a physical bound measured in the same run
// (SHA-256 of every entry, what any monitor must do at least once, and copying the written tree); then
// the tiles served over HTTP by `chipwatch serve` (/api/log/tiles/), beside a static-file server (node:http,
// another process) serving the same files. PGlite, and PostgreSQL when DATABASE_URL is set.
// Needs a build (npm run build); never runs inside npm test.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshSchema } from './lib/pg-server.mjs';
import { timeCommand } from './lib/whole-command.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(root, 'bin', 'chipwatch.js');
const N = Number(process.env.BENCH_ENTRIES ?? 100_000);
const { openDb } = await import(join(root, 'dist', 'db', 'index.js'));
const tlog = await import(join(root, 'dist', 'tlog', 'index.js'));
const fmt = (x, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

/** A registry-sized entry (~600 bytes of canonical JSON), as bench/tlog.mjs uses. */
function item(i) {
  return Buffer.from(
    JSON.stringify({
      eccn: '4A090',
      item_status: 'active',
      location_address: `Rechenzentrum ${i % 97}, 60314 Frankfurt am Main`,
      location_country: 'DE',
      location_operator_name: 'Example Datacenter GmbH',
      new_owner_address: 'Hauptstrasse 1, 10115 Berlin',
      new_owner_country: 'DE',
      new_owner_name: 'Example Cloud GmbH',
      product_name: 'NVIDIA H100 SXM5 80GB',
      purchase_order: `PO-2026-${1000 + (i % 50)}`,
      serial_number: `1654${String(i).padStart(9, '0')}`,
      transaction_begin_date: '2026-10-01',
      type: 'chipwatch.registry.item/v1',
    }),
  );
}

const files = (dir) =>
  readdirSync(dir, { recursive: true })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());

function freePort() {
  return new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

async function waitFor(url) {
  for (let i = 0; i < 600; i++) {
    if (
      await fetch(url).then(
        (r) => r.status < 500,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer`);
}

/** Fetches every path with `conc` requests in flight; returns { seconds, bytes }. */
async function fetchAll(base, paths, headers, conc = 16) {
  let next = 0;
  let bytes = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: conc }, async () => {
      while (next < paths.length) {
        const p = paths[next++];
        const r = await fetch(base + p, { headers });
        if (r.status !== 200) throw new Error(`${p}: ${r.status}`);
        bytes += (await r.arrayBuffer()).byteLength;
      }
    }),
  );
  return { seconds: (performance.now() - t0) / 1000, bytes };
}

const STATIC_SERVER = `
const http = require('node:http'), fs = require('node:fs'), path = require('node:path');
const dir = process.argv[1];
http.createServer((req, res) => fs.readFile(path.join(dir, decodeURIComponent(req.url)), (e, b) =>
  e ? res.writeHead(404).end() : res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(b)))
  .listen(Number(process.argv[2]), '127.0.0.1');`;

async function run(name, databaseUrl) {
  const work = mkdtempSync(join(tmpdir(), 'chipwatch-bench-tiles-'));
  const env = { ...process.env, DATABASE_URL: databaseUrl ?? '' };
  if (!databaseUrl) delete env.DATABASE_URL;
  delete env.CHIPWATCH_WITNESSES;
  const children = [];
  try {
    // Setup (not timed): N entries appended in one transaction and a signed checkpoint.
    const dataDir = join(work, 'data');
    mkdirSync(dataDir);
    const entries = Array.from({ length: N }, (_, i) => item(i));
    const db = await openDb({ databaseUrl, dataDir: join(dataDir, 'pgdata') });
    await db.transaction((tx) => tlog.appendEntries(tx, entries));
    await tlog.createCheckpoint(db, await tlog.signerFrom(db, { dataDir })(), new Date());
    await db.close();
    const bytes = entries.reduce((a, e) => a + e.length, 0);

    const out = join(work, 'tiles');
    const cold = timeCommand(['log', 'tiles', '--out', out, '--data-dir', dataDir, '--json'], { cwd: work, env });
    const report = JSON.parse(cold.stdout);
    const again = timeCommand(['log', 'tiles', '--out', out, '--data-dir', dataDir, '--json'], { cwd: work, env });
    const vkey = spawnSync(process.execPath, [BIN, 'log', 'vkey', '--data-dir', dataDir], { env, encoding: 'utf8' });
    if (vkey.status !== 0) throw new Error(vkey.stderr);

    // The bounds, in this process: SHA-256 of every entry as a leaf, and copying the written tree.
    const h0 = performance.now();
    for (const e of entries)
      createHash('sha256')
        .update(Buffer.from([0]))
        .update(e)
        .digest();
    const hashSeconds = (performance.now() - h0) / 1000;
    const c0 = performance.now();
    cpSync(out, join(work, 'copy'), { recursive: true });
    const copySeconds = (performance.now() - c0) / 1000;

    console.log(`\n${name}: ${fmt(N)} entries, ${fmt(bytes / 1e6, 1)} MB of entries`);
    console.log(
      `  log tiles --out, cold   ${fmt(cold.seconds, 2)} s wall (whole process), peak RSS ${fmt(cold.rssMb)} MB: ` +
        `${fmt(report.written)} files, ${fmt(report.bytes / 1e6, 1)} MB → ${fmt(N / cold.seconds)} entries/s`,
    );
    console.log(
      `  again, nothing new      ${fmt(again.seconds, 2)} s (${JSON.parse(again.stdout).skipped} full tiles skipped)`,
    );
    console.log(
      `  bound: SHA-256 of every leaf ${fmt(hashSeconds, 2)} s (${fmt(bytes / 1e6 / hashSeconds)} MB/s); ` +
        `copying the tree ${fmt(copySeconds, 2)} s; log tiles = ${fmt(cold.seconds / hashSeconds, 1)}× hashing, ` +
        `${fmt(cold.seconds / copySeconds, 1)}× copying`,
    );

    // Serving: every tile over HTTP from `chipwatch serve`, then the same files from a static server.
    // Two auditor keys: the API allows 600 requests a minute per key, so the warm-up and the timed run
    // use one each and the timed run fetches at most 500 tiles.
    const newKey = () =>
      spawnSync(process.execPath, [BIN, 'keys', 'create', '--role', 'auditor', '--data-dir', dataDir], {
        env,
        encoding: 'utf8',
      }).stdout.trim();
    const [warmKey, key] = [newKey(), newKey()];
    const port = await freePort();
    const server = spawn(
      process.execPath,
      [BIN, 'serve', '--port', String(port), '--data-dir', dataDir, '--check-interval', '0'],
      { env: { ...env, LOG_LEVEL: 'warn' }, stdio: 'ignore' },
    );
    children.push(server);
    await waitFor(`http://127.0.0.1:${port}/healthz`);
    const paths = files(out)
      .map((f) => relative(out, f))
      .filter((p) => p !== 'checkpoint')
      .slice(0, 500);
    const headers = { authorization: `Bearer ${key}` };
    const warm = { authorization: `Bearer ${warmKey}` };
    await fetchAll(`http://127.0.0.1:${port}/api/log/tiles/`, paths.slice(0, 50), warm); // warm-up
    const api = await fetchAll(`http://127.0.0.1:${port}/api/log/tiles/`, paths, headers);
    const sport = await freePort();
    const stat = spawn(process.execPath, ['-e', STATIC_SERVER, out, String(sport)], { stdio: 'ignore' });
    children.push(stat);
    await waitFor(`http://127.0.0.1:${sport}/checkpoint`);
    await fetchAll(`http://127.0.0.1:${sport}/`, paths.slice(0, 50), {});
    const plain = await fetchAll(`http://127.0.0.1:${sport}/`, paths, {});
    const rate = (r) => `${fmt(paths.length / r.seconds)} tiles/s, ${fmt(r.bytes / 1e6 / r.seconds, 1)} MB/s`;
    console.log(
      `  serve /api/log/tiles/   ${rate(api)} (${fmt(paths.length)} tiles of ${fmt(report.written)}, 16 in flight)`,
    );
    console.log(
      `  static files (node:http) ${rate(plain)} → the API at ${fmt(plain.seconds / api.seconds, 2)}× its rate`,
    );
  } finally {
    for (const c of children) c.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  }
}

console.log(
  `log tiles bench (node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')})`,
);
await run('PGlite (data directory)');
if (process.env.DATABASE_URL) {
  const schema = await freshSchema(process.env.DATABASE_URL, 'bench_tiles');
  try {
    await run('PostgreSQL (DATABASE_URL)', schema.url);
  } finally {
    await schema.drop();
  }
}
