// COPY rows (db/copy.ts) as a PostgreSQL server reads them: every value comes back as it was, whatever it holds.
import { describe, expect, it } from 'vitest';
import { copyBinary, copyField, copyLine } from '../../src/db/copy.js';
import { backends } from '../helpers/db.js';

describe('copy text fields', () => {
  it('writes NULL, booleans and numbers as the text format reads them, and escapes what it gives a meaning to', () => {
    expect(copyLine([null, true, false, 42, -1.5, 'plain'])).toBe('\\N\tt\tf\t42\t-1.5\tplain\n');
    expect(copyField('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyField('\\N')).toBe('\\\\N');
  });
});

const server = backends.find((b) => b.name === 'postgres');

describe.skipIf(!server)('COPY on a PostgreSQL server', () => {
  it('loads text rows with special characters and binary rows with bytes unchanged, inside a transaction', async () => {
    const db = await server!.open();
    try {
      await db.exec('create table copy_probe (n bigint, t text, b boolean, d date)');
      await db.exec('create table copy_bytes (i bigint, h bytea, e bytea)');
      const texts = ['back\\slash', 'tab\there', 'new\nline', '\\N', 'ünïcode "quoted"', ''];
      const bytes = [new Uint8Array([0, 1, 2, 255]), new Uint8Array(0), Buffer.from('{"a":"\\u0000"}')];
      await db.transaction(async (tx) => {
        const text = texts.map((t, i) => copyLine([i, t, i % 2 === 0, '2026-01-0' + (i + 1)])).join('');
        const n = await tx.copyFrom!(
          'copy copy_probe (n, t, b, d) from stdin',
          Buffer.from(text + copyLine([9, null, null, null])),
        );
        expect(n).toBe(texts.length + 1);
        const rows = bytes.map((e, i) => [{ int8: 2 ** 40 + i }, new Uint8Array([i]), e]);
        expect(await tx.copyFrom!('copy copy_bytes (i, h, e) from stdin (format binary)', copyBinary(rows))).toBe(3);
      });
      const got = await db.query<{ n: number; t: string | null; b: boolean | null; d: string | null }>(
        'select n, t, b, d::text as d from copy_probe order by n',
      );
      expect(got).toEqual([
        ...texts.map((t, i) => ({ n: i, t, b: i % 2 === 0, d: `2026-01-0${i + 1}` })),
        { n: 9, t: null, b: null, d: null },
      ]);
      const bin = await db.query<{ i: number; h: Uint8Array; e: Uint8Array }>(
        'select i, h, e from copy_bytes order by i',
      );
      expect(bin.map((r) => [r.i, [...r.h], [...r.e]])).toEqual(bytes.map((e, i) => [2 ** 40 + i, [i], [...e]]));
    } finally {
      await db.close();
    }
  });

  it('rolls the whole transaction back when a COPY fails', async () => {
    const db = await server!.open();
    try {
      await db.exec('create table copy_fail (n int primary key)');
      await expect(
        db.transaction(async (tx) => {
          await tx.query('insert into copy_fail values (1)');
          await tx.copyFrom!('copy copy_fail (n) from stdin', Buffer.from('2\n1\n'));
        }),
      ).rejects.toThrow(/duplicate key/);
      expect(await db.query('select n from copy_fail')).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
