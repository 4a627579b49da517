// node bench/intel-resolve.mjs (after `npm run build`) — resolution candidates for 100,000 new entities among
// 200,000, on PostgreSQL (DATABASE_URL, else a server this bench starts) and on PGlite, each beside a plain SQL
// baseline measured in the same run (bench/lib/intel-resolve.mjs says what is generated and timed).
// BENCH_EXISTING / BENCH_FRESH change the sizes; BENCH_BACKENDS=postgres or pglite runs one.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeResolution, runResolutionBench } from './lib/intel-resolve.mjs';
import { freshSchema, startPostgres } from './lib/pg-server.mjs';

const existing = Number(process.env.BENCH_EXISTING ?? 100_000);
const fresh = Number(process.env.BENCH_FRESH ?? 100_000);
const backends = (process.env.BENCH_BACKENDS ?? 'postgres,pglite').split(',');
const log = (s) => process.stderr.write(`${s}\n`);

console.log(
  `${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, load ${loadavg()[0].toFixed(1)}, Node ${process.version}`,
);
for (const backend of backends) {
  if (backend === 'postgres') {
    const work = mkdtempSync(join(tmpdir(), 'chipwatch-bench-pg-'));
    const server = process.env.DATABASE_URL ? null : startPostgres(work);
    const url = process.env.DATABASE_URL ?? server?.url;
    if (!url) {
      console.log('resolution (postgres): skipped, no DATABASE_URL and no PostgreSQL binaries');
      continue;
    }
    const schema = await freshSchema(url, 'bench_resolve');
    try {
      console.log(describeResolution(await runResolutionBench({ existing, fresh, databaseUrl: schema.url, log })));
    } finally {
      await schema.drop();
      server?.stop();
      rmSync(work, { recursive: true, force: true });
    }
  } else {
    console.log(describeResolution(await runResolutionBench({ existing, fresh, log })));
  }
}
