// The pure parts of the evidence base and the alert rules: period dates, GPU and H100-equivalent conversion,
// party schemata, record checks with every problem by row and column, and when a sighting contradicts the
// registry (and which kind wins when several contradictions hold).
import { describe, expect, it } from 'vitest';
import { formatPeriod, parsePeriod } from '../../src/intel/evidence/dates.js';
import { CHIP_FACTORS, factorOf, gpusOf, h100eFactor, h100eOf } from '../../src/intel/evidence/h100e.js';
import { itemsFromRecords } from '../../src/intel/evidence/items.js';
import { partyEntityId, partySchema } from '../../src/intel/evidence/parties.js';
import { Problems } from '../../src/intel/evidence/problems.js';
import { readRecords } from '../../src/intel/evidence/records.js';
import { judgeSighting, type RegistryPicture, type Sighting } from '../../src/intel/sightings/rules.js';

describe('period dates', () => {
  it.each([
    ['2025-02-27', '2025-02-27', 'day'],
    ['2024-07', '2024-07-01', 'month'],
    ['2025-Q1', '2025-01-01', 'quarter'],
    ['2024-Q4', '2024-10-01', 'quarter'],
    ['2023', '2023-01-01', 'year'],
  ])('%s is %s at %s precision, and formats back', (text, date, precision) => {
    expect(parsePeriod(text)).toEqual({ date, precision });
    expect(formatPeriod(date, precision as 'day')).toBe(text);
  });
  it.each(['2025-02-30', '2025-13', '2025-Q5', '25', 'yesterday', '1800'])('%s is refused with a reason', (t) => {
    expect(typeof parsePeriod(t)).toBe('string');
  });
});

describe('GPUs and H100-equivalents', () => {
  it('a server is 8 GPUs, a card one, an unknown unit nothing', () => {
    expect([gpusOf(1111, 'server'), gpusOf(400, 'card'), gpusOf(6, 'gpu'), gpusOf(2e6, 'unknown')]).toEqual([
      8888,
      400,
      6,
      null,
    ]);
    expect(gpusOf(null, 'gpu')).toBeNull();
  });
  it('factors are dense BF16 throughput over the H100 SXM', () => {
    expect(h100eFactor('NVIDIA A100')).toBeCloseTo(312 / 989, 3);
    expect(h100eFactor('NVIDIA H100 (servers)')).toBe(1);
    expect(h100eFactor('NVIDIA H100; H200')).toBe(1); // two models, one factor
    expect(h100eFactor('NVIDIA A100; H100')).toBeNull(); // two models, two factors: unknown mix
    expect(h100eFactor('NVIDIA restricted AI chips (model not specified)')).toBeNull();
    expect(h100eOf(24, 'NVIDIA A100')).toBe(7.56);
    for (const f of CHIP_FACTORS) expect(f.source.length, f.model).toBeGreaterThan(0);
    expect(CHIP_FACTORS.find((f) => f.model === 'H100')!.pattern.test('H100 PCIe')).toBe(false);
    expect(factorOf(CHIP_FACTORS.find((f) => f.model === 'H100 PCIe')!)).toBeCloseTo(756 / 989, 3);
  });
});

describe('parties', () => {
  it('get an FtM schema from the name and one id per spelling of it', () => {
    expect(partySchema('Super Micro Computer')).toBe('Company');
    expect(partySchema('Tsinghua University')).toBe('Organization');
    expect(partySchema('Ministry of Commerce')).toBe('PublicBody');
    expect(partySchema('Shreya Life Sciences')).toBe('LegalEntity');
    expect(partyEntityId('Main Chain Ltd')).toBe(partyEntityId('  MAIN  chain, LTD '));
    expect(partyEntityId('Main Chain Ltd')).not.toBe(partyEntityId('Main Chain'));
  });
});

describe('records to items', () => {
  const csv = (text: string) => readRecords(Buffer.from(text), 'x.csv');
  it('collects every problem of every row, and builds no item from a bad row', () => {
    const r = csv(
      'id,date,date_precision,kind,title,source_title,quantity,quantity_unit,gpu_equivalent,route_to,confidence\n' +
        'A-1,2024,year,seizure,T,S,2,server,16,CN,reported\n' +
        'A-2,2024-05,year,raid,T,S,2,server,2,CHN,sure\n' +
        'A-1,2024,year,seizure,T,S,,,,,\n',
    );
    const p = new Problems();
    const items = itemsFromRecords('case', r.columns, r.records, p);
    expect(items.map((i) => i.item.id)).toEqual(['A-1']);
    expect(p.items.map((x) => `${x.row}:${x.column}`)).toEqual([
      '3:kind',
      '3:date_precision',
      '3:gpu_equivalent',
      '3:route_to',
      '3:confidence',
      '4:id',
    ]);
  });
  it('gives a listing without an id the same id each time', () => {
    const text = 'serial_number,seen_on,country,place,source_title,source_url\nS-1,2026-01-02,CN,Shenzhen,L,\n';
    const ids = [1, 2].map(() => {
      const r = csv(text);
      return itemsFromRecords('listing', r.columns, r.records, new Problems())[0].item.id;
    });
    expect(ids[0]).toMatch(/^LST-[0-9a-f]{16}$/);
    expect(ids[1]).toBe(ids[0]);
  });
  it('reports a byte that is not UTF-8 and a quote out of place', () => {
    expect(readRecords(Buffer.from([0x61, 0x0a, 0x62, 0xff]), 'x.csv').problems.items[0]).toMatchObject({ row: 2 });
    expect(csv('a,b\n"x"y,1\n').problems.items[0].reason).toMatch(/malformed CSV/);
  });
});

describe('sightings against the registry', () => {
  const seen = (country: string | null): Sighting => ({
    serial: 'S-1',
    evidenceId: 'L-1',
    evidenceKind: 'listing',
    country,
    place: 'Somewhere',
    date: '2026-04-01',
  });
  const filed = (over: Partial<RegistryPicture> = {}): RegistryPicture => ({
    filed: true,
    filingId: 3,
    exporter: 'Exports SA',
    owner: 'Kuala Data Centre Sdn Bhd',
    ownerPartyId: 4,
    country: 'MY',
    site: 'Persiaran APEC',
    status: 'active',
    lastVerdict: null,
    ...over,
  });
  const R = new Set(['CN', 'HK', 'MO']);
  const notFiled = { ...filed(), filed: false, filingId: null, owner: null, country: null };
  it.each([
    ['never filed', seen('SG'), notFiled, 'never-filed'],
    ['lost, seen where declared', seen('MY'), filed({ status: 'lost' }), 'reported-lost'],
    ['destroyed, seen in CN', seen('CN'), filed({ status: 'destroyed' }), 'reported-lost'],
    ['declared MY, seen CN', seen('CN'), filed(), 'seen-outside-declared-country'],
    ['declared MY, seen SG', seen('SG'), filed(), 'seen-outside-declared-country'],
    ['declared CN, seen CN', seen('CN'), filed({ country: 'CN' }), 'restricted-country'],
    ['declared MY, seen MY', seen('MY'), filed(), null],
    ['declared MY, seen somewhere unknown', seen(null), filed(), null],
  ])('%s', (_name, s, r, kind) => {
    expect(judgeSighting(s, r, R)?.kind ?? null).toBe(kind);
  });
});
