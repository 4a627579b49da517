// `chipwatch serve`: the HTTP API and its OpenAPI docs on the configured database, with the scheduler's
// periodic checks. What `npm start` runs (with --demo).
import { existsSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { collect, nonNegativeInt, positiveInt } from '../cli/io.js';
import type { Db } from '../db/index.js';
import type { Config } from './config.js';

interface ServeOptions {
  port?: number;
  host: string;
  dataDir: string;
  demo?: boolean;
  demoSeed: number;
  demoWorld: boolean;
  checkInterval: number;
  witness: string[];
  witnessQuorum?: number;
}

async function serveAction(config: Config, o: ServeOptions): Promise<void> {
  const dataDir = resolve(o.dataDir);
  if (config.listsDir) (await import('./scheduler.js')).assertListsDir(config.listsDir);
  const { openDb } = await import('../db/index.js');
  const db = await openDb({
    databaseUrl: config.databaseUrl,
    readUrl: config.databaseReadUrl,
    dataDir: join(dataDir, 'pgdata'),
  });
  if (db.reader.replica) await replicaAnswers(db);
  const { buildApp } = await import('./server.js');
  // --witness replaces CHIPWATCH_WITNESSES; checkpoints are published once a quorum cosigned them.
  const { witnessPolicy } = await import('../tlog/index.js');
  const fromFlags = o.witness.length > 0;
  const witnesses = witnessPolicy(
    fromFlags ? o.witness : config.witnesses,
    o.witnessQuorum ?? config.witnessQuorum,
    fromFlags ? '--witness' : 'CHIPWATCH_WITNESSES',
  );
  const { loadPowSecret } = await import('../tips/pow.js');
  const app = await buildApp({
    db,
    tipsPow: { secret: loadPowSecret(dataDir), bits: config.tipsPowBits },
    tlog: { kek: { dataDir, logKek: config.logKek }, witnesses },
    useWasm: config.useWasm,
    cacheDir: join(dataDir, 'cache'),
    logger: {
      level: config.logLevel,
      // API keys travel in the Authorization header; keep them out of every log line.
      redact: ['req.headers.authorization', 'req.headers.cookie'],
    },
  });
  if (o.demo) {
    const { databaseIsEmpty, ensureDemoWorld } = await import('./demo/index.js');
    const empty = await databaseIsEmpty(db); // before the admin key: only an empty database gets the world
    await ensureDemoKey(db, dataDir, (m) => app.log.info(m));
    if (o.demoWorld && empty) {
      const { signerFrom } = await import('../tlog/index.js');
      await app.ready();
      const logSigner = signerFrom(db, { dataDir, logKek: config.logKek });
      await ensureDemoWorld({ db, app, dataDir, seed: o.demoSeed, logSigner, log: (m) => app.log.info(m) });
    }
  }
  let stopScheduler = async () => {};
  if (o.checkInterval > 0) {
    const { startScheduler } = await import('./scheduler.js');
    stopScheduler = startScheduler({ db, intervalMs: o.checkInterval * 60_000, log: app.log });
  }
  // Tip commitments of finished days go into the transparency log without a cron job (docs/tips.md).
  const { startTipsPublish } = await import('./scheduler.js');
  const { signerFrom } = await import('../tlog/index.js');
  const stopPublish = startTipsPublish({
    db,
    signer: signerFrom(db, { dataDir, logKek: config.logKek }),
    intervalMs: 3_600_000,
    log: app.log,
  });
  let stopLists = async () => {};
  if (config.listsDir) {
    const { startListsWatch } = await import('./scheduler.js');
    const intervalMs = config.listsCheckSeconds * 1000;
    stopLists = startListsWatch({
      db,
      dir: resolve(config.listsDir),
      intervalMs,
      log: app.log,
      cacheDir: join(dataDir, 'cache'),
    });
  }
  const close = async () => {
    await stopLists();
    await stopPublish();
    await stopScheduler();
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
  const url = await app.listen({ port: o.port ?? config.port, host: o.host });
  // The bound address itself (0.0.0.0 when every interface), so an exposed server is plain to see.
  const bound = app.server.address() as AddressInfo;
  const listening = `${bound.address}:${bound.port}`;
  const reads = db.reader.replica ? 'replica' : 'primary';
  app.log.info({ database: db.kind, reads, docs: '/docs', url, listening }, 'chipwatch serving');
  await new Promise<never>(() => {}); // run until signalled
}

/** A server whose read replica does not answer refuses to start, saying which setting to look at. */
async function replicaAnswers(db: Db): Promise<void> {
  try {
    await db.reader.query('select 1');
  } catch (e) {
    await db.close();
    const { ValidationError } = await import('../errors.js');
    const reason = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    throw new ValidationError(`the read replica does not answer: ${reason}`, { field: 'DATABASE_READ_URL' });
  }
}

/** Writes a demo admin key next to the data, readable only by its owner; never logs the secret. */
async function ensureDemoKey(db: Db, dataDir: string, log: (m: string) => void): Promise<void> {
  const file = join(dataDir, 'demo-admin.key');
  if (existsSync(file)) return;
  const { createApiKey } = await import('../accounts/index.js');
  const { key } = await createApiKey(db, { role: 'admin', label: 'demo' });
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  log(`demo admin API key written to ${file}`);
}

export function registerServeCommand(program: Command, config: Config): void {
  program
    .command('serve')
    .description('run the HTTP API and its OpenAPI docs (/docs); PGlite in --data-dir unless DATABASE_URL is set')
    .option('-p, --port <port>', `TCP port (default: PORT or ${config.port})`, positiveInt('port', 65535))
    // Loopback unless asked: `npm start` creates a demo admin key, which must not be reachable from the network.
    .option('--host <host>', 'address to listen on (0.0.0.0: every interface)', '127.0.0.1')
    .option('--data-dir <dir>', 'data directory for the embedded database', '.chipwatch')
    .option(
      '--demo',
      'write a demo admin key to DATA_DIR/demo-admin.key; on an empty database also build the demo world, ' +
        'with a key per role in DATA_DIR/demo-keys.json',
    )
    .option('--no-demo-world', 'with --demo: only the admin key, no demo world')
    .option(
      '--demo-seed <n>',
      'seed of the demo world (same seed, same world)',
      nonNegativeInt('--demo-seed', 2 ** 31),
      17,
    )
    // At most a week: timers hold at most 2^31 - 1 ms (about 24 days), and a week is long enough.
    .option(
      '--check-interval <minutes>',
      'run due location checks and post-shipment verifications every N minutes ' +
        '(0: never; then call POST /api/verify/run-due from cron)',
      nonNegativeInt('--check-interval', 10_080),
      60,
    )
    .option('--witness <url=vkey>', 'a witness of the log (repeatable; replaces CHIPWATCH_WITNESSES)', collect, [])
    .option(
      '--witness-quorum <n>',
      'cosignatures a checkpoint needs before it is published (default: all)',
      positiveInt('--witness-quorum', 100),
    )
    .action((o: ServeOptions) => serveAction(config, o));
}
