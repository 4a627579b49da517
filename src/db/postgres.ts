// pg adapter: a PostgreSQL server reached through DATABASE_URL, with a connection pool, and optionally a
// second pool on a streaming replica (DATABASE_READ_URL) for the reads that tolerate lag.
import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import type { Db, Queryable, Row, Transactional } from './db.js';

// Return int8 and numeric as JS numbers where they fit, like PGlite does, so both adapters give
// the same row shapes. Counts and ids in this project stay far below 2^53.
pg.types.setTypeParser(20, (v: string) => Number(v));
pg.types.setTypeParser(1700, (v: string) => Number(v));

function wrap(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<T = Row>(sql: string, params?: readonly unknown[]) {
      const res = await client.query(sql, params as unknown[] | undefined);
      return res.rows as T[];
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  };
}

/** COPY ... FROM STDIN on one client: the statement is queued like any query, so statements after it wait. */
function copyIn(client: pg.PoolClient, sql: string, data: Buffer): Promise<number> {
  const stream = client.query(copyFromStdin(sql));
  return new Promise((resolve, reject) => {
    stream.on('error', reject);
    stream.on('finish', () => resolve(stream.rowCount));
    stream.end(data);
  });
}

function transactional(pool: pg.Pool): Transactional {
  return {
    ...wrap(pool),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn({ ...wrap(client), copyFrom: (sql, data) => copyIn(client, sql, data) });
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
  };
}

const READ_ONLY = '-c default_transaction_read_only=on';

/**
 * The replica's connection settings with every session read-only: the server option goes after the URL's own
 * `options` (a search_path, say), since options in a URL override the ones passed beside it.
 */
export function readOnlySessions(url: string): { connectionString: string; options?: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { connectionString: url, options: READ_ONLY };
  }
  const own = u.searchParams.get('options');
  u.searchParams.set('options', own ? `${own} ${READ_ONLY}` : READ_ONLY);
  return { connectionString: u.toString() };
}

export interface PostgresOptions {
  /** Connections of each pool (default 10). */
  maxConnections?: number;
  /** A streaming replica's URL: `reader` queries go there, on read-only sessions. */
  readUrl?: string;
}

/**
 * Opens the pool on `url` (and answers `select 1` there). The replica's pool connects on first use, so a
 * command that only writes never touches the replica; every session it opens is read-only, so a write sent
 * there by mistake fails instead of landing on a server that is not the primary.
 */
export async function openPostgres(url: string, opts: PostgresOptions = {}): Promise<Db> {
  const max = opts.maxConnections ?? 10;
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle client losing its connection must not take the process down.
  pool.on('error', () => {});
  await pool.query('select 1');
  const primary = transactional(pool);
  let replica: pg.Pool | undefined;
  if (opts.readUrl) {
    replica = new pg.Pool({ ...readOnlySessions(opts.readUrl), max });
    replica.on('error', () => {});
  }
  return {
    kind: 'postgres',
    ...primary,
    reader: replica ? { ...transactional(replica), replica: true } : { ...primary, replica: false },
    close: async () => {
      await Promise.all([pool.end(), replica?.end()]);
    },
  };
}
