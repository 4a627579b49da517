// Owners of registry parties (owner_parent_N_* columns) for the 50% rule: validated cell by cell with
// row and column, one set per party, stored once per party all or nothing, replaced by a filing that names
// them, kept by one that does not, in the log leaf and the content hash, and read back as chains.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.js';
import { importFiling } from '../../src/registry/import.js';
import { canonicalJson, itemColumns, itemJson } from '../../src/registry/leaf.js';
import { ownerAndOperatorParties } from '../../src/registry/parties-source.js';
import { readSheet } from '../../src/registry/sheet.js';
import { FilingRejectedError } from '../../src/registry/problems.js';
import { sampleRows } from '../../src/registry/sample.js';
import { PARENT_COLUMNS, TEMPLATE_COLUMNS } from '../../src/registry/template.js';
import { writeTemplateXlsx } from '../../src/registry/template-xlsx.js';
import { registryIntegrity } from '../../src/registry/integrity.js';
import { backends } from '../helpers/db.js';
import { streamOf, tlog } from './helpers.js';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app/server.js';
import { createApiKey, ensureOrganisation } from '../../src/accounts/index.js';

const when = new Date('2026-04-02T10:00:00Z');
type Row = Record<string, string>;

/** A CSV of the template's columns plus the given extra (owner-parent) columns. */
function csv(rows: Row[], extra: readonly string[]): string {
  const cols = [...TEMPLATE_COLUMNS, ...extra];
  const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [cols.join(','), ...rows.map((r) => cols.map((c) => cell(r[c] ?? '')).join(','))].join('\n') + '\n';
}
const G1 = ['owner_parent_1_name', 'owner_parent_1_country', 'owner_parent_1_share'];
const G2 = ['owner_parent_2_name', 'owner_parent_2_country', 'owner_parent_2_share'];

/** `n` sample rows whose new owner is `owner` (country SG), serials prefixed. */
function rowsFor(owner: string, n: number, prefix: string, parents: Row = {}): Row[] {
  return sampleRows({ count: n, seed: 7, serialPrefix: prefix }).map((r) => ({
    ...r,
    new_owner_name: owner,
    new_owner_country: 'SG',
    ...parents,
  }));
}

async function read(text: string) {
  return readSheet(streamOf(text), 'csv');
}

