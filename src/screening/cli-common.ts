// Helpers shared by the screening commands: the configured database and who the CLI acts as.
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { loadConfig } from '../config.js';
import type { Db } from '../db/index.js';

export const DATA_DIR_HELP = 'data directory (embedded database and caches)';

export async function withDb<T>(dataDir: string, fn: (db: Db) => Promise<T>): Promise<T> {
  const { openDb } = await import('../db/index.js');
  const config = loadConfig(process.env, { dataDir });
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: join(config.dataDir, 'pgdata') });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

export function cliActor(): string {
  let user = 'unknown';
  try { user = userInfo().username; } catch { /* no passwd entry */ }
  return `cli:${user}`;
}
