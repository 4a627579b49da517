// Counts each filing keeps (migration 091, obligation-counts.ts, store.addLocationChips) against what they
// count: after every filing, the obligation days and repeats equal those computed from every transfer, the
// obligations read from them equal computeObligations over the transfers, and each location's chips equal its
// chips counted. Filings refile the same serials (repeats), one of them back-dated between two others (a pair
// replaced by two), one filed late. The migration computes the same counts on a database that had none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, Queryable } from '../../src/db/index.js';
import { readMigrations } from '../../src/db/index.js';
import { importFiling } from '../../src/registry/import.js';
import { readObligations } from '../../src/registry/obligation-counts.js';
import { addMonths, computeObligations, dueDate, type ObligationTransfer } from '../../src/registry/obligations.js';
import { readSheet } from '../../src/registry/sheet.js';
import { rowsToCsv, sampleRows } from '../../src/registry/sample.js';
import { MIGRATIONS_DIR } from '../../src/paths.js';
import { backends } from '../helpers/db.js';
import { streamOf, tlog } from './helpers.js';

const TODAY = '2026-12-07';

async function file(db: Db, org: string, month: string, prefix: string, count: number, seed: number, at: string) {
  const csv = rowsToCsv(sampleRows({ count, seed, month, serialPrefix: prefix }));
  const { items, problems } = await readSheet(streamOf(csv), 'csv');
  expect(problems.empty).toBe(true);
  await importFiling(db, { filer: { name: org }, items, problems, source: 'csv', receivedAt: new Date(at) }, tlog);
}

/** Every qualifying transfer, read whole: the reference the counts replace. */
async function transfers(q: Queryable): Promise<ObligationTransfer[]> {
  const rows = await q.query<Record<string, unknown>>(
    `select t.from_owner_id, p.name, t.serial, t.begin_date::text as b, t.eccn, t.ownership_change,
       t.location_change, t.foreign_involved, f.received_at
     from registry_transfers t join registry_parties p on p.id = t.from_owner_id
       join registry_filings f on f.id = t.filing_id`,
  );
  return rows.map((r) => ({
    ownerId: Number(r.from_owner_id),
    ownerName: String(r.name),
    serial: String(r.serial),
    begin: String(r.b),
    eccn: String(r.eccn),
    ownershipChange: Boolean(r.ownership_change),
    locationChange: Boolean(r.location_change),
    foreignInvolved: Boolean(r.foreign_involved),
    receivedAt: new Date(r.received_at as string).toISOString(),
  }));
}

/** Days and repeats as the rule defines them, from the transfers (as "owner|day" and "owner|first|day" keys). */
function expectedCounts(list: readonly ObligationTransfer[]) {
  const days = new Map<string, { items: number; late: number }>();
  const dates = new Map<string, string[]>();
  for (const t of list) {
    const counts = t.eccn.toUpperCase().startsWith('4A090') && (t.ownershipChange || t.locationChange);
    if (!counts || !t.foreignInvolved) continue;
    const d = days.get(`${t.ownerId}|${t.begin}`) ?? { items: 0, late: 0 };
    d.items++;
    if (t.receivedAt.slice(0, 10) > dueDate(t.begin.slice(0, 7))) d.late++;
    days.set(`${t.ownerId}|${t.begin}`, d);
    dates.set(`${t.ownerId}|${t.serial}`, [...(dates.get(`${t.ownerId}|${t.serial}`) ?? []), t.begin]);
  }
  const repeats = new Map<string, number>();
  const repeated = new Set([...dates].filter(([, ds]) => ds.length > 1).map(([key]) => key));
  for (const [key, ds] of dates) {
    ds.sort();
    for (let i = 1; i < ds.length; i++) {
      if (ds[i] >= addMonths(ds[i - 1], 3)) continue;
      const k = `${key.split('|')[0]}|${ds[i - 1]}|${ds[i]}`;
      repeats.set(k, (repeats.get(k) ?? 0) + 1);
    }
  }
  return { days, repeats, repeated };
}

async function storedCounts(q: Queryable) {
  const days = await q.query<{ k: string; items: number; late: number }>(
    `select owner_id || '|' || day::text as k, sum(items)::int as items,
       coalesce(sum(items) filter (where received > (date_trunc('month', day) + interval '2 months - 1 day')::date),
         0)::int as late
     from registry_obligation_days group by owner_id, day`,
  );
  const repeated = await q.query<{ k: string }>(
    `select owner_id || '|' || serial as k from registry_obligation_repeated`,
  );
  const repeats = await q.query<{ k: string; items: number }>(
    `select owner_id || '|' || first_day::text || '|' || day::text as k, items
     from registry_obligation_repeats where items <> 0`,
  );
  return {
    days: new Map(days.map((r) => [r.k, { items: Number(r.items), late: Number(r.late) }])),
    repeats: new Map(repeats.map((r) => [r.k, Number(r.items)])),
    repeated: new Set(repeated.map((r) => r.k)),
  };
}

