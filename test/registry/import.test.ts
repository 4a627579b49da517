// Import on every backend: all-or-nothing, idempotent, custody state, flags, leaves per item.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.js';
import { importFiling } from '../../src/registry/import.js';
import { canonicalJson } from '../../src/registry/leaf.js';
import { registryIntegrity } from '../../src/registry/integrity.js';
import { readSheet } from '../../src/registry/sheet.js';
import { FilingRejectedError } from '../../src/registry/problems.js';
import { rowsToCsv, sampleRows } from '../../src/registry/sample.js';
import { TEMPLATE_COLUMNS } from '../../src/registry/template.js';
import { PGLITE_ROWS } from '../../src/registry/store.js';
import { backends } from '../helpers/db.js';
import { getEntries, treeSize } from '../../src/tlog/index.js';
import { streamOf, tlog } from './helpers.js';

const when = new Date('2026-04-02T10:00:00Z');

async function fileCsv(db: Db, org: string, csv: string) {
  const { items, problems } = await readSheet(streamOf(csv), 'csv');
  return importFiling(db, { filer: { name: org }, items, problems, source: 'csv', receivedAt: when }, tlog);
}

describe.each(backends)('registry import ($name)', (backend) => {
  let db: Db;
  beforeAll(async () => {
    db = await backend.open();
  });
  afterAll(async () => {
    // Whatever the tests above did (including the rolled-back filing), tables and log agree.
    const report = await registryIntegrity(db);
    await db.close();
    expect(report).toMatchObject({ ok: true, problems: [] });
    expect(report.items).toBe(report.logSize);
  });

  it('imports a filing: chips, transfers, parties, locations, one leaf per item', async () => {
    const rows = sampleRows({ count: 250, seed: 11, serialPrefix: 'IMP-' });
    const res = await fileCsv(db, 'Acme Exports Inc', rowsToCsv(rows));
    expect(res).toMatchObject({ duplicate: false, items: 250 });
    const [t] = await db.query<{ n: number; leaves: number; min: number; max: number }>(
      `select count(*)::int as n, count(distinct leaf_index)::int as leaves,
         min(leaf_index)::int as min, max(leaf_index)::int as max
       from registry_transfers where filing_id = $1`,
      [res.filingId],
    );
    expect(t).toEqual({ n: 250, leaves: 250, min: res.firstLeafIndex, max: res.firstLeafIndex + 249 });
    const [c] = await db.query<{ n: number }>(
      `select count(*)::int as n from registry_chips
       where serial like 'IMP-%' and current_owner_id is not null and current_location_id is not null`,
    );
    expect(c.n).toBe(250);
    const parties = await db.query<{ name: string; roles: string[] }>(
      'select name, roles from registry_parties order by name',
    );
    expect(parties.find((p) => p.name === 'Acme Exports Inc')?.roles).toEqual(['filer']);
    expect(parties.find((p) => p.name === 'Equinix SG3')?.roles).toEqual(['operator']);
    // Leaves are canonical JSON naming the filing and row, the item's columns in template order.
    const [leaf] = await getEntries(db, res.firstLeafIndex, res.firstLeafIndex + 1);
    const json = JSON.parse(Buffer.from(leaf.entry).toString('utf8'));
    expect(json).toMatchObject({
      type: 'chipwatch.registry.item/v2',
      filing_id: res.filingId,
      filer: 'Acme Exports Inc',
      row: 2,
    });
    expect(json.item).toEqual(
      TEMPLATE_COLUMNS.map((c) => (c.startsWith('location_l') ? Number(rows[0][c]) : rows[0][c])),
    );
    // Canonical: keys sorted, no whitespace.
    const text = Buffer.from(leaf.entry).toString('utf8');
    expect(text.startsWith('{"filer":"Acme Exports Inc","filing_id":')).toBe(true);
    expect(canonicalJson(json)).toBe(text);
  });

  it('stores backslashes and quotes as filed (COPY escapes them on a server)', async () => {
    const [row] = sampleRows({ count: 1, seed: 12, serialPrefix: 'ESC-' });
    const odd = {
      ...row,
      serial_number: 'ESC-A1',
      product_name: 'H100 \\N "SXM"',
      new_owner_name: 'Back\\slash "Quoted" Ltd',
      purchase_order: 'PO\\t7',
    };
    const res = await fileCsv(db, 'Escapes Inc', rowsToCsv([odd]));
    const [chip] = await db.query<{ serial: string; product_name: string }>(
      "select serial, product_name from registry_chips where serial like 'ESC-%'",
    );
    expect(chip).toEqual({ serial: 'ESC-A1', product_name: 'H100 \\N "SXM"' });
    const [t] = await db.query<{ purchase_order: string; name: string }>(
      `select t.purchase_order, p.name from registry_transfers t join registry_parties p on p.id = t.to_owner_id
       where t.filing_id = $1`,
      [res.filingId],
    );
    expect(t).toEqual({ purchase_order: 'PO\\t7', name: 'Back\\slash "Quoted" Ltd' });
    const [leaf] = await getEntries(db, res.firstLeafIndex, res.firstLeafIndex + 1);
    expect(JSON.parse(Buffer.from(leaf.entry).toString('utf8')).item.slice(0, 2)).toEqual(['ESC-A1', 'H100 \\N "SXM"']);
  });

  it('files the same content twice as one filing', async () => {
    const csv = rowsToCsv(sampleRows({ count: 20, seed: 12, serialPrefix: 'DUP-' }));
    const a = await fileCsv(db, 'Dup Corp', csv);
    const b = await fileCsv(db, 'Dup Corp', csv);
    expect(b).toEqual({ ...a, duplicate: true });
    const [n] = await db.query<{ n: number }>(
      "select count(*)::int as n from registry_transfers t where t.serial like 'DUP-%'",
    );
    expect(n.n).toBe(20);
  });

  it('rejects a filing with any bad row and writes nothing', async () => {
    const rows = sampleRows({ count: 30, seed: 13, serialPrefix: 'BAD-' });
    rows[17].location_country = 'Narnia';
    const err = await fileCsv(db, 'Bad Corp', rowsToCsv(rows)).catch((e) => e);
    expect(err).toBeInstanceOf(FilingRejectedError);
    expect(err.problems).toEqual([{ row: 19, column: 'location_country', reason: expect.stringMatching(/ISO 3166/) }]);
    const [n] = await db.query<{ n: number }>(
      "select count(*)::int as n from registry_chips where serial like 'BAD-%'",
    );
    expect(n.n).toBe(0);
  });

  it('rolls back everything when a write fails mid-filing', async () => {
    const before = await treeSize(db);
    const rows = sampleRows({ count: 40, seed: 14, serialPrefix: 'RB-' });
    const { items } = await readSheet(streamOf(rowsToCsv(rows)), 'csv');
    const failing = {
      appendEntries: async (tx: Parameters<typeof tlog.appendEntries>[0], e: readonly Uint8Array[]) => {
        await tlog.appendEntries(tx, e);
        throw new Error('disk full');
      },
      leafHashes: tlog.leafHashes,
    };
    await expect(
      importFiling(db, { filer: { name: 'RB Corp' }, items, source: 'csv', receivedAt: when }, failing),
    ).rejects.toThrow('disk full');
    expect(await db.query("select 1 from registry_chips where serial like 'RB-%'")).toEqual([]);
    expect(
      await db.query(
        "select 1 from registry_filings f join organisations o on o.id = f.organisation_id where o.name = 'RB Corp'",
      ),
    ).toEqual([]);
    expect(await treeSize(db)).toBe(before);
    expect(await db.query<{ n: number }>('select count(*)::int as n from tlog_entries')).toEqual([{ n: before }]);
  });

  it('rolls back every earlier statement when a transfer statement fails (the third of five on PGlite)', async () => {
    const before = await treeSize(db);
    const nodes = () => db.query<{ n: number }>('select count(*)::int as n from tlog_nodes');
    const nodesBefore = await nodes();
    // 2,500 items: five transfer statements on PGlite (PGLITE_ROWS each, a turn of the event loop between them),
    // one COPY on a PostgreSQL server; the failing one comes after the chips' and parties' statements either way.
    const failAt = db.kind === 'pglite' ? Math.min(3, Math.ceil(2500 / PGLITE_ROWS)) : 1;
    const rows = sampleRows({ count: 2500, seed: 15, serialPrefix: 'RB3-' });
    const { items } = await readSheet(streamOf(rowsToCsv(rows)), 'csv');
    let transfers = 0;
    const fails = (sql: string) => /(insert into|copy) registry_transfers/.test(sql) && ++transfers === failAt;
    const failingDb: Db = {
      ...db,
      kind: db.kind,
      transaction: (fn) =>
        db.transaction((tx) =>
          fn({
            ...tx,
            query: async (sql, params) => {
              if (fails(sql)) throw new Error('disk full');
              return tx.query(sql, params);
            },
            copyFrom:
              tx.copyFrom &&
              (async (sql, data) => {
                if (fails(sql)) throw new Error('disk full');
                return tx.copyFrom!(sql, data);
              }),
          }),
        ),
    };
    await expect(
      importFiling(failingDb, { filer: { name: 'RB3 Corp' }, items, source: 'csv', receivedAt: when }, tlog),
    ).rejects.toThrow('disk full');
    expect(transfers).toBe(failAt);
    expect(await db.query("select 1 from registry_chips where serial like 'RB3-%'")).toEqual([]);
    expect(await db.query("select 1 from registry_transfers where serial like 'RB3-%'")).toEqual([]);
    expect(await treeSize(db)).toBe(before);
    expect(await db.query<{ n: number }>('select count(*)::int as n from tlog_entries')).toEqual([{ n: before }]);
    // On a server the log's writes were still running when the transfers failed: none ran after the rollback.
    expect(await nodes()).toEqual(nodesBefore);
  });

  it('detects tables and log that disagree', async () => {
    const clean = await registryIntegrity(db);
    expect(clean.ok).toBe(true);
    await db
      .transaction(async (tx) => {
        await tx.query("update registry_transfers set serial = 'IMP-0000002' where serial = 'IMP-0000001'");
        const r = await registryIntegrity(tx);
        expect(r.problems).toEqual(
          expect.arrayContaining(['1 chip without a transfer', '1 item whose log leaf holds other content']),
        );
        throw new Error('undo');
      })
      .catch((e) => {
        if ((e as Error).message !== 'undo') throw e;
      });
    expect((await registryIntegrity(db)).ok).toBe(true);
  });

  it('tracks custody across filings and flags anomalies', async () => {
    const base = {
      product_name: 'NVIDIA H100',
      eccn: '4A090.a',
      item_status: 'active',
      new_owner_address: '1 Main St',
      new_owner_phone: '+1 555 0100 00',
      location_address: 'DC 1, Reno NV',
      location_country: 'US',
      location_phone: '+1 555 0101 00',
      location_operator_name: 'Reno DC',
      location_lat: '',
      location_lon: '',
      purchase_order: '',
    };
    const row = (o: Record<string, string>) => ({ ...base, ...o });
    // Maker sells to Alpha (US); Alpha sells to Beta (SG).
    await fileCsv(
      db,
      'Maker Inc',
      rowsToCsv([
        row({
          serial_number: 'CUS-1',
          new_owner_name: 'Alpha LLC',
          new_owner_country: 'US',
          transaction_begin_date: '2026-01-05',
          transaction_complete_date: '2026-01-06',
        }),
      ]),
    );
    await fileCsv(
      db,
      'Alpha LLC',
      rowsToCsv([
        row({
          serial_number: 'CUS-1',
          new_owner_name: 'Beta Pte',
          new_owner_country: 'SG',
          location_address: '2 Jurong',
          location_country: 'SG',
          location_operator_name: 'Jurong DC',
          transaction_begin_date: '2026-02-01',
          transaction_complete_date: '2026-02-10',
        }),
      ]),
    );
    // Gamma (not the owner) sells it on: flagged; and it is in transit to SG while Gamma ships to AE.
    const g = await fileCsv(
      db,
      'Gamma FZE',
      rowsToCsv([
        row({
          serial_number: 'CUS-1',
          new_owner_name: 'Delta',
          new_owner_country: 'AE',
          location_address: '3 Dubai',
          location_country: 'AE',
          location_operator_name: 'Dubai DC',
          transaction_begin_date: '2026-02-05',
          transaction_complete_date: '2026-02-07',
        }),
      ]),
    );
    expect(g.flags).toBe(2);
    const kinds = (
      await db.query<{ kind: string }>('select kind from registry_flags where filing_id = $1 order by kind', [
        g.filingId,
      ])
    ).map((r) => r.kind);
    expect(kinds).toEqual(['active_in_two_places', 'non_owner_transfer']);
    // Reported lost by Delta, then reappears.
    await fileCsv(
      db,
      'Delta',
      rowsToCsv([
        {
          serial_number: 'CUS-1',
          product_name: 'NVIDIA H100',
          eccn: '4A090.a',
          item_status: 'lost',
          transaction_begin_date: '2026-03-01',
          transaction_complete_date: '2026-03-01',
        },
      ]),
    );
    const back = await fileCsv(
      db,
      'Delta',
      rowsToCsv([
        row({
          serial_number: 'CUS-1',
          new_owner_name: 'Delta',
          new_owner_country: 'AE',
          location_address: '9 Sharjah',
          location_country: 'AE',
          location_operator_name: 'Sharjah DC',
          transaction_begin_date: '2026-03-20',
          transaction_complete_date: '2026-03-21',
        }),
      ]),
    );
    expect(
      (await db.query<{ kind: string }>('select kind from registry_flags where filing_id = $1', [back.filingId])).map(
        (r) => r.kind,
      ),
    ).toEqual(['lost_reappears']);
    // A new chip moved by a filer with no ownership record behind it.
    const m = await fileCsv(
      db,
      'Mover Ltd',
      rowsToCsv([
        row({
          serial_number: 'CUS-2',
          new_owner_name: 'Mover Ltd',
          new_owner_country: 'US',
          transaction_begin_date: '2026-01-05',
          transaction_complete_date: '2026-01-06',
        }),
      ]),
    );
    expect(
      (await db.query<{ kind: string }>('select kind from registry_flags where filing_id = $1', [m.filingId])).map(
        (r) => r.kind,
      ),
    ).toEqual(['location_without_ownership']);
    const [chip] = await db.query<{ status: string; owner: string }>(
      `select c.status, p.name as owner from registry_chips c join registry_parties p on p.id = c.current_owner_id
       where serial = $1`,
      ['CUS-1'],
    );
    expect(chip).toEqual({ status: 'active', owner: 'Delta' });
  });
});

