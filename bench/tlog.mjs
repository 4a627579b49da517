// npm run bench:tlog — transparency-log append throughput and proof latency on PGlite and on PostgreSQL
// (DATABASE_URL, or a server started from the Debian packages), beside Tessera's published append rates
// (~2,000 entries/s on MySQL, ~10,000/s on local NVMe; published figures, not re-measured here: Tessera
// is Go and needs its own storage). Entries are ~600-byte canonical-JSON registry items, like real filings.
// Needs a build (npm run build); never runs inside npm test.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { freshSchema, startPostgres } from './lib/pg-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const N = Number(process.env.BENCH_ENTRIES ?? 100_000);
const { openDb } = await import(join(root, 'dist', 'db', 'index.js'));
const tlog = await import(join(root, 'dist', 'tlog', 'index.js'));

function item(i) {
  return Buffer.from(
    JSON.stringify({
      eccn: '4A090',
      filer: 'Example Exporter Inc',
      filing_id: 1,
      item_status: 'active',
      location_address: `Rechenzentrum ${i % 97}, 60314 Frankfurt am Main`,
      location_country: 'DE',
      location_lat: 50.11,
      location_lon: 8.68,
      location_operator_name: 'Example Datacenter GmbH',
      location_phone: '+49 69 000000',
      new_owner_address: 'Hauptstrasse 1, 10115 Berlin',
      new_owner_country: 'DE',
      new_owner_name: 'Example Cloud GmbH',
      new_owner_phone: '+49 30 123456',
      product_name: 'NVIDIA H100 SXM5 80GB',
      purchase_order: `PO-2026-${1000 + (i % 50)}`,
      row: i + 2,
      serial_number: `1654${String(i).padStart(9, '0')}`,
      transaction_begin_date: '2026-10-01',
      transaction_complete_date: '2026-10-20',
      type: 'chipwatch.registry.item/v1',
    }),
  );
}

const pct = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const fmt = (x, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

async function run(name, db) {
  const entries = Array.from({ length: N }, (_, i) => item(i));
  const bytes = entries.reduce((a, e) => a + e.length, 0);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await db.transaction((tx) => tlog.appendEntries(tx, entries));
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const small = [];
  for (let k = 0; k < 20; k++) {
    const batch = Array.from({ length: 100 }, (_, i) => item(N + k * 100 + i));
    const s0 = performance.now();
    await db.transaction((tx) => tlog.appendEntries(tx, batch));
    small.push(performance.now() - s0);
  }
  const size = await tlog.treeSize(db);
  const signer = await tlog.getLogSigner(db, { kek: new Uint8Array(randomBytes(32)) });
  const c0 = performance.now();
  const cp = await tlog.createCheckpoint(db, signer, new Date());
  const checkpointMs = performance.now() - c0;
  const inc = [];
  for (let k = 0; k < 200; k++) {
    const index = (k * 7919) % size;
    const p0 = performance.now();
    const proof = await tlog.inclusionProof(db, index, size);
    inc.push(performance.now() - p0);
    if (k < 5)
      tlog.verifyInclusion(index, size, tlog.leafHash(index < N ? entries[index] : item(index)), proof, cp.rootHash);
  }
  const cons = [];
  for (let k = 1; k <= 100; k++) {
    const from = Math.max(1, Math.floor((size * k) / 101));
    const p0 = performance.now();
    await tlog.consistencyProof(db, from, size);
    cons.push(performance.now() - p0);
  }
  const a0 = performance.now();
  const report = await tlog.auditLocalLog(db, { vkey: signer.vkey });
  const auditMs = performance.now() - a0;
  if (!report.ok) throw new Error('audit of the fresh log failed');
  const rate = N / (ms / 1000);
  console.log(`\n${name}: ${fmt(N)} entries, ${fmt(bytes / 1e6, 1)} MB, one transaction`);
  console.log(
    `  append          ${fmt(ms)} ms wall, ${fmt((cpu.user + cpu.system) / 1000)} ms CPU in this process  ` +
      `→  ${fmt(rate)} entries/s`,
  );
  console.log(
    `  vs Tessera      MySQL ~2,000/s: ${fmt(rate / 2000, 1)}×   local NVMe ~10,000/s: ${fmt(rate / 10000, 2)}×`,
  );
  console.log(`  100-entry appends  median ${fmt(pct(small, 0.5), 1)} ms, p95 ${fmt(pct(small, 0.95), 1)} ms`);
  console.log(`  checkpoint      ${fmt(checkpointMs, 1)} ms (tree size ${fmt(size)})`);
  console.log(`  inclusion proof median ${fmt(pct(inc, 0.5), 2)} ms, p95 ${fmt(pct(inc, 0.95), 2)} ms (200 proofs)`);
  console.log(`  consistency     median ${fmt(pct(cons, 0.5), 2)} ms, p95 ${fmt(pct(cons, 0.95), 2)} ms (100 proofs)`);
  console.log(`  full audit      ${fmt(auditMs)} ms (${fmt(size / (auditMs / 1000))} entries/s recomputed)`);
  const rssMb = process.resourceUsage().maxRSS / 1024; // peak so far: earlier backends in this process count
  console.log(`  peak RSS        ${fmt(rssMb)} MB (this process so far; a server's own memory is not counted)`);
  console.log(`  load average now ${loadavg()[0].toFixed(1)}`);
}

console.log(
  `transparency log bench (node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}); peer = Tessera's published append rates`,
);
// The default deployment first, PGlite in a data directory on disk, so its peak RSS is its own.
const dir = mkdtempSync(join(tmpdir(), 'chipwatch-bench-tlog-'));
try {
  const disk = await openDb({ dataDir: join(dir, 'pgdata') });
  await run('PGlite (data directory)', disk);
  await disk.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const lite = await openDb({});
await run('PGlite (in-memory)', lite);
await lite.close();
// PostgreSQL: DATABASE_URL, or a throwaway server started here when the Debian packages are installed.
const pgWork = mkdtempSync(join(tmpdir(), 'chipwatch-bench-tlog-pg-'));
let server = null;
try {
  // Inside the try: a server that fails to start still leaves no directory behind.
  server = process.env.DATABASE_URL ? null : startPostgres(pgWork);
  const url = process.env.DATABASE_URL ?? server?.url;
  if (url) {
    // A fresh schema of its own, dropped afterwards: the bench never touches existing data.
    const schema = await freshSchema(url, 'bench_tlog');
    const pg = await openDb({ databaseUrl: schema.url });
    try {
      await run(server ? server.label : 'PostgreSQL server (DATABASE_URL)', pg);
    } finally {
      await pg.close();
      await schema.drop();
    }
  } else {
    console.log('\n(no DATABASE_URL and no PostgreSQL binaries: the server was not measured)');
  }
} finally {
  server?.stop();
  rmSync(pgWork, { recursive: true, force: true });
}
