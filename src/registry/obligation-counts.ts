// § 743.7 obligations kept as per-day counts by each filing (migration 091), so that `registry obligations`
// and the regulator's page read a few rows per owner and day instead of every qualifying transfer. The rule
// itself is obligationsFromDays (obligations.ts), the same for the counts and for a scan.
import type { Queryable } from '../db/index.js';
import {
  dueDate,
  obligationsFromDays,
  SECTION_743_7,
  type Obligation,
  type ObligationDay,
  type ObligationRepeat,
} from './obligations.js';
import { pack, unnestPacked } from './packed.js';

/** A transfer of a filing that § 743.7 counts: its owner before, serial, begin date, and whether the chip was known. */
export interface CountedTransfer {
  ownerId: number;
  serial: string;
  begin: string;
  /** The chip had transfers before this filing: only then can the owner have moved it before. */
  known: boolean;
}

/** The qualifying transfers (obligations.ts `qualifies` in SQL), `t` joined to its filing `f`. */
const QUALIFYING = `(t.ownership_change or t.location_change) and t.foreign_involved
  and upper(t.eccn) like '${SECTION_743_7.eccnPrefix}%'`;
const WINDOW = `interval '${SECTION_743_7.windowMonths} months'`;

/**
 * Adds a batch's qualifying transfers to the counts, in the filing's transaction, after the batch's transfers
 * are written: its items per owner and day, and the repeats its known chips make or change.
 */
export async function countObligations(
  tx: Queryable,
  filingId: number,
  receivedAt: Date,
  batch: readonly CountedTransfer[],
): Promise<void> {
  if (!batch.length) return;
  const received = receivedAt.toISOString().slice(0, 10);
  const days = new Map<string, { ownerId: number; day: string; items: number; late: number }>();
  let maxBegin = '';
  for (const t of batch) {
    const key = `${t.ownerId}|${t.begin}`;
    const d = days.get(key) ?? { ownerId: t.ownerId, day: t.begin, items: 0, late: 0 };
    d.items++;
    if (received > dueDate(t.begin.slice(0, 7))) d.late++;
    days.set(key, d);
    if (t.begin > maxBegin) maxBegin = t.begin;
  }
  const list = [...days.values()];
  await tx.query(
    `insert into registry_obligation_days (owner_id, day, items, late)
     select * from ${unnestPacked(['bigint', 'date', 'int', 'int'])}
     on conflict (owner_id, day) do update set items = registry_obligation_days.items + excluded.items,
       late = registry_obligation_days.late + excluded.late`,
    [list.map((d) => d.ownerId), list.map((d) => d.day), list.map((d) => d.items), list.map((d) => d.late)].map(pack),
  );
  const known = batch.filter((t) => t.known);
  if (known.length) await countRepeats(tx, filingId, known);
  await tx.query(
    `update registry_obligations_state set max_begin = greatest(max_begin, $1::date),
       max_received = greatest(max_received, $2::timestamptz)`,
    [maxBegin, receivedAt.toISOString()],
  );
}

/**
 * The repeats of the owners' serials with this filing's transfers less those without them: a transfer can fall
 * between two earlier ones in date order, replacing their pair with two. A serial is filed once per filing.
 */
async function countRepeats(tx: Queryable, filingId: number, known: readonly CountedTransfer[]): Promise<void> {
  await tx.query(
    `with g as (select * from ${unnestPacked(['bigint', 'text'])} as g(o, s)),
     r as (select t.from_owner_id as o, t.serial as s, t.begin_date as d, t.filing_id as f
           from g join registry_transfers t on t.serial = g.s and t.from_owner_id = g.o where ${QUALIFYING}),
     pairs as (
       select o, lag(d) over (partition by o, s order by d) as p, d, 1 as n from r
       union all
       select o, lag(d) over (partition by o, s order by d), d, -1 from r where f <> $3)
     insert into registry_obligation_repeats (owner_id, first_day, day, items)
     select o, p, d, sum(n) from pairs where p is not null and d < p + ${WINDOW}
     group by o, p, d having sum(n) <> 0
     on conflict (owner_id, first_day, day) do update set items = registry_obligation_repeats.items + excluded.items`,
    [pack(known.map((t) => t.ownerId)), pack(known.map((t) => t.serial)), filingId],
  );
}

/**
 * Obligations as of a day: from the counts when they are exact for it (no counted transfer begins, and no
 * filing was received, after it); for an earlier day, computed from the transfers in SQL (a scan).
 */
export async function readObligations(q: Queryable, asOf: string): Promise<Obligation[]> {
  const [state] = await q.query<{ max_begin: string | null; max_received: Date | string | null }>(
    'select max_begin::text as max_begin, max_received from registry_obligations_state',
  );
  const received = state?.max_received ? new Date(state.max_received).toISOString().slice(0, 10) : '';
  if ((state?.max_begin ?? '') <= asOf && received <= asOf) return fromCounts(q);
  return fromTransfers(q, asOf);
}

async function fromCounts(q: Queryable): Promise<Obligation[]> {
  const days = await q.query<DayRow>(
    `select d.owner_id, p.name, d.day::text as day, d.items, d.late
     from registry_obligation_days d join registry_parties p on p.id = d.owner_id`,
  );
  const repeats = await q.query<RepeatRow>(
    `select owner_id, first_day::text as first_day, day::text as day, items
     from registry_obligation_repeats where items <> 0`,
  );
  return obligationsFromDays(days.map(toDay), repeats.map(toRepeat));
}

/** The counts of the transfers begun and received by `asOf`, aggregated in SQL (migration 091 does the same). */
async function fromTransfers(q: Queryable, asOf: string): Promise<Obligation[]> {
  const base = `select t.from_owner_id as owner_id, t.serial, t.begin_date as day, f.received_at
    from registry_transfers t join registry_filings f on f.id = t.filing_id
    where ${QUALIFYING} and t.begin_date <= $1::date and (f.received_at at time zone 'UTC')::date <= $1::date`;
  const days = await q.query<DayRow>(
    `select x.owner_id, p.name, x.day::text as day, count(*)::int as items,
       count(*) filter (where (x.received_at at time zone 'UTC')::date
         > (date_trunc('month', x.day) + interval '2 months - 1 day')::date)::int as late
     from (${base}) x join registry_parties p on p.id = x.owner_id group by x.owner_id, p.name, x.day`,
    [asOf],
  );
  const repeats = await q.query<RepeatRow>(
    `select owner_id, first_day::text as first_day, day::text as day, count(*)::int as items
     from (select owner_id, day, lag(day) over (partition by owner_id, serial order by day) as first_day
           from (${base}) x) r
     where first_day is not null and day < first_day + ${WINDOW} group by owner_id, first_day, day`,
    [asOf],
  );
  return obligationsFromDays(days.map(toDay), repeats.map(toRepeat));
}

type DayRow = { owner_id: number; name: string; day: string; items: number; late: number };
type RepeatRow = { owner_id: number; first_day: string; day: string; items: number };

const toDay = (r: DayRow): ObligationDay => ({
  ownerId: Number(r.owner_id),
  ownerName: String(r.name),
  day: r.day,
  items: Number(r.items),
  late: Number(r.late),
});
const toRepeat = (r: RepeatRow): ObligationRepeat => ({
  ownerId: Number(r.owner_id),
  firstDay: r.first_day,
  day: r.day,
  items: Number(r.items),
});
