// PGlite adapter: an embedded PostgreSQL in a data directory (or in memory when dataDir is undefined).
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Db, Queryable, Row, Transactional } from './db.js';
import { lockDataDir } from './lock.js';

function wrap(q: Pick<PGlite, 'query' | 'exec'>): Queryable {
  return {
    async query<T = Row>(sql: string, params?: readonly unknown[]) {
      const res = await q.query<T>(sql, params as unknown[] | undefined);
      return res.rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  };
}

/**
 * PGlite's own default of 128 MB of shared buffers is most of a CLI command's memory (an empty database
 * opens in ~300 MB, ~180 MB with 16 MB): 32 MB keeps a streamed import of a million rows under 400 MB
 * (docs/performance.md, Registry).
 */
const PGLITE_CONF = 'shared_buffers = 32MB';

export async function openPglite(dataDir?: string): Promise<Db> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const release = dataDir ? lockDataDir(dataDir) : () => {};
  let pg: PGlite;
  try {
    pg = await PGlite.create(dataDir, { postgresqlconf: PGLITE_CONF });
  } catch (e) {
    release();
    throw e;
  }
  const primary: Transactional = {
    ...wrap(pg),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => pg.transaction((tx) => fn(wrap(tx))),
  };
  return {
    kind: 'pglite',
    ...primary,
    // One embedded database: there is no replica, every read is read-your-writes.
    reader: { ...primary, replica: false },
    close: async () => {
      try {
        await pg.close();
      } finally {
        release();
      }
    },
  };
}
