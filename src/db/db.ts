// The one database interface every domain uses. Two adapters implement it: PGlite (embedded WASM
// PostgreSQL, the default) and pg (a PostgreSQL server via DATABASE_URL). The same SQL runs on both.

export type Row = Record<string, unknown>;

export interface Queryable {
  /** Run one parameterised statement ($1, $2, ...) and return its rows. */
  query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Run a script of several statements without parameters (migrations, DDL). */
  exec(sql: string): Promise<void>;
  /**
   * Bulk-load rows with `COPY table (columns) FROM STDIN [...]` and `data` in that statement's format (copy.ts);
   * resolves to the rows loaded. Only a transaction on a PostgreSQL server has it: elsewhere, INSERT ... SELECT.
   */
  copyFrom?(sql: string, data: Buffer): Promise<number>;
}

export interface Transactional extends Queryable {
  /**
   * Run `fn` in one transaction: committed when it resolves, rolled back when it throws. Every write
   * that spans rows goes through here.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
}

/**
 * Where reads that may lag behind the latest writes go: a streaming replica (DATABASE_READ_URL), whose
 * sessions are read-only, or, without one, the primary itself. A call site chooses it explicitly.
 */
export interface Reader extends Transactional {
  /** true: a separate server (a replica) that may not have replayed the latest commits yet. */
  readonly replica: boolean;
}

export interface Db extends Transactional {
  readonly kind: 'pglite' | 'postgres';
  /** Reads that tolerate lag (histories, listings, exports); writes and read-your-writes stay on the Db itself. */
  readonly reader: Reader;
  close(): Promise<void>;
}
