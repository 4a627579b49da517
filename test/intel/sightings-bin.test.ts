// Serial sightings through the built bin, on both databases. The done-when test: a chip filed in Malaysia and a
// listing of the same serial in Shenzhen give exactly one alert naming the filing, the owner and the listing.
// Also: a never-filed serial alerts, a sighting where the chip is declared does not, re-import raises nothing new,
// and acknowledging keeps the alert.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryPartyId } from '../../src/intel/entities/sources.js';
import { rowsToCsv, sampleRows } from '../../src/registry/sample.js';
import { type BinDir, binDir, databases, removeBinDirs } from '../helpers/bin-dir.js';

interface AlertJson {
  id: string;
  kind: string;
  serial: string;
  entity: string | null;
  reason: string;
  evidence: { id: string; kind: string; country: string | null; place: string | null; source: { url: string } }[];
  entityId: string | null;
  registry: {
    filingId: number | null;
    owner: string | null;
    ownerPartyId: number | null;
    country: string | null;
    exporter: string | null;
  };
  raisedAt: string;
  acknowledgements: { note: string }[];
}

const SEEN_HEADER = 'serial_number,seen_on,country,place,source_title,source_url,price_usd,seller,chip_model';

/** One chip, owned by Kuala Data Centre Sdn Bhd at AIMS Cyberjaya (MY), filed by Exports SA. */
function malaysianFiling(serial: string): string {
  const [row] = sampleRows({ count: 1, seed: 7, month: '2026-02' });
  return rowsToCsv([
    {
      ...row,
      serial_number: serial,
      new_owner_name: 'Kuala Data Centre Sdn Bhd',
      new_owner_address: 'Jalan Cyber 3, 63000 Cyberjaya',
      new_owner_country: 'MY',
      new_owner_phone: '+60 3 8888 1000',
      location_operator_name: 'AIMS Cyberjaya',
      location_address: 'Persiaran APEC, 63000 Cyberjaya',
      location_country: 'MY',
      location_phone: '+60 3 8318 0000',
      location_lat: '2.9213',
      location_lon: '101.6559',
    },
  ]);
}

