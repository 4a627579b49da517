// Registry parties, their recorded owners and screening-list entries become entities, on both databases:
// deterministic ids, Ownership links from the filed owners, list identifiers as FtM properties, a second run
// changes nothing, and an owner set a later filing replaces loses its old links.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.js';
import { listEntryEntity, parseListId, registryPartyId } from '../../src/intel/entities/sources.js';
import { syncEntities } from '../../src/intel/entities/sync.js';
import { importFiling } from '../../src/registry/import.js';
import { readSheet } from '../../src/registry/sheet.js';
import { sampleRows } from '../../src/registry/sample.js';
import { TEMPLATE_COLUMNS } from '../../src/registry/template.js';
import type { ListEntry } from '../../src/screening/index.js';
import { streamOf, tlog } from '../registry/helpers.js';
import { backends } from '../helpers/db.js';

const G1 = ['owner_parent_1_name', 'owner_parent_1_country', 'owner_parent_1_share'];
const day = (d: string) => new Date(`${d}T12:00:00Z`);

/** One filing: the new owner (SG) with the parent named, at the share given. */
function filing(owner: string, parent: string, share: string, serialPrefix: string): string {
  const cols = [...TEMPLATE_COLUMNS, ...G1];
  const rows = sampleRows({ count: 1, seed: 3, serialPrefix }).map((r) => ({
    ...r,
    new_owner_name: owner,
    new_owner_country: 'SG',
    owner_parent_1_name: parent,
    owner_parent_1_country: 'RU',
    owner_parent_1_share: share,
  }));
  const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const line = (r: Record<string, string>) => cols.map((c) => cell(r[c] ?? '')).join(',');
  return [cols.join(','), ...rows.map(line)].join('\n');
}

async function file(db: Db, csv: string, on: string): Promise<void> {
  const { items, problems } = await readSheet(streamOf(csv), 'csv');
  expect(problems.items).toEqual([]);
  await importFiling(db, { filer: { name: 'Filer Co' }, items, problems, source: 'csv', receivedAt: day(on) }, tlog);
}

const ENTRY: ListEntry = {
  id: 'csl:test-1',
  list: 'EL',
  source: 'Entity List (EL) - Bureau of Industry and Security',
  type: 'entity',
  programs: ['EAR'],
  name: 'Example Microelectronics Co., Ltd.',
  aliases: ['Example Micro'],
  addresses: [{ text: 'Building 4, 88 Example Road, Shenzhen, CN', country: 'CN' }],
  ids: ['CN, 91440300MA5EXAMPLE, Registration Number', 'Tax ID No. 7736640919 (Russia)'],
  countries: ['CN'],
  dates: {},
};

describe('list identifiers as FtM properties (pure)', () => {
  it('reads the CSL and OFAC ways of writing an id number', () => {
    expect(parseListId('CN, 91440300MA5EXAMPLE, Registration Number', false)).toEqual({
      property: 'registrationNumber',
      value: '91440300MA5EXAMPLE',
    });
    expect(parseListId('JO, 2014-08-30, 2009-08-31, K475336, Passport', true)).toEqual({
      property: 'passportNumber',
      value: 'K475336',
    });
    expect(parseListId('Tax ID No. 7736640919 (Russia)', false)).toEqual({
      property: 'taxNumber',
      value: '7736640919',
    });
    expect(parseListId('Male, Gender', true)).toBeUndefined();
  });
  it('makes an entity with the entry as its origin', () => {
    const e = listEntryEntity(ENTRY);
    expect(e).toMatchObject({ schema: 'LegalEntity', origin: 'screening', originRef: 'csl:test-1' });
    expect(e.properties).toMatchObject({
      name: ['Example Microelectronics Co., Ltd.'],
      alias: ['Example Micro'],
      country: ['cn'],
      registrationNumber: ['91440300MA5EXAMPLE'],
      taxNumber: ['7736640919'],
      topics: ['sanction'],
    });
  });
});

describe.each(backends)('intel sync ($name)', (backend) => {
  let db: Db;
  beforeAll(async () => {
    db = await backend.open();
    await file(db, filing('Harbour Compute Pte Ltd', 'Alagir Resistor Factory', '60', 'A-'), '2026-01-01');
  });
  afterAll(() => db.close());

  const count = async (sql: string) => Number((await db.query<{ n: number }>(sql))[0].n);

  it('makes entities of parties, owners and entries with Ownership links; a second run writes nothing', async () => {
    const r = await syncEntities(db, [ENTRY], day('2026-01-02'));
    expect(r).toMatchObject({ owners: 1, ownershipLinks: 1, listEntries: 1, staleLinks: 0 });
    const parties = await count('select count(*)::int as n from registry_parties');
    expect(r.registryParties).toBe(parties);
    const [party] = await db.query<{ id: string }>(
      "select id::text from registry_parties where name = 'Harbour Compute Pte Ltd'",
    );
    const [link] = await db.query<{ source_id: string; target_id: string; properties: Record<string, string[]> }>(
      "select source_id, target_id, properties from intel_links where origin = 'registry'",
    );
    expect(link.target_id).toBe(registryPartyId(party.id));
    expect(link.properties.percentage).toEqual(['60']);
    const [owner] = await db.query<{ schema: string; caption: string }>(
      'select schema, caption from intel_entities where id = $1',
      [link.source_id],
    );
    expect(owner).toEqual({ schema: 'LegalEntity', caption: 'Alagir Resistor Factory' });
    const [harbour] = await db.query<{ schema: string; properties: Record<string, string[]> }>(
      'select schema, properties from intel_entities where id = $1',
      [registryPartyId(party.id)],
    );
    expect(harbour.schema).toBe('Company');
    expect(harbour.properties.country).toEqual(['sg']);
    expect(await count("select count(*)::int as n from intel_identifiers where kind = 'registration'")).toBe(2);

    const before = await db.query('select id, updated_at from intel_entities order by id');
    const links = await db.query('select id from intel_links order by id');
    await syncEntities(db, [ENTRY], day('2026-01-03'));
    expect(await db.query('select id, updated_at from intel_entities order by id')).toEqual(before);
    expect(await db.query('select id from intel_links order by id')).toEqual(links);
  });

  it('drops the Ownership link of an owner a later filing replaced', async () => {
    await file(db, filing('Harbour Compute Pte Ltd', 'Kestrel Holdings', '55', 'B-'), '2026-02-01');
    const r = await syncEntities(db, [ENTRY], day('2026-02-02'));
    expect(r).toMatchObject({ ownershipLinks: 1, staleLinks: 1 });
    const owners = await db.query<{ caption: string }>(
      `select e.caption from intel_links l join intel_entities e on e.id = l.source_id
        where l.origin = 'registry' and l.schema = 'Ownership'`,
    );
    expect(owners).toEqual([{ caption: 'Kestrel Holdings' }]);
  });
});
