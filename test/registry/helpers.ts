// Shared test helpers: sample rows as a stream, and the log the registry appends to.
import { Readable } from 'node:stream';
import type { Queryable } from '../../src/db/index.js';
import type { LogAppender } from '../../src/registry/import.js';

export function streamOf(text: string | Buffer): Readable {
  return Readable.from([typeof text === 'string' ? Buffer.from(text) : text]);
}

/** A transactional stand-in for the tlog store (leaves in a table, indices dense from 0). */
export const tableLog: LogAppender = {
  async appendEntries(tx: Queryable, entries: readonly Uint8Array[]) {
    await tx.exec('create table if not exists test_log_leaves (idx bigint primary key, data bytea not null)');
    await tx.query('lock table test_log_leaves in exclusive mode');
    const [{ n }] = await tx.query<{ n: number }>('select count(*)::int as n from test_log_leaves');
    const first = Number(n);
    await tx.query('insert into test_log_leaves select $1::bigint + i - 1, d from unnest($2::bytea[]) with ordinality as u(d, i)', [first, entries.map((e) => Buffer.from(e))]);
    return { firstIndex: first, treeSize: first + entries.length };
  },
};
