// The one way a command opens the database: the PostgreSQL server the settings name, else the embedded PGlite
// database in the command's --data-dir. The settings are read once by the assembler (src/app/) and passed down.
import { join, resolve } from 'node:path';
import type { Db } from '../db/index.js';

export interface DbSettings {
  /** PostgreSQL server URL (DATABASE_URL); undefined: the embedded database in DATA_DIR/pgdata. */
  databaseUrl?: string;
  /** Its streaming replica (DATABASE_READ_URL), for the reads a command sends to `db.reader`. */
  databaseReadUrl?: string;
}

/** Opens the database, runs `fn` with it and the absolute data directory, and closes it whatever happens. */
export async function withDb<T>(
  settings: DbSettings,
  dataDir: string,
  fn: (db: Db, dataDir: string) => Promise<T>,
): Promise<T> {
  // Loaded on use: commands that never touch the database (estimate, screen) do not load PGlite.
  const { openDb } = await import('../db/index.js');
  const dir = resolve(dataDir);
  const db = await openDb({
    databaseUrl: settings.databaseUrl,
    readUrl: settings.databaseReadUrl,
    dataDir: join(dir, 'pgdata'),
  });
  try {
    return await fn(db, dir);
  } finally {
    await db.close();
  }
}