describe('owner-parent columns (validation)', () => {
  it('reads parents with known, percent-sign and unknown shares; rows without them read as before', async () => {
    const rows = [
      ...rowsFor('Harbour Compute Pte Ltd', 1, 'A-', {
        owner_parent_1_name: 'Volna Holdings',
        owner_parent_1_country: 'ru',
        owner_parent_1_share: '60%',
        owner_parent_2_name: 'Lee Family Trust',
        owner_parent_2_share: '',
      }),
      ...rowsFor('Other Compute', 1, 'B-'),
    ];
    const { items, problems } = await read(csv(rows, [...G1, ...G2]));
    expect(problems.items).toEqual([]);
    expect(items[0].parents).toEqual([
      { n: 1, name: 'Volna Holdings', country: 'RU', share: 60 },
      { n: 2, name: 'Lee Family Trust', country: null },
    ]);
    expect('parents' in items[1]).toBe(false);
    // The leaf names the parents (an unknown share is null, not 0); an item without them encodes as before.
    expect(itemJson(items[0])).toBe(canonicalJson(itemColumns(items[0])));
    expect(JSON.parse(itemJson(items[0]))).toMatchObject({
      owner_parent_1_share: 60,
      owner_parent_2_name: 'Lee Family Trust',
      owner_parent_2_share: null,
    });
    expect(itemJson(items[1])).not.toContain('owner_parent');
    const plain = await read(csv(rowsFor('Other Compute', 1, 'B-'), []));
    expect(itemJson(plain.items[0])).toBe(itemJson(items[1]));
  });

  it('reports each bad owner-parent cell with its row and column', async () => {
    const r = (p: Row, owner = 'Harbour Compute Pte Ltd') => rowsFor(owner, 1, `X${Math.random()}`, p)[0];
    const rows = [
      r({ owner_parent_1_name: 'A Holdings', owner_parent_1_share: '150' }), // row 2
      r({ owner_parent_1_country: 'CN', owner_parent_1_share: '10' }), // row 3: no name
      r({ owner_parent_1_name: 'A', owner_parent_1_share: '70', owner_parent_2_name: 'B', owner_parent_2_share: '40' }),
      r({ owner_parent_1_name: 'harbour compute pte. ltd.', owner_parent_1_country: 'SG' }), // row 5: itself
      r({ owner_parent_1_name: 'A', owner_parent_1_country: 'XX', owner_parent_1_share: 'half' }), // row 6
      r({ owner_parent_1_name: 'Same Co', owner_parent_2_name: 'SAME CO.' }), // row 7
      {
        ...r({ owner_parent_1_name: 'Orphan Parent' }),
        item_status: 'lost',
        new_owner_name: '',
        new_owner_address: '',
        new_owner_country: '',
        new_owner_phone: '',
      }, // row 8
    ].map((x, i) => ({ ...x, serial_number: `S-${i}` }));
    const { problems } = await read(csv(rows, [...G1, ...G2]));
    expect(problems.items.map((p) => [p.row, p.column, p.reason])).toEqual([
      [2, 'owner_parent_1_share', 'must be a percentage from 0 to 100 (e.g. 60 or 60%), or empty when unknown'],
      [3, 'owner_parent_1_name', 'required'],
      [4, 'owner_parent_2_share', 'the known shares of the owner parents add up to 110% (at most 100%)'],
      [5, 'owner_parent_1_name', '"harbour compute pte. ltd." is the new owner itself'],
      [6, 'owner_parent_1_country', '"XX" is not an ISO 3166-1 alpha-2 country code'],
      [6, 'owner_parent_1_share', 'must be a percentage from 0 to 100 (e.g. 60 or 60%), or empty when unknown'],
      [7, 'owner_parent_2_name', 'the same owner as owner_parent_1_name'],
      [8, 'owner_parent_1_name', 'an owner parent is given, but the item has no new owner'],
    ]);
  });

  it('wants a whole group in the header, and knows no group beyond the fifth', async () => {
    const bad = await read(csv(rowsFor('H', 1, 'H-'), ['owner_parent_1_name', 'owner_parent_6_name']));
    expect(bad.problems.items.map((p) => [p.row, p.column, p.reason])).toEqual([
      [1, 'owner_parent_6_name', 'unknown column (see `chipwatch registry template`)'],
      [
        1,
        'owner_parent_1_country',
        'missing column (an owner-parent group has all of owner_parent_1_name, owner_parent_1_country, ' +
          'owner_parent_1_share)',
      ],
      [
        1,
        'owner_parent_1_share',
        'missing column (an owner-parent group has all of owner_parent_1_name, owner_parent_1_country, ' +
          'owner_parent_1_share)',
      ],
    ]);
    expect(PARENT_COLUMNS).toHaveLength(15);
  });

  it('reads number cells and empty cells of an XLSX sheet (an empty share is unknown)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('items');
    const cols = [...TEMPLATE_COLUMNS, ...G1, ...G2];
    ws.addRow(cols);
    const r = rowsFor('Sheet Owner Co', 1, 'X-')[0];
    const cells: Record<string, string | number> = {
      ...r,
      owner_parent_1_name: 'Parent A',
      owner_parent_1_share: 60,
      owner_parent_2_name: 'Parent B',
    };
    ws.addRow(cols.map((c) => cells[c] ?? null));
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const { items, problems } = await readSheet(streamOf(bytes), 'xlsx');
    expect(problems.items).toEqual([]);
    expect(items[0].parents).toEqual([
      { n: 1, name: 'Parent A', country: null, share: 60 },
      { n: 2, name: 'Parent B', country: null },
    ]);
  });

  it('documents the columns in the XLSX template', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await writeTemplateXlsx(out);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    const help = wb.getWorksheet('instructions')!;
    const names: string[] = [];
    help.eachRow((r) => names.push(String(r.getCell(1).value)));
    expect(names).toEqual(expect.arrayContaining(['owner_parent_N_name', 'owner_parent_N_share']));
  });
});

