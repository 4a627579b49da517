// npm run bench:registry — a generated 100,000-item filing imported end to end (stream-parse the CSV,
// validate, insert parties/locations/chips/transfers/flags, append 100,000 leaves to the transparency
// log, commit) on PGlite (in a data directory, as the CLI uses it) and on a PostgreSQL server
// (DATABASE_URL, or one started here from the Debian packages). Then inclusion-proof latency.
// Printed beside Tessera's published append rates and our targets, with the ratios, in one run.
import { randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshSchema, startPostgres } from './lib/pg-server.mjs';
import { timeCommand } from './lib/whole-command.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(join(root, 'dist', p));
const { openDb } = await dist('db/index.js');
const { fileSpreadsheet } = await dist('registry/service.js');
const { rowsToCsv, sampleRows, seededRng } = await dist('registry/sample.js');
const { TEMPLATE_COLUMNS } = await dist('registry/template.js');
const tlog = await dist('tlog/index.js');

const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const PROOFS = Number(process.env.BENCH_PROOFS ?? 500);
// Peers and targets. Tessera (transparency-dev/tessera) publishes sustained append rates of about
// 2,000 entries/s on its MySQL backend and about 10,000 entries/s on POSIX storage on local NVMe.
const TESSERA = { mysql: 2_000, posixNvme: 10_000 };
const TARGET = { pglite: 5_000, postgres: 10_000 };

const work = mkdtempSync(join(tmpdir(), 'chipwatch-bench-registry-'));
const csvFile = (seed, count, prefix) => {
  const p = join(work, `${prefix}${seed}.csv`);
  writeFileSync(p, rowsToCsv(sampleRows({ count, seed, serialPrefix: prefix })));
  return p;
};

/** The same generated filing as an XLSX workbook on the template (numbers and dates typed, as Excel saves). */
async function xlsxFile(seed, count, prefix) {
  const { default: ExcelJS } = await import('exceljs');
  const p = join(work, `${prefix}${seed}.xlsx`);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: p });
  const ws = wb.addWorksheet('filing');
  ws.addRow([...TEMPLATE_COLUMNS]).commit();
  for (const r of sampleRows({ count, seed, serialPrefix: prefix })) {
    const cell = (c) =>
      c === 'location_lat' || c === 'location_lon'
        ? Number(r[c])
        : c.endsWith('_date')
          ? new Date(`${r[c]}T00:00:00Z`)
          : r[c];
    ws.addRow(TEMPLATE_COLUMNS.map(cell)).commit();
  }
  ws.commit();
  await wb.commit();
  return p;
}

async function importOnce(db, file, org) {
  const stages = {};
  const t0 = performance.now();
  const res = await fileSpreadsheet(db, createReadStream(file), 'csv', {
    filer: { name: org },
    receivedAt: new Date(),
    log: tlog,
    onStage: (name, ms) => {
      stages[name] = (stages[name] ?? 0) + ms;
    },
  });
  const ms = performance.now() - t0;
  if (res.items !== ITEMS && !file.includes('warm')) throw new Error(`imported ${res.items} items`);
  return { ms, res, stages };
}

async function proofLatency(db) {
  const signer = await tlog.getLogSigner(db, { kek: randomBytes(32) });
  const cp = await tlog.createCheckpoint(db, signer, new Date());
  const rng = seededRng(7);
  const times = [];
  for (let i = 0; i < PROOFS; i++) {
    const index = Math.floor(rng() * cp.treeSize);
    const t0 = performance.now();
    const proof = await tlog.inclusionProof(db, index, cp.treeSize);
    times.push(performance.now() - t0);
    const [e] = await tlog.getEntries(db, index, index + 1);
    tlog.verifyInclusion(index, cp.treeSize, tlog.leafHash(e.entry), proof, cp.rootHash); // throws if wrong
  }
  times.sort((a, b) => a - b);
  return {
    median: times[Math.floor(times.length / 2)],
    p95: times[Math.floor(times.length * 0.95)],
    treeSize: cp.treeSize,
  };
}

