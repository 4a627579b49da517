// `chipwatch serve` (the HTTP API and its OpenAPI docs; the dashboard is not built yet) and `chipwatch keys` (API key administration on the
// local database). Both open the database the configuration names.
import type { Command } from 'commander';
import { Option } from 'commander';
import { join } from 'node:path';
import { existsSync, writeFileSync } from 'node:fs';
import { loadConfig } from '../config.js';
import { nonNegativeInt, positiveInt, print, printJson } from './io.js';
import { UsageError } from './errors.js';

async function openConfiguredDb(dataDir?: string) {
  const { openDb } = await import('../db/index.js');
  const config = loadConfig(process.env, { dataDir });
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: join(config.dataDir, 'pgdata') });
  return { db, config };
}

export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description('run the HTTP API and its OpenAPI docs (/docs); PGlite in --data-dir unless DATABASE_URL is set')
    .option('-p, --port <port>', 'TCP port', positiveInt('port', 65535))
    // Loopback unless asked: `npm start` creates a demo admin key, which must not be reachable from the network.
    .option('--host <host>', 'address to listen on (0.0.0.0: every interface)', '127.0.0.1')
    .option('--data-dir <dir>', 'data directory for the embedded database', '.chipwatch')
    .option('--demo', 'create a demo admin key (written to DATA_DIR/demo-admin.key) when none exists')
    // At most a week: timers hold at most 2^31 - 1 ms (about 24 days), and a week is long enough.
    .option('--check-interval <minutes>', 'run due location checks and post-shipment verifications every N minutes (0: never; then call POST /api/verify/run-due from cron)', nonNegativeInt('--check-interval', 10_080), 60)
    .action(async (opts: { port?: number; host: string; dataDir: string; demo?: boolean; checkInterval: number }) => {
      const { db, config } = await openConfiguredDb(opts.dataDir);
      const { buildApp } = await import('../server/app.js');
      const app = await buildApp({
        db,
        tlog: { kek: { dataDir: config.dataDir, logKek: process.env.CHIPWATCH_LOG_KEK || undefined } },
        logger: {
          level: config.logLevel,
          // API keys travel in the Authorization header; keep them out of every log line.
          redact: ['req.headers.authorization', 'req.headers.cookie'],
        },
      });
      if (opts.demo) await ensureDemoKey(db, config.dataDir, (m) => app.log.info(m));
      let stopScheduler = async () => {};
      if (opts.checkInterval > 0) {
        const { startScheduler } = await import('../server/scheduler.js');
        stopScheduler = startScheduler({ db, intervalMs: opts.checkInterval * 60_000, log: app.log });
      }
      const close = async () => {
        await stopScheduler();
        await app.close();
        await db.close();
        process.exit(0);
      };
      process.once('SIGINT', close);
      process.once('SIGTERM', close);
      const url = await app.listen({ port: opts.port ?? config.port, host: opts.host });
      // The bound address itself (0.0.0.0 when every interface), so an exposed server is plain to see.
      const bound = app.server.address() as import('node:net').AddressInfo;
      const listening = `${bound.address}:${bound.port}`;
      app.log.info({ database: db.kind, docs: '/docs', url, listening }, 'chipwatch serving');
      await new Promise<never>(() => {}); // run until signalled
    });

  const keys = program.command('keys').description('manage API keys on the configured database (local administrator)');
  keys
    .command('create')
    .description('create an API key; the secret is printed once and stored only as a hash')
    .addOption(new Option('--role <role>', 'role of the key').choices(['admin', 'regulator', 'filer', 'auditor', 'analyst', 'compliance']).makeOptionMandatory())
    .option('--org <name>', 'organisation the key acts for (created on first use); required for filer')
    .option('--label <text>', 'free-text label', '')
    .option('--data-dir <dir>', 'data directory for the embedded database', '.chipwatch')
    .option('--json', 'print JSON')
    .action(async (opts: { role: 'admin' | 'filer'; org?: string; label: string; dataDir: string; json?: boolean }) => {
      if (opts.role === 'filer' && !opts.org) throw new UsageError('a filer key needs --org');
      const { db } = await openConfiguredDb(opts.dataDir);
      try {
        const { createApiKey, ensureOrganisation } = await import('../accounts/index.js');
        const organisationId = opts.org ? await ensureOrganisation(db, opts.org) : null;
        const created = await createApiKey(db, { role: opts.role, organisationId, label: opts.label });
        if (opts.json) printJson({ id: created.id, role: opts.role, organisation: opts.org ?? null, key: created.key });
        else print(created.key);
      } finally {
        await db.close();
      }
    });
  keys
    .command('list')
    .description('list API keys: id, prefix, role, organisation, label, created, revoked (never the secrets)')
    .option('--data-dir <dir>', 'data directory for the embedded database', '.chipwatch')
    .option('--json', 'print JSON')
    .action(async (opts: { dataDir: string; json?: boolean }) => {
      const { db } = await openConfiguredDb(opts.dataDir);
      try {
        const { listApiKeys } = await import('../accounts/index.js');
        const list = await listApiKeys(db);
        if (opts.json) printJson(list);
        else printKeyTable(list);
      } finally {
        await db.close();
      }
    });
  keys
    .command('revoke <id>')
    .description('revoke an API key by id (the last active admin key cannot be revoked)')
    .option('--data-dir <dir>', 'data directory for the embedded database', '.chipwatch')
    .action(async (id: string, opts: { dataDir: string }) => {
      const n = Number(id);
      if (!Number.isSafeInteger(n) || n < 1) throw new UsageError('id must be a positive integer');
      const { db } = await openConfiguredDb(opts.dataDir);
      try {
        const { revokeApiKey } = await import('../accounts/index.js');
        await revokeApiKey(db, n);
        print(`revoked key ${n}`);
      } finally {
        await db.close();
      }
    });
}

/** Writes a demo admin key next to the data, readable only by its owner; never logs the secret. */
async function ensureDemoKey(db: import('../db/index.js').Db, dataDir: string, log: (m: string) => void): Promise<void> {
  const file = join(dataDir, 'demo-admin.key');
  if (existsSync(file)) return;
  const { createApiKey } = await import('../accounts/index.js');
  const { key } = await createApiKey(db, { role: 'admin', label: 'demo' });
  writeFileSync(file, key + '\n', { mode: 0o600 });
  log(`demo admin API key written to ${file}`);
}

function printKeyTable(list: import('../accounts/index.js').KeyInfo[]): void {
  if (list.length === 0) {
    print('no API keys (create one with: chipwatch keys create --role admin)');
    return;
  }
  const rows = [['ID', 'PREFIX', 'ROLE', 'ORGANISATION', 'LABEL', 'CREATED', 'REVOKED'],
    ...list.map((k) => [String(k.id), k.prefix, k.role, k.organisation ?? '-', k.label || '-',
      k.createdAt.slice(0, 19) + 'Z', k.revokedAt ? k.revokedAt.slice(0, 19) + 'Z' : '-'])];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) print(r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
}
