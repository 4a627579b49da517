// Packed bulk columns round-trip exactly through both backends: '' vs NULL, one element, types.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.js';
import { pack, unnestPacked } from '../../src/registry/packed.js';
import { backends } from '../helpers/db.js';

describe.each(backends)('packed columns ($name)', (backend) => {
  let db: Db;
  beforeAll(async () => {
    db = await backend.open();
  });
  afterAll(async () => {
    await db.close();
  });

  it('keeps empty strings, NULLs, numbers, booleans and dates apart', async () => {
    const text = ['', null, 'a,b "c"', 'é字'];
    const ints = [0, null, -5, 9007199254740991];
    const floats = [1.2966, null, -119.4368, 0];
    const bools = [true, false, null, true];
    const dates = ['2026-03-05', null, '2026-12-31', '2024-02-29'];
    const rows = await db.query<{
      t: string | null;
      i: number | null;
      f: number | null;
      b: boolean | null;
      d: string | null;
    }>(
      `select t, i, f, b, d::text as d
       from ${unnestPacked(['text', 'bigint', 'float8', 'bool', 'date'])} as u(t, i, f, b, d)`,
      [text, ints, floats, bools, dates].map(pack),
    );
    expect(rows.map((r) => r.t)).toEqual(text);
    expect(rows.map((r) => (r.i === null ? null : Number(r.i)))).toEqual(ints);
    expect(rows.map((r) => r.f)).toEqual(floats);
    expect(rows.map((r) => r.b)).toEqual(bools);
    expect(rows.map((r) => r.d)).toEqual(dates);
    const one = await db.query<{ t: string }>(`select t from ${unnestPacked(['text'])} as u(t)`, [pack([''])]);
    expect(one).toEqual([{ t: '' }]);
  });

  it('refuses values holding a separator', () => {
    expect(() => pack(['a\u001fb'])).toThrow(/separator/);
    expect(() => pack(['\u001e'])).toThrow(/separator/);
  });
});
