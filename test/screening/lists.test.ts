// List parsing on the real files: CSL CSV, the JSON form, OFAC sdn.csv + alt.csv, and bad input.
import { describe, expect, it } from 'vitest';
import { parseCslCsv } from '../../src/screening/lists/csl-csv.js';
import { parseCslJson } from '../../src/screening/lists/csl-json.js';
import { applyAltCsv, parseSdnCsv } from '../../src/screening/lists/ofac.js';
import { detectFormat, loadListFiles } from '../../src/screening/lists/load.js';
import { ValidationError } from '../../src/errors.js';
import { cslExtract, sharedText } from './shared-data.js';

describe('CSL CSV', () => {
  const entries = parseCslCsv(sharedText('csl-2022-05.csv'), 'csl-2022-05.csv');

  it('reads every record of the 2022 snapshot with its list', () => {
    expect(entries).toHaveLength(14160);
    const byList = new Map<string, number>();
    for (const e of entries) byList.set(e.list, (byList.get(e.list) ?? 0) + 1);
    expect(byList.get('EL')).toBe(2001);
    expect(byList.get('SDN')).toBe(10026);
    expect(byList.get('DPL')).toBe(462);
    expect(byList.get('UVL')).toBe(201);
    // The 2022 file repeats one Capta List row (BANK OF KUNLUN, ent_num 15268); the loader drops it.
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length - 1);
  });

  it('keeps addresses with their country, programs, aliases, ids and dates', () => {
    const albin = entries.find((e) => e.name === 'Albin Technologies Sdn Bhd.')!;
    expect(albin.list).toBe('EL');
    expect(albin.addresses).toHaveLength(2);
    expect(albin.addresses[0]).toMatchObject({ country: 'MY', city: 'Kuala Lumpur' });
    expect(albin.dates.start).toBe('2013-12-12');
    expect(albin.federalRegisterNotice).toContain('78 FR 75458');
    const abd = entries.find((e) => e.id === 'sdn:9935')!;
    expect(abd.type).toBe('individual');
    expect(abd.programs).toEqual(['SDGT']);
    expect(abd.aliases).toContain('ABDELRAZIK, Sofian');
    expect(abd.ids).toContain('CA, BC166787, Passport');
    expect(abd.countries).toEqual(expect.arrayContaining(['CA', 'SD']));
    expect(abd.dates.birth).toEqual(['1962-08-06']);
  });

  it('names the row and column of a bad record and returns nothing', () => {
    const good = cslExtract(['Albin Technologies']);
    const [header, row] = good.trim().split('\n');
    const badDate = row.replace('2013-12-12', '12/12/2013');
    expect(() => parseCslCsv([header, row, badDate].join('\n'), 'x.csv')).toThrowError(ValidationError);
    try {
      parseCslCsv([header, row, badDate].join('\n'), 'x.csv');
    } catch (e) {
      expect((e as ValidationError).location).toMatchObject({ row: 3, column: 'start_date' });
      expect((e as ValidationError).toLine()).toMatch(
        /^row 3, column start_date: x\.csv: "12\/12\/2013" is not a date/,
      );
    }
    const short = row.split(',').slice(0, 5).join(',');
    expect(() => parseCslCsv([header, short].join('\n'), 'x.csv')).toThrowError(/row has 5 fields, the header has 29/);
    const noName = row.replace('Albin Technologies Sdn Bhd.', '');
    try {
      parseCslCsv([header, noName].join('\n'), 'x.csv');
      expect.unreachable();
    } catch (e) {
      expect((e as ValidationError).location).toMatchObject({ row: 2, column: 'name' });
    }
    expect(() => parseCslCsv('a,b\n1,2\n', 'x.csv')).toThrowError(/lacks the column "source"/);
    expect(() => parseCslCsv(header + '\n"unterminated,', 'x.csv')).toThrowError(/malformed CSV/);
  });
});

describe('CSL JSON', () => {
  const doc = {
    results: [
      {
        id: 'e1',
        source: 'Entity List (EL) - Bureau of Industry and Security',
        name: 'Example Microelectronics Co., Ltd.',
        alt_names: ['Example Micro'],
        programs: ['EAR'],
        type: 'Entity',
        start_date: '2024-01-02',
        addresses: [
          {
            address: 'Room 1, 2 Tech Road',
            city: 'Shenzhen',
            state: 'Guangdong',
            postal_code: '518000',
            country: 'CN',
          },
        ],
        ids: [{ type: 'Registration', number: '9144', country: 'CN' }],
        nationalities: null,
        citizenships: [],
      },
    ],
  };

  it('reads records with structured addresses and ids', () => {
    const [e] = parseCslJson(JSON.stringify(doc));
    expect(e).toMatchObject({
      id: 'csl:e1',
      list: 'EL',
      type: 'entity',
      aliases: ['Example Micro'],
      countries: ['CN'],
      ids: ['Registration, 9144, CN'],
    });
    expect(e.addresses[0]).toMatchObject({ city: 'Shenzhen', country: 'CN', postalCode: '518000' });
    expect(detectFormat({ name: 'x.json', text: JSON.stringify(doc) })).toBe('csl-json');
  });

  it('rejects a record without a name, naming the record', () => {
    const bad = { results: [doc.results[0], { ...doc.results[0], name: ' ' }] };
    try {
      parseCslJson(JSON.stringify(bad), 'x.json');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).location).toMatchObject({ row: 2, column: 'name' });
    }
    expect(() => parseCslJson('{"results": 3}')).toThrowError(/expected an array/);
    expect(() => parseCslJson('{')).toThrowError(/not valid JSON/);
  });
});