async function benchBackend(name, open) {
  const db = await open();
  try {
    await importOnce(db, csvFile(1, 1000, `W${name}-warm-`), 'Warm-up Inc'); // JIT, caches, first-use rows
    const file = csvFile(2, ITEMS, `B${name}-`);
    const { ms, stages } = await importOnce(db, file, 'Bench Exports Inc');
    const stageList = Object.entries(stages)
      .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`)
      .join(', ');
    // Peak so far: the earlier backend in this process counts; a PostgreSQL server's own memory does not.
    const rssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    console.log(`${name}: ${(ms / 1000).toFixed(1)} s = ${stageList} (s); peak RSS of this process so far ${rssMb} MB`);
    const proofs = await proofLatency(db);
    return { name, ms, rate: ITEMS / (ms / 1000), proofs };
  } finally {
    await db.close();
  }
}

// The headline: the user's whole commands, cold, through the built bin, one fresh process each, in a
// fresh data directory (and, for PostgreSQL, a fresh schema): create the database, import a filing of
// the same size as above, then sign, prove and audit the log it wrote, and check the registry.
function wholeCommands(name, databaseUrl) {
  const cwd = mkdtempSync(join(work, `cli-${name}-`));
  const env = { ...process.env };
  delete env.DATABASE_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  const file = csvFile(3, ITEMS, `C${name}-`);
  const steps = [
    ['registry check (first open: creates the database)', ['registry', 'check']],
    [`registry import (${ITEMS.toLocaleString('en')}-item CSV)`, ['registry', 'import', file, '--as', 'Bench CLI Inc']],
    ['log checkpoint', ['log', 'checkpoint']],
    ['log prove 17', ['log', 'prove', '17']],
    [`log verify (full audit, ${ITEMS.toLocaleString('en')} entries)`, ['log', 'verify']],
    ['registry check', ['registry', 'check']],
  ];
  const out = [];
  for (const [label, args] of steps) {
    const r = timeCommand(args, { cwd, env });
    out.push({ label, ...r });
    console.log(`${name} cold: ${label.padEnd(50)} ${r.seconds.toFixed(2).padStart(6)} s  ${r.rssMb.toFixed(0)} MB`);
  }
  return { name, importSeconds: out[1].seconds, importRssMb: out[1].rssMb };
}

// The same import from an XLSX workbook: a second fresh data directory, its database created untimed.
async function wholeXlsxImport(name) {
  const cwd = mkdtempSync(join(work, `cli-xlsx-${name}-`));
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const file = await xlsxFile(4, ITEMS, `X${name}-`);
  timeCommand(['registry', 'check'], { cwd, env });
  const r = timeCommand(['registry', 'import', file, '--as', 'Bench XLSX Inc'], { cwd, env });
  const label = `registry import (${ITEMS.toLocaleString('en')}-item XLSX)`;
  console.log(`${name} cold: ${label.padEnd(50)} ${r.seconds.toFixed(2).padStart(6)} s  ${r.rssMb.toFixed(0)} MB`);
}

const cold = [];
const results = [];
try {
  console.log(
    `registry bench: ${ITEMS.toLocaleString('en')} items per filing, ${cpus().length} CPUs, ` +
      `load average ${loadavg()[0].toFixed(1)} at start`,
  );
  results.push(await benchBackend('pglite', () => openDb({ dataDir: join(work, 'pglite') })));
  cold.push(wholeCommands('pglite'));
  await wholeXlsxImport('pglite');
  let server = null;
  let url = process.env.DATABASE_URL;
  let source = 'DATABASE_URL';
  if (!url) {
    server = startPostgres(work);
    url = server?.url;
    source = server?.label;
  }
  if (url) {
    const schema = await freshSchema(url, 'bench');
    try {
      const r = await benchBackend('postgres', () => openDb({ databaseUrl: schema.url }));
      results.push({ ...r, source });
      const cliSchema = await freshSchema(url, 'bench_cli');
      try {
        cold.push(wholeCommands('postgres', cliSchema.url));
      } finally {
        await cliSchema.drop().catch(() => {});
      }
    } finally {
      await schema.drop().catch(() => {});
      server?.stop();
    }
  } else {
    console.log('postgres: skipped (no DATABASE_URL and no PostgreSQL server binaries found)');
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** items/s beside the target and Tessera's two published rates, with the ratios. */
const rateColumns = (name, rate) =>
  [
    name.padEnd(9),
    Math.round(rate).toLocaleString('en').padStart(7),
    `  ${TARGET[name].toLocaleString('en').padStart(6)}`,
    `  ${(rate / TARGET[name]).toFixed(2).padStart(11)}`,
    `  ${(rate / TESSERA.mysql).toFixed(2).padStart(28)}`,
    `  ${(rate / TESSERA.posixNvme).toFixed(2).padStart(28)}`,
  ].join(' ');
const header = 'backend   items/s   target   ours/target   ours/Tessera MySQL (2,000/s)   ours/Tessera NVMe (10,000/s)';
console.log('\nheadline: the whole command, cold (`chipwatch registry import FILE --as NAME`, a fresh process)');
console.log(`${header}   wall time, peak RSS`);
for (const c of cold) {
  const rate = ITEMS / c.importSeconds;
  console.log(`${rateColumns(c.name, rate)}   ${c.importSeconds.toFixed(1)} s, ${c.importRssMb.toFixed(0)} MB`);
}
console.log('\nin process, warm (the import service after a 1,000-item warm-up filing; one process for all)');
console.log(`${header}   proof median / p95`);
for (const r of results) {
  const proofs = `${r.proofs.median.toFixed(2)} ms / ${r.proofs.p95.toFixed(2)} ms`;
  console.log(`${rateColumns(r.name, r.rate)}   ${proofs} (tree ${r.proofs.treeSize.toLocaleString('en')})`);
}
for (const r of results) if (r.source) console.log(`postgres: ${r.source}`);
console.log(
  `(end to end: parse + validate + insert + log append + commit of one ${ITEMS.toLocaleString('en')}-item CSV ` +
    `filing; wall time ${results.map((r) => `${r.name} ${(r.ms / 1000).toFixed(1)} s`).join(', ')}; ` +
    `load average ${loadavg()[0].toFixed(1)} at end)`,
);
