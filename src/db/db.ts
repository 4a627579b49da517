// The one database interface every domain uses. Two adapters implement it: PGlite (embedded WASM
// PostgreSQL, the default) and pg (a PostgreSQL server via DATABASE_URL). The same SQL runs on both.

export type Row = Record<string, unknown>;

export interface Queryable {
  /** Run one parameterised statement ($1, $2, ...) and return its rows. */
  query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Run a script of several statements without parameters (migrations, DDL). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /**
   * Run `fn` in one transaction: committed when it resolves, rolled back when it throws. Every write
   * that spans rows goes through here.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