describe.each(backends)('registry party owners ($name)', (backend) => {
  let db: Db;
  const file = async (org: string, text: string) => {
    const { items, problems } = await read(text);
    return importFiling(db, { filer: { name: org }, items, problems, source: 'csv', receivedAt: when }, tlog);
  };
  const ownersOf = (name: string) =>
    db.query<{ position: number; name: string; country: string | null; share: number | null }>(
      `select o.position, o.name, o.country, o.share from registry_party_owners o
         join registry_parties p on p.id = o.party_id where p.name = $1 order by o.position`,
      [name],
    );
  beforeAll(async () => {
    db = await backend.open();
  });
  afterAll(async () => {
    const report = await registryIntegrity(db);
    await db.close();
    expect(report).toMatchObject({ ok: true, problems: [] });
  });

  it('stores a party owners once, from every row that names them', async () => {
    const p = { owner_parent_1_name: 'Volna Holdings', owner_parent_1_country: 'RU', owner_parent_1_share: '60' };
    const res = await file('Filer One', csv(rowsFor('Harbour Compute', 3, 'HC-', p), G1));
    expect(res.duplicate).toBe(false);
    expect(await ownersOf('Harbour Compute')).toEqual([
      { position: 1, name: 'Volna Holdings', country: 'RU', share: 60 },
    ]);
  });

  it('refuses rows naming one party with different owners, naming the row and column, storing nothing', async () => {
    const rows = [
      ...rowsFor('Split Owner Co', 1, 'SP1-', { owner_parent_1_name: 'A Co', owner_parent_1_share: '60' }),
      ...rowsFor('Split Owner Co', 1, 'SP2-', { owner_parent_1_name: 'A Co', owner_parent_1_share: '40' }),
    ];
    const before = await db.query<{ n: number }>('select count(*)::int as n from registry_filings');
    const err = await file('Filer One', csv(rows, G1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FilingRejectedError);
    expect((err as FilingRejectedError).problems).toEqual([
      {
        row: 3,
        column: 'owner_parent_1_name',
        reason:
          'names other owners for "Split Owner Co" than row 2 (a party has one set of owners: repeat it on every ' +
          'row, or leave it empty)',
      },
    ]);
    expect(await db.query<{ n: number }>('select count(*)::int as n from registry_filings')).toEqual(before);
    expect(await ownersOf('Split Owner Co')).toEqual([]);
  });

  it('keeps the owners when a later filing names none, replaces them when it names others', async () => {
    await file('Filer Two', csv(rowsFor('Harbour Compute', 2, 'HC2-'), []));
    expect(await ownersOf('Harbour Compute')).toHaveLength(1);
    const p = {
      owner_parent_1_name: 'Lee Family Trust',
      owner_parent_1_share: '',
      owner_parent_2_name: 'Volna Holdings',
      owner_parent_2_country: 'RU',
      owner_parent_2_share: '30.5',
    };
    // The same items with owners named are a new filing (the owners are in the content hash).
    const again = await file('Filer Two', csv(rowsFor('Harbour Compute', 2, 'HC2-', p), [...G1, ...G2]));
    expect(again.duplicate).toBe(false);
    expect(await ownersOf('Harbour Compute')).toEqual([
      { position: 1, name: 'Lee Family Trust', country: null, share: null },
      { position: 2, name: 'Volna Holdings', country: 'RU', share: 30.5 },
    ]);
  });

  it('reads owners down a chain through registry parties that have owners of their own', async () => {
    // Volna Holdings (RU) becomes a registry party with an owner of its own: the chain runs through it.
    const p = { owner_parent_1_name: 'Rostec Group', owner_parent_1_country: 'RU', owner_parent_1_share: '100' };
    await file(
      'Filer Three',
      csv(
        rowsFor('Volna Holdings', 1, 'VH-', p).map((r) => ({ ...r, new_owner_country: 'RU' })),
        G1,
      ),
    );
    const parties = [];
    for await (const x of ownerAndOperatorParties(db)) parties.push(x);
    const harbour = parties.find((x) => x.name === 'Harbour Compute');
    expect(harbour?.owners).toEqual([
      { name: 'Lee Family Trust' },
      {
        name: 'Volna Holdings',
        country: 'RU',
        share: 30.5,
        owners: [{ name: 'Rostec Group', country: 'RU', share: 100 }],
      },
    ]);
    expect(parties.find((x) => x.name === 'Equinix SG3')?.owners).toBeUndefined();
  });
});

describe.each(backends)('registry party owners over HTTP ($name)', (backend) => {
  let db: Db;
  let app: FastifyInstance;
  let base = '';
  let key = '';
  const post = async (path: string, body: string, type: string) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': type },
      body,
    });
    // biome-ignore lint/suspicious/noExplicitAny: the answers' shapes are asserted below
    const answer: any = await res.json();
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: answer };
  };
  const ownersOf = (name: string) =>
    db.query<{ name: string; share: number | null }>(
      `select o.name, o.share from registry_party_owners o join registry_parties p on p.id = o.party_id
        where p.name = $1 order by o.position`,
      [name],
    );
  beforeAll(async () => {
    db = await backend.open();
    app = await buildApp({ db, now: () => new Date('2026-04-15T08:00:00Z'), rateLimitPerMinute: 100_000 });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    key = (await createApiKey(db, { role: 'filer', organisationId: await ensureOrganisation(db, 'Filer Inc') })).key;
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it('files owners as JSON items and as an uploaded CSV; refuses a bad share naming row and column', async () => {
    const items = rowsFor('Json Owner Co', 2, 'J-', { owner_parent_1_name: 'Parent A', owner_parent_1_share: '55' });
    const ok = await post('/api/registry/filings', JSON.stringify({ items }), 'application/json');
    expect(ok.status).toBe(201);
    expect(await ownersOf('Json Owner Co')).toEqual([{ name: 'Parent A', share: 55 }]);

    const bad = rowsFor('Json Owner Co', 1, 'JB-', { owner_parent_1_name: 'Parent A', owner_parent_1_share: '150' });
    const refused = await post('/api/registry/filings', JSON.stringify({ items: bad }), 'application/json');
    expect([refused.status, refused.type]).toEqual([400, expect.stringContaining('application/problem+json')]);
    expect(refused.body.errors).toEqual([
      {
        row: 1,
        column: 'owner_parent_1_share',
        reason: 'must be a percentage from 0 to 100 (e.g. 60 or 60%), or empty when unknown',
      },
    ]);
    const unknown = await post(
      '/api/registry/filings',
      JSON.stringify({ items: [{ ...items[0], owner_parent_6_name: 'X' }] }),
      'application/json',
    );
    expect(unknown.status).toBe(400);

    const upload = csv(rowsFor('Upload Owner Co', 2, 'U-', { owner_parent_1_name: 'Parent B' }), G1);
    const up = await post('/api/registry/filings/upload', upload, 'text/csv');
    expect(up.status).toBe(201);
    expect(await ownersOf('Upload Owner Co')).toEqual([{ name: 'Parent B', share: null }]);
  });
});
