// Template validation (pure): every problem carries row, column and reason; good rows become items.
import { describe, expect, it } from 'vitest';
import { readSheet } from '../../src/registry/sheet.js';
import { ProblemList } from '../../src/registry/problems.js';
import { rowsToCsv, sampleRows } from '../../src/registry/sample.js';
import { TEMPLATE_COLUMNS, templateCsv } from '../../src/registry/template.js';
import { isCountryCode, validateRow } from '../../src/registry/validate.js';
import { streamOf } from './helpers.js';

const good = sampleRows({ count: 1, seed: 1 })[0];

describe('registry validation', () => {
  it("publishes exactly the issue's columns, in order", () => {
    expect(templateCsv().trim()).toBe(
      'serial_number,product_name,eccn,item_status,' +
        'new_owner_name,new_owner_address,new_owner_country,new_owner_phone,' +
        'location_operator_name,location_address,location_country,location_phone,location_lat,location_lon,' +
        'transaction_begin_date,transaction_complete_date,purchase_order',
    );
  });

  it('accepts a good row and normalises it', () => {
    const p = new ProblemList();
    const item = validateRow({ ...good, eccn: '4a090.A', item_status: 'Active', new_owner_country: 'sg' }, 2, p);
    expect(p.items).toEqual([]);
    expect(item).toMatchObject({
      row: 2,
      eccn: '4A090.a',
      status: 'active',
      owner: { country: 'SG' },
      location: { lat: expect.any(Number) },
    });
  });

  it('reports each bad cell with row, column and reason', () => {
    const p = new ProblemList();
    const item = validateRow(
      {
        ...good,
        serial_number: '',
        eccn: 'GPU',
        new_owner_country: 'XX',
        location_lat: '91',
        transaction_begin_date: '2026-02-30',
        new_owner_phone: 'call me',
      },
      7,
      p,
    );
    expect(item).toBeNull();
    const byColumn = Object.fromEntries(p.items.map((x) => [x.column, x]));
    expect(Object.keys(byColumn).sort()).toEqual([
      'eccn',
      'location_lat',
      'new_owner_country',
      'new_owner_phone',
      'serial_number',
      'transaction_begin_date',
    ]);
    expect(p.items.every((x) => x.row === 7 && x.reason.length > 3)).toBe(true);
    expect(byColumn.serial_number.reason).toBe('required');
  });

  it('rejects completion before begin, half coordinates and unknown countries', () => {
    const p = new ProblemList();
    validateRow(
      { ...good, transaction_begin_date: '2026-03-10', transaction_complete_date: '2026-03-01', location_lon: '' },
      3,
      p,
    );
    expect(p.items.map((x) => x.column).sort()).toEqual(['location_lon', 'transaction_complete_date']);
    expect(isCountryCode('US')).toBe(true);
    expect(isCountryCode('XX')).toBe(false);
    expect(isCountryCode('usa')).toBe(false);
  });

  it('lets a lost item leave owner and location empty', () => {
    const p = new ProblemList();
    const blank = Object.fromEntries(TEMPLATE_COLUMNS.map((c) => [c, '']));
    const item = validateRow(
      {
        ...blank,
        serial_number: 'X1',
        product_name: 'H100',
        eccn: '4A090.a',
        item_status: 'lost',
        transaction_begin_date: '2026-01-02',
        transaction_complete_date: '2026-01-02',
      },
      2,
      p,
    );
    expect(p.items).toEqual([]);
    expect(item).toMatchObject({ owner: null, location: null, status: 'lost' });
  });

  it('collects problems across a CSV: header, duplicates, cap', async () => {
    const rows = sampleRows({ count: 3, seed: 2 });
    rows[2].serial_number = rows[0].serial_number;
    rows[1].eccn = '';
    const { items, problems } = await readSheet(streamOf(rowsToCsv(rows)), 'csv');
    expect(problems.items).toEqual([
      { row: 3, column: 'eccn', reason: 'required' },
      { row: 4, column: 'serial_number', reason: `serial ${rows[0].serial_number} already on row 2` },
    ]);
    expect(items).toHaveLength(2);

    const bad = await readSheet(streamOf('serial_number,colour\nA,red\n'), 'csv');
    expect(bad.problems.items[0]).toEqual({
      row: 1,
      column: 'colour',
      reason: expect.stringMatching(/unknown column/),
    });
    expect(bad.problems.items.filter((x) => x.reason === 'missing column')).toHaveLength(16);

    const many = sampleRows({ count: 1500, seed: 3 }).map((r) => ({ ...r, eccn: 'nope' }));
    const capped = await readSheet(streamOf(rowsToCsv(many)), 'csv');
    expect(capped.problems.total).toBe(1500);
    expect(capped.problems.items).toHaveLength(1000);
  });

  it('turns an unreadable CSV into a problem, not a crash', async () => {
    const { problems } = await readSheet(streamOf(templateCsv() + '"unclosed,quote\n'), 'csv');
    expect(problems.items[0].reason).toMatch(/unreadable file/);
    const empty = await readSheet(streamOf(''), 'csv');
    expect(empty.problems.items[0].reason).toMatch(/empty file/);
  });
});
