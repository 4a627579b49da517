// Public API of the db toolkit: open the configured database (and its read replica) and bring its schema up to
// date; migrations run on the primary only, a replica receives them by streaming.
import type { Db } from './db.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';
import { migrate, readMigrations } from './migrate.js';
import { MIGRATIONS_DIR } from '../paths.js';

export type { Db, Queryable, Reader, Row, Transactional } from './db.js';
export { openPglite } from './pglite.js';
export { openPostgres, type PostgresOptions } from './postgres.js';
export { migrate, readMigrations } from './migrate.js';
export { replicaLagBytes } from './replica.js';

export interface OpenOptions {
  /** PostgreSQL server URL; when undefined, PGlite is used. */
  databaseUrl?: string;
  /** A streaming replica of that server for `Db.reader` (needs databaseUrl); undefined: reads go to the primary. */
  readUrl?: string;
  /** PGlite data directory; undefined means in-memory. */
  dataDir?: string;
  migrationsDir?: string;
}

/** Opens the database the options name and applies pending migrations. */
export async function openDb(opts: OpenOptions): Promise<Db> {
  if (opts.readUrl && !opts.databaseUrl) throw new Error('a read replica needs a PostgreSQL primary (databaseUrl)');
  const db = opts.databaseUrl
    ? await openPostgres(opts.databaseUrl, { readUrl: opts.readUrl })
    : await openPglite(opts.dataDir);
  try {
    await migrate(db, readMigrations(opts.migrationsDir ?? MIGRATIONS_DIR));
  } catch (e) {
    await db.close();
    throw e;
  }
  return db;
}
