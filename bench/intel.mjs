// npm run bench:intel — intelligence at scale (issue 19, Must 8), each figure beside a plain SQL baseline
// measured in the same run:
//  - networks: a generated graph (1,000,000 entities and 5,000,000 links on PostgreSQL, 100,000 and 500,000 on
//    PGlite; bench/lib/intel-network.mjs), the 2-hop neighbourhood's p50/p95 through the real code path beside a
//    recursive CTE, and `chipwatch intel network ID --hops 2 --json` once, cold, on the PGlite data directory;
//  - resolution: candidates for 100,000 new entities (bench/lib/intel-resolve.mjs).
// PostgreSQL is DATABASE_URL, else a server this bench starts. BENCH_NETWORK_PG / BENCH_NETWORK_PGLITE change the
// entity counts, BENCH_SAMPLES the roots timed, BENCH_PARTS=network,resolve and BENCH_BACKENDS=pglite,postgres
// what runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeNetwork, generateGraph, timeNeighbourhoods, timeNetworkCommand } from './lib/intel-network.mjs';
import { describeResolution, runResolutionBench } from './lib/intel-resolve.mjs';
import { freshSchema, startPostgres } from './lib/pg-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { openDb } = await import(join(root, 'dist', 'db', 'index.js'));
const N_PG = Number(process.env.BENCH_NETWORK_PG ?? 1_000_000);
const N_PGLITE = Number(process.env.BENCH_NETWORK_PGLITE ?? 100_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const parts = (process.env.BENCH_PARTS ?? 'network,resolve').split(',');
const backends = (process.env.BENCH_BACKENDS ?? 'pglite,postgres').split(',');
const log = (s) => process.stderr.write(`${s}\n`);

console.log(
  `${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, load ${loadavg()[0].toFixed(1)}, Node ${process.version}`,
);
const work = mkdtempSync(join(tmpdir(), 'chipwatch-bench-intel-'));
const server = process.env.DATABASE_URL ? null : startPostgres(work);
const pgUrl = process.env.DATABASE_URL ?? server?.url;
try {
  if (parts.includes('network') && backends.includes('pglite')) {
    // PGlite, in a data directory as the CLI uses it; then the whole command, cold, on that directory.
    const dataDir = join(work, 'data');
    let db = await openDb({ dataDir: join(dataDir, 'pgdata') });
    const genS = await generateGraph(db, N_PGLITE, log);
    const t = await timeNeighbourhoods(db, N_PGLITE, SAMPLES, log);
    await db.close();
    console.log(describeNetwork('pglite', N_PGLITE, genS, t));
    const env = { ...process.env };
    delete env.DATABASE_URL;
    // The first intel command of an install loads the evidence seed; a user pays that once, so it is not timed.
    db = await openDb({ dataDir: join(dataDir, 'pgdata') });
    const { ensureEvidenceSeed } = await import(join(root, 'dist', 'intel', 'evidence', 'seed.js'));
    await ensureEvidenceSeed(db, new Date());
    await db.close();
    const cmd = timeNetworkCommand(dataDir, work, env);
    console.log(
      `  chipwatch intel network e1 --hops 2 --json (built bin, cold, PGlite): ${cmd.seconds.toFixed(2)} s, ` +
        `peak RSS ${cmd.rssMb.toFixed(0)} MB, ${cmd.nodes} entities, ${cmd.links} links`,
    );
  }
  if (parts.includes('network') && backends.includes('postgres')) {
    if (pgUrl) {
      const schema = await freshSchema(pgUrl, 'bench_network');
      try {
        const pdb = await openDb({ databaseUrl: schema.url });
        const pgGen = await generateGraph(pdb, N_PG, log);
        const pt = await timeNeighbourhoods(pdb, N_PG, SAMPLES, log);
        await pdb.close();
        console.log(describeNetwork('postgres', N_PG, pgGen, pt));
        console.log(`  postgres: ${server ? server.label : 'DATABASE_URL'}`);
      } finally {
        await schema.drop().catch(() => {});
      }
    } else console.log('network (postgres): skipped, no DATABASE_URL and no PostgreSQL binaries');
  }
  if (parts.includes('resolve')) {
    if (pgUrl) {
      const schema = await freshSchema(pgUrl, 'bench_resolve');
      try {
        console.log(describeResolution(await runResolutionBench({ databaseUrl: schema.url, log })));
      } finally {
        await schema.drop().catch(() => {});
      }
    } else console.log('resolution (postgres): skipped, no DATABASE_URL and no PostgreSQL binaries');
  }
} finally {
  server?.stop();
  rmSync(work, { recursive: true, force: true });
}
console.log(`(load average ${loadavg()[0].toFixed(1)} at end)`);