describe.each(databases)('serial sightings through the bin ($name)', { timeout: 1_200_000 }, (database) => {
  let w: BinDir;
  let filingId: number;
  beforeAll(async () => {
    w = await binDir('cw-sight-', database.url);
    const filed = w.json<{ filingId: number }>(
      'registry',
      'import',
      w.file('filing.csv', malaysianFiling('MY-H100-0001')),
      '--as',
      'Exports SA',
    );
    filingId = filed.filingId;
  });
  afterAll(removeBinDirs);

  it('a chip filed in Malaysia, listed in Shenzhen: exactly one alert naming filing, owner and listing', () => {
    const listing = w.file(
      'listing.csv',
      `${SEEN_HEADER}\nMY-H100-0001,2026-04-02,CN,Shenzhen,Huaqiangbei shop listing,https://shop.example.cn/item/1,` +
        '31000,Shenzhen Fast Compute Co,NVIDIA H100\n',
    );
    const imported = w.json<{ inserted: string[]; alerts: string[] }>('intel', 'import', listing, '--kind', 'listing');
    expect(imported.inserted).toHaveLength(1);
    expect(imported.alerts).toHaveLength(1);
    const alerts = w.json<AlertJson[]>('intel', 'alerts');
    expect(alerts).toHaveLength(1);
    const [a] = alerts;
    expect(a.id).toBe(imported.alerts[0]);
    expect(a.kind).toBe('seen-outside-declared-country');
    expect(a.serial).toBe('MY-H100-0001');
    expect(a.registry.filingId).toBe(filingId);
    expect(a.registry.owner).toBe('Kuala Data Centre Sdn Bhd');
    expect(a.registry.country).toBe('MY');
    expect(a.registry.exporter).toBe('Exports SA');
    expect(a.entity).toBe('Kuala Data Centre Sdn Bhd');
    expect(a.registry.ownerPartyId).toBeGreaterThan(0);
    expect(a.entityId).toBe(registryPartyId(String(a.registry.ownerPartyId))); // the owner's FtM entity
    expect(a.evidence.map((e) => [e.id, e.kind, e.country, e.place])).toEqual([
      [imported.inserted[0], 'listing', 'CN', 'Shenzhen'],
    ]);
    expect(a.evidence[0].source.url).toBe('https://shop.example.cn/item/1');
    expect(a.reason).toContain(`filing ${filingId}`);
    expect(a.reason).toContain('CN is a restricted destination');
    expect(Date.parse(a.raisedAt)).not.toBeNaN();
    // The human table names the same alert.
    const table = w.ok('intel', 'alerts');
    expect(table).toContain(a.id);
    expect(table).toContain('MY-H100-0001');
  });

  it('re-importing the listing changes nothing and raises nothing', () => {
    const again = w.json<{ inserted: string[]; unchanged: string[]; alerts: string[] }>(
      'intel',
      'import',
      'listing.csv',
      '--kind',
      'listing',
    );
    expect(again.inserted).toEqual([]);
    expect(again.unchanged).toHaveLength(1);
    expect(again.alerts).toEqual([]);
    expect(w.json<AlertJson[]>('intel', 'alerts')).toHaveLength(1);
  });

  it('a never-filed serial alerts; a sighting where the chip is declared does not', () => {
    const sighting = w.file(
      'sighting.csv',
      `${SEEN_HEADER}\nGHOST-0001,2026-04,HK,Kowloon,Customs note,,,,\n` +
        'MY-H100-0001,2026-04-10,MY,Cyberjaya,Site visit report,https://example.test/visit,,,\n',
    );
    const r = w.json<{ inserted: string[]; alerts: string[] }>('intel', 'import', sighting, '--kind', 'sighting');
    expect(r.inserted).toHaveLength(2);
    expect(r.alerts).toHaveLength(1);
    const ghost = w.json<AlertJson[]>('intel', 'alerts', '--serial', 'GHOST-0001');
    expect(ghost.map((a) => [a.kind, a.registry.filingId, a.evidence[0].country])).toEqual([
      ['never-filed', null, 'HK'],
    ]);
    expect(ghost[0].reason).toContain('never filed');
    expect(w.json<AlertJson[]>('intel', 'alerts', '--serial', 'MY-H100-0001')).toHaveLength(1);
  });

  it('an acknowledgement is appended; the alert stays and leaves the open list', () => {
    const [ghost] = w.json<AlertJson[]>('intel', 'alerts', '--serial', 'GHOST-0001');
    const acked = w.json<AlertJson>('intel', 'alerts', 'ack', ghost.id, '--note', 'referred to customs');
    expect(acked.acknowledgements.map((k) => k.note)).toEqual(['referred to customs']);
    expect(acked.reason).toBe(ghost.reason);
    const open = w.json<AlertJson[]>('intel', 'alerts', '--open');
    expect(open.map((a) => a.serial)).toEqual(['MY-H100-0001']);
    expect(w.json<AlertJson[]>('intel', 'alerts')).toHaveLength(2);
  });

  it('a later filing of a serial seen earlier raises its alert on scan', () => {
    w.json('registry', 'import', w.file('late.csv', malaysianFiling('GHOST-0001')), '--as', 'Exports SA');
    const scan = w.json<{ raised: string[] }>('intel', 'alerts', 'scan');
    expect(scan.raised).toHaveLength(1);
    const ghost = w.json<AlertJson[]>('intel', 'alerts', '--serial', 'GHOST-0001');
    expect(ghost.map((a) => a.kind).sort()).toEqual(['never-filed', 'seen-outside-declared-country']);
    expect(w.json<{ raised: string[] }>('intel', 'alerts', 'scan').raised).toEqual([]);
  });
});
