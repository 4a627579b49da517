// One contract for the Db interface, run against every backend.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/db.js';
import { migrate, readMigrations, type Db } from '../../src/db/index.js';
import { MIGRATIONS_DIR } from '../../src/paths.js';

describe.each(backends)('Db contract on $name', ({ open }) => {
  let db: Db;
  beforeAll(async () => {
    db = await open();
    await db.exec('create table kv (k text primary key, v integer not null)');
  });
  afterAll(async () => db?.close());

  it('runs parameterised queries and returns rows', async () => {
    await db.query('insert into kv (k, v) values ($1, $2), ($3, $4)', ['a', 1, 'b', 2]);
    const rows = await db.query<{ k: string; v: number }>('select k, v from kv order by k');
    expect(rows).toEqual([
      { k: 'a', v: 1 },
      { k: 'b', v: 2 },
    ]);
  });

  it('returns bigint counts as numbers on both backends', async () => {
    const [row] = await db.query<{ n: number }>('select count(*) as n from kv');
    expect(row.n).toBe(2);
  });

  it('commits a transaction that resolves', async () => {
    await db.transaction(async (tx) => {
      await tx.query('insert into kv (k, v) values ($1, $2)', ['c', 3]);
    });
    expect(await db.query('select 1 from kv where k = $1', ['c'])).toHaveLength(1);
  });

  it('rolls back every row of a transaction that throws', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query('insert into kv (k, v) values ($1, $2)', ['d', 4]);
        await tx.query('insert into kv (k, v) values ($1, $2)', ['a', 5]); // duplicate key
      }),
    ).rejects.toThrow();
    expect(await db.query('select 1 from kv where k = $1', ['d'])).toHaveLength(0);
  });

  it('has applied every migration exactly once, and re-running applies none', async () => {
    const all = readMigrations(MIGRATIONS_DIR);
    const rows = await db.query<{ version: string }>('select version from schema_migrations order by version');
    expect(rows.map((r) => r.version)).toEqual(all.map((m) => m.version));
    expect(await migrate(db, all)).toEqual([]);
  });

  it('rolls back a failing migration completely', async () => {
    const bad = [{ version: '999', name: 'bad', sql: 'create table half_done (x int); select * from no_such_table;' }];
    await expect(migrate(db, bad)).rejects.toThrow();
    expect(await db.query(`select 1 from information_schema.tables where table_name = 'half_done'`)).toHaveLength(0);
    expect(await db.query(`select 1 from schema_migrations where version = '999'`)).toHaveLength(0);
  });
});