describe('OFAC SDN', () => {
  const sdn = parseSdnCsv(sharedText('ofac-sdn-2024-05-03.csv'));

  it('reads all 14,965 entries despite the 0x1A end byte, mapping -0- to empty', () => {
    expect(sdn).toHaveLength(14965);
    const e = sdn.find((x) => x.id === 'sdn:36')!;
    expect(e).toMatchObject({ name: 'AEROCARIBBEAN AIRLINES', programs: ['CUBA'], type: 'entity' });
    expect(e.remarks).toBeUndefined();
    expect(sdn.filter((x) => x.type === 'individual').length).toBeGreaterThan(5000);
  });

  it('attaches alt.csv aliases and counts aliases of entries it does not have', () => {
    const r = applyAltCsv(sdn, sharedText('ofac-alt-2025-08.csv'));
    expect(r.applied + r.orphans).toBe(19776);
    expect(sdn.find((x) => x.id === 'sdn:306')!.aliases).toContain('NATIONAL BANK OF CUBA');
  });

  it('lifts nationality and dates of birth from remarks', () => {
    const withNat = sdn.filter((x) => x.remarks?.includes('nationality Iran'));
    expect(withNat.length).toBeGreaterThan(100);
    for (const x of withNat) expect(x.countries).toContain('IR');
  });

  it('rejects a row with the wrong number of fields', () => {
    expect(() => parseSdnCsv('36,"A",-0- ,"CUBA"\n')).toThrowError(/row 1|fields/);
    try {
      parseSdnCsv(
        '36,"A",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n' +
          'X,"B",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n',
      );
      expect.unreachable();
    } catch (e) {
      expect((e as ValidationError).location).toMatchObject({ row: 2, column: 'ent_num' });
    }
  });
});

describe('loading a list set', () => {
  it('merges the CSL copy of an SDN entry with sdn.csv and drops delisted ones', () => {
    const set = loadListFiles([
      { name: 'csl.csv', text: sharedText('csl-2022-05.csv') },
      { name: 'sdn.csv', text: sharedText('ofac-sdn-2024-05-03.csv') },
      { name: 'alt.csv', text: sharedText('ofac-alt-2025-08.csv') },
    ]);
    const ids = set.entries.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const abd = set.entries.find((e) => e.id === 'sdn:9935')!;
    expect(abd.ids).toContain('CA, BC166787, Passport'); // from the CSL copy
    expect(set.warnings.join(' ')).toMatch(/delisted/);
    expect(set.sources).toHaveLength(3);
  });

  it('refuses alt.csv without its sdn.csv and unknown files', () => {
    expect(() => loadListFiles([{ name: 'alt.csv', text: '36,12,"aka","AERO-CARIBBEAN",-0- \n' }])).toThrowError(
      /need the sdn.csv/,
    );
    expect(() => loadListFiles([{ name: 'x.txt', text: 'hello world' }])).toThrowError(/not a recognised list/);
  });
});

describe('CSL JSON and CSV agree on real records', () => {
  it('gives the same entries for the same records in both forms', async () => {
    const { parse } = await import('csv-parse/sync');
    const text = cslExtract([
      'Albin Technologies',
      "'ABD AL-RAZZIQ",
      'Alagir Resistor Factory',
      'BANCO NACIONAL DE CUBA',
    ]);
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    const split = (s: string) =>
      s
        .split(';')
        .map((x) => x.trim())
        .filter(Boolean);
    const json = {
      results: rows.map((r) => ({
        id: r._id,
        source: r.source,
        entity_number: r.entity_number,
        type: r.type,
        programs: split(r.programs),
        name: r.name,
        alt_names: split(r.alt_names),
        start_date: r.start_date,
        end_date: r.end_date,
        federal_register_notice: r.federal_register_notice,
        remarks: r.remarks,
        source_information_url: r.source_information_url,
        citizenships: split(r.citizenships),
        nationalities: split(r.nationalities),
        dates_of_birth: split(r.dates_of_birth),
        ids: split(r.ids),
        addresses: split(r.addresses).map((a) => {
          const p = a.split(',').map((x) => x.trim());
          return {
            address: p.slice(0, -1).join(', '),
            city: null,
            state: null,
            postal_code: null,
            country: p[p.length - 1],
          };
        }),
      })),
    };
    const fromCsv = parseCslCsv(text);
    const fromJson = parseCslJson(JSON.stringify(json));
    expect(fromJson.length).toBe(fromCsv.length);
    expect(fromCsv.length).toBeGreaterThanOrEqual(4);
    const pick = (e: (typeof fromCsv)[number]) => ({
      id: e.id,
      list: e.list,
      type: e.type,
      name: e.name,
      aliases: e.aliases,
      programs: e.programs,
      ids: e.ids,
      countries: [...e.countries].sort(),
      dates: e.dates,
      addresses: e.addresses.map((a) => a.country),
    });
    expect(fromJson.map(pick)).toEqual(fromCsv.map(pick));
  });
});