async function locationChips(q: Queryable) {
  return q.query<{ id: number; kept: number; counted: number }>(
    `select l.id, l.chips as kept, (select count(*) from registry_chips c where c.current_location_id = l.id)::int
       as counted from registry_locations l order by l.id`,
  );
}

describe.each(backends)('counts kept by each filing ($name)', (backend) => {
  let db: Db;
  beforeAll(async () => {
    db = await backend.open();
  });
  afterAll(async () => db.close());

  it('equal what they count after every filing; the obligations read equal the rule over all transfers', async () => {
    // [filer, month, serial prefix, items, received]
    const plan: [string, string, string, number, string][] = [
      ['Acme GmbH', '2026-01', 'A-', 90, '2026-02-10T09:00:00Z'],
      ['Acme GmbH', '2026-03', 'A-', 60, '2026-04-02T09:00:00Z'], // the same chips again: repeats
      ['Acme GmbH', '2026-02', 'A-', 70, '2026-04-15T09:00:00Z'], // back-dated between the two; late (due 03-31)
      ['Borealis AB', '2026-02', 'B-', 130, '2026-03-01T09:00:00Z'],
      ['Acme GmbH', '2026-06', 'C-', 40, '2026-07-01T09:00:00Z'],
      ['Acme GmbH', '2026-04', 'D-', 50, '2026-05-02T09:00:00Z'], // 70 distinct A- chips + 50: over 100 from Feb
      ['Borealis AB', '2026-03', 'B-', 50, '2026-05-05T09:00:00Z'], // late (due 04-30), the same chips again
    ];
    let seed = 1;
    let repeated = 0;
    for (const [org, month, prefix, count, received] of plan) {
      await file(db, org, month, prefix, count, seed++, received);
      const all = await transfers(db);
      const expected = expectedCounts(all);
      expect(await storedCounts(db)).toEqual(expected);
      repeated = Math.max(repeated, expected.repeats.size);
      expect(await readObligations(db, TODAY)).toEqual(computeObligations(all, TODAY));
      for (const l of await locationChips(db)) expect(l.kept, `location ${l.id}`).toBe(l.counted);
    }
    expect(repeated).toBeGreaterThan(0);
    const list = await readObligations(db, TODAY);
    expect(list.some((o) => o.status === 'late')).toBe(true);
    expect(new Set(list.map((o) => o.ownerName))).toEqual(new Set(['Acme GmbH', 'Borealis AB']));
    // What is read is the counts: emptied, they answer nothing.
    await db
      .transaction(async (tx) => {
        await tx.query('delete from registry_obligation_days');
        expect(await readObligations(tx, TODAY)).toEqual([]);
        throw new Error('roll back');
      })
      .catch((e: Error) => expect(e.message).toBe('roll back'));
  });

  it('answers as of an earlier day from the counts and the repeated serials as the rule does', async () => {
    const all = await transfers(db);
    for (const asOf of ['2026-02-28', '2026-03-31', '2026-04-03', '2026-04-16', '2026-05-01', '2026-06-30'])
      expect(await readObligations(db, asOf)).toEqual(computeObligations(all, asOf));
    // Emptied day counts answer nothing as of an earlier day either: no scan of the transfers stands behind them.
    await db
      .transaction(async (tx) => {
        await tx.query('delete from registry_obligation_days');
        expect(await readObligations(tx, '2026-05-01')).toEqual([]);
        throw new Error('roll back');
      })
      .catch((e: Error) => expect(e.message).toBe('roll back'));
  });

  it('are computed by the migration on a database that had transfers before them', async () => {
    const kept = { counts: await storedCounts(db), locations: await locationChips(db) };
    const [migration] = readMigrations(MIGRATIONS_DIR).filter((m) => m.name === 'registry_counts');
    await db.transaction(async (tx) => {
      await tx.exec(`drop table registry_obligation_days, registry_obligation_repeats, registry_obligation_repeated,
        registry_obligations_state;
        alter table registry_locations drop column chips`);
      await tx.exec(migration.sql);
    });
    expect(await storedCounts(db)).toEqual(kept.counts);
    expect(await locationChips(db)).toEqual(kept.locations);
    expect(await readObligations(db, TODAY)).toEqual(computeObligations(await transfers(db), TODAY));
  });
});
