// How an intelligence command opens the database: as every command does (withDb), with the evidence seed
// loaded the first time, so a fresh install's `intel` commands see the study's evidence.
import { withDb } from '../../cli/db.js';
import type { Db } from '../../db/index.js';
import type { IntelSettings } from '../settings.js';
import { ensureEvidenceSeed } from './seed.js';

export function withIntelDb<T>(settings: IntelSettings, dataDir: string, fn: (db: Db) => Promise<T>): Promise<T> {
  return withDb(settings, dataDir, async (db) => {
    await ensureEvidenceSeed(db, new Date());
    return fn(db);
  });
}