describe.each(backends)('concurrent filings ($name)', (backend) => {
  const title = 'serialises two filings that create the same chips; both land, the second is checked against the first';
  it(title, async () => {
    const db = await backend.open();
    try {
      const a = sampleRows({ count: 300, seed: 31, serialPrefix: 'RACE-' });
      // No party or location in common, so nothing but the chips themselves serialises the two filings.
      const b = a.map((r) => ({
        ...r,
        new_owner_name: 'Other Buyer GmbH',
        new_owner_country: 'DE',
        location_operator_name: 'Frankfurt DC',
        location_address: 'Hanauer Landstr. 1, Frankfurt',
        location_country: 'DE',
        transaction_begin_date: '2026-03-25',
        transaction_complete_date: '2026-03-28',
      }));
      const [ra, rb] = await Promise.all([
        fileCsv(db, 'Racer One', rowsToCsv(a)),
        fileCsv(db, 'Racer Two', rowsToCsv(b)),
      ]);
      expect([ra.items, rb.items]).toEqual([300, 300]);
      const [{ n }] = await db.query<{ n: number }>(
        "select count(*)::int as n from registry_transfers where serial like 'RACE-%'",
      );
      expect(n).toBe(600);
      // Whichever came second transferred chips the other one owned by then.
      expect(ra.flags + rb.flags).toBeGreaterThanOrEqual(300);
      expect((await registryIntegrity(db)).ok).toBe(true);
    } finally {
      await db.close();
    }
  });
});
