// Db.reader, the read side a call site chooses explicitly: the primary itself without a replica (PGlite always),
// and with a read URL a second pool whose sessions are read-only, so a write sent there fails. The streaming
// replica itself is exercised with real servers in test/e2e/read-replica.test.ts.
import { describe, expect, it } from 'vitest';
import { openDb, replicaLagBytes } from '../../src/db/index.js';
import { backends, freshSchemaUrl } from '../helpers/db.js';

describe.each(backends)('Db.reader without a replica ($name)', ({ open }) => {
  it('is the primary: not a replica, and it reads a write at once', async () => {
    const db = await open();
    try {
      expect(db.reader.replica).toBe(false);
      await db.exec('create table reader_probe (n int)');
      await db.query('insert into reader_probe values (1)');
      expect(await db.reader.query('select n from reader_probe')).toEqual([{ n: 1 }]);
      expect(await replicaLagBytes(db)).toBeNull();
    } finally {
      await db.close();
    }
  });
});

describe.skipIf(!process.env.DATABASE_URL)('Db.reader on a second URL (PostgreSQL)', () => {
  it('queries through read-only sessions: reads work, a write fails, the primary still writes', async () => {
    const url = await freshSchemaUrl(process.env.DATABASE_URL!);
    const db = await openDb({ databaseUrl: url, readUrl: url });
    try {
      expect(db.reader.replica).toBe(true);
      await db.exec('create table reader_probe (n int)');
      await db.query('insert into reader_probe values (1)');
      expect(await db.reader.query('select n from reader_probe')).toEqual([{ n: 1 }]);
      expect(await db.reader.transaction((tx) => tx.query('select count(*)::int as c from reader_probe'))).toEqual([
        { c: 1 },
      ]);
      await expect(db.reader.query('insert into reader_probe values (2)')).rejects.toThrow(/read-only transaction/);
      await expect(db.reader.transaction((tx) => tx.query('delete from reader_probe'))).rejects.toThrow(/read-only/);
      expect(await db.query('select n from reader_probe')).toEqual([{ n: 1 }]);
      // Not a standby (pg_last_wal_replay_lsn() is null outside recovery): no lag to report.
      expect(await replicaLagBytes(db)).toBeNull();
    } finally {
      await db.close();
    }
  });
});

describe('openDb with a read URL and no server', () => {
  it('is refused: the embedded database has no replica', async () => {
    await expect(openDb({ readUrl: 'postgres://127.0.0.1:1/x' })).rejects.toThrow(/needs a PostgreSQL primary/);
  });
});
