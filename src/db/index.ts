// Public API of the db domain: open the configured database and bring its schema up to date.
import type { Db } from './db.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';
import { migrate, readMigrations } from './migrate.js';
import { MIGRATIONS_DIR } from '../paths.js';

export type { Db, Queryable, Row } from './db.js';
export { openPglite } from './pglite.js';
export { openPostgres } from './postgres.js';
export { migrate, readMigrations } from './migrate.js';

export interface OpenOptions {
  /** PostgreSQL server URL; when undefined, PGlite is used. */
  databaseUrl?: string;
  /** PGlite data directory; undefined means in-memory. */
  dataDir?: string;
  migrationsDir?: string;
}

/** Opens the database the options name and applies pending migrations. */
export async function openDb(opts: OpenOptions): Promise<Db> {
  const db = opts.databaseUrl ? await openPostgres(opts.databaseUrl) : await openPglite(opts.dataDir);
  try {
    await migrate(db, readMigrations(opts.migrationsDir ?? MIGRATIONS_DIR));
  } catch (e) {
    await db.close();
    throw e;
  }
  return db;
}
