// The evidence base through the built bin, on both databases: the seed loads on a fresh data directory (the
// study's 25 cases with their sources, once), a bad file is refused with every problem by row and column and
// nothing stored, a re-import changes nothing, changed content under a stored id is refused, JSON imports too.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BinDir, binDir, databases, removeBinDirs } from '../helpers/bin-dir.js';

interface ItemJson {
  id: string;
  kind: string;
  date: string;
  datePrecision: string;
  gpus: number | null;
  h100e: number | null;
  serials: string[];
  source: { title: string; publisher: string | null; url: string | null };
  entities: { entityId: string; role: string; name: string }[];
  attributes: Record<string, string>;
}

const SEED = readFileSync(join(import.meta.dirname, '..', '..', 'data', 'evidence', 'cases.csv'), 'utf8');
/** The seed's ids, read from the shipped file by a plain split (each row starts with its id). */
const SEED_IDS = SEED.split('\n')
  .slice(1)
  .map((l) => l.split(',')[0])
  .filter(Boolean);

describe.each(databases)('intel evidence through the bin ($name)', { timeout: 1_200_000 }, (database) => {
  let w: BinDir;
  beforeAll(async () => {
    w = await binDir('cw-evid-', database.url);
  });
  afterAll(removeBinDirs);

  it('a fresh data directory lists the 25 seed cases with their sources', () => {
    const items = w.json<ItemJson[]>('intel', 'evidence', 'list');
    expect(SEED_IDS).toHaveLength(25);
    expect(items.map((i) => i.id).sort()).toEqual([...SEED_IDS].sort());
    for (const i of items) expect(i.source.title.length, i.id).toBeGreaterThan(0);
    const acs12 = items.find((i) => i.id === 'ACS-12')!;
    expect([acs12.gpus, acs12.h100e]).toEqual([8888, 8888]);
    const acs17 = items.find((i) => i.id === 'ACS-17')!;
    expect(acs17.source.publisher).toBeTruthy();
    const q1 = items.find((i) => i.datePrecision === 'quarter')!;
    expect(q1.date).toMatch(/^\d{4}-(01|04|07|10)-01$/);
    expect(acs12.entities.map((e) => e.name).sort()).toEqual([
      'Dell Technologies',
      'I.S. LLC',
      'Main Chain Ltd',
      'Shreya Life Sciences',
    ]);
    const text = w.ok('intel', 'evidence', 'list', '--kind', 'indictment');
    expect(text).toContain('ACS-18');
    expect(text).toContain('source: Reuters');
    // Loaded once: a second command finds it there.
    expect(w.json<ItemJson[]>('intel', 'evidence', 'list')).toHaveLength(25);
  });

  it('a bad file is refused with every problem by row and column, and nothing is stored', () => {
    const bad = w.file(
      'bad.csv',
      'serial_number,seen_on,country,place,source_title,source_url,quantity\n' +
        'OK-1,2026-03-01,CN,Shenzhen,Listing,https://example.test/1,2\n' +
        'OK-2,2026-02-30,CN,Shenzhen,Listing,https://example.test/2,\n' +
        'OK-3,2026-03-01,ZZ,,Listing,ftp://example.test/3,many\n',
    );
    const r = w.run('intel', 'import', bad, '--kind', 'listing');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('row 3, seen_on: 2026-02-30 is not a calendar date');
    expect(r.stderr).toContain('row 4, country: "ZZ" is not an ISO 3166-1 alpha-2 country code');
    expect(r.stderr).toContain('row 4, place: is required');
    expect(r.stderr).toContain('row 4, source_url:');
    expect(r.stderr).toContain('row 4, quantity: "many" is not a non-negative number');
    expect(r.stderr).not.toMatch(/at .*\.(c?js|ts):\d+/); // no stack trace
    const j = w.run('intel', 'import', bad, '--kind', 'listing', '--json');
    expect(j.status).toBe(1);
    const out = JSON.parse(j.stdout) as { rejected: boolean; errors: { row: number; column: string }[] };
    expect(out.errors.map((e) => `${e.row}:${e.column}`)).toEqual([
      '3:seen_on',
      '4:country',
      '4:place',
      '4:source_url',
      '4:quantity',
    ]);
    expect(w.json<ItemJson[]>('intel', 'evidence', 'list', '--category', 'listing')).toEqual([]);
    const missing = w.run(
      'intel',
      'import',
      w.file('cols.csv', 'serial_number,seen_on\nA,2026\n'),
      '--kind',
      'sighting',
    );
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('row 1, country: the file lacks the column country');
  });

  it('re-import changes nothing; the same id with other content is refused', () => {
    const caseCsv = (title: string) =>
      'id,date,date_precision,kind,title,source_title,quantity,quantity_unit,chip_model,parties,serials\n' +
      `SEIZ-1,2026-Q1,quarter,seizure,${title},Customs press release,3,server,NVIDIA A100,` +
      'Example Freight Ltd,SZ-1;SZ-2\n';
    const first = w.json<{ inserted: string[]; unchanged: string[] }>(
      'intel',
      'import',
      w.file('case.csv', caseCsv('Seizure of three servers')),
      '--kind',
      'case',
    );
    expect(first).toMatchObject({ inserted: ['SEIZ-1'], unchanged: [] });
    const again = w.json<{ inserted: string[]; unchanged: string[] }>('intel', 'import', 'case.csv', '--kind', 'case');
    expect(again).toMatchObject({ inserted: [], unchanged: ['SEIZ-1'] });
    const item = w.json<ItemJson>('intel', 'evidence', 'show', 'SEIZ-1');
    expect([item.date, item.datePrecision, item.gpus, item.h100e]).toEqual(['2026-01-01', 'quarter', 24, 7.56]);
    expect(item.serials).toEqual(['SZ-1', 'SZ-2']);
    const changed = w.run('intel', 'import', w.file('case2.csv', caseCsv('Seizure of four servers')), '--kind', 'case');
    expect(changed.status).toBe(1);
    expect(changed.stderr).toContain('row 2, column id: evidence SEIZ-1 is already stored with different content');
    expect(w.json<ItemJson>('intel', 'evidence', 'show', 'SEIZ-1').gpus).toBe(24);
  });

  it('imports JSON with the same field names, extra columns kept as attributes', () => {
    const doc = [
      {
        serial_number: 'J-1',
        seen_on: '2026-03-05',
        country: 'CN',
        place: 'Shenzhen',
        source_title: 'Xianyu listing',
        source_url: 'https://example.test/j1',
        price_usd: 30500,
        seller: 'Fast Compute Trading Co',
      },
    ];
    const r = w.json<{ inserted: string[] }>(
      'intel',
      'import',
      w.file('l.json', JSON.stringify(doc)),
      '--kind',
      'listing',
    );
    const item = w.json<ItemJson>('intel', 'evidence', 'show', r.inserted[0]);
    expect(item.attributes).toEqual({ price_usd: '30500' });
    expect(item.entities.map((e) => [e.role, e.name])).toEqual([['seller', 'Fast Compute Trading Co']]);
    const bad = w.run('intel', 'import', w.file('b.json', '[{"serial_number": {"x": 1}}]'), '--kind', 'listing');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('row 1, serial_number: must be a string');
  });
});
