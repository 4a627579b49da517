// § 743.7 obligations kept as per-day counts by each filing (migration 091), so that `registry obligations`
// and the regulator's page read a few rows per owner and day instead of every qualifying transfer, as of today or
// any earlier day. The rule itself is obligationsFromDays (obligations.ts).
import type { Queryable } from '../db/index.js';
import {
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
  const days = new Map<string, { ownerId: number; day: string; items: number }>();
  let maxBegin = '';
  for (const t of batch) {
    const key = `${t.ownerId}|${t.begin}`;
    const d = days.get(key) ?? { ownerId: t.ownerId, day: t.begin, items: 0 };
    d.items++;
    days.set(key, d);
    if (t.begin > maxBegin) maxBegin = t.begin;
  }
  const list = [...days.values()];
  await tx.query(
    `insert into registry_obligation_days (owner_id, day, received, items)
     select o, d, $4::date, n from ${unnestPacked(['bigint', 'date', 'int'])} as u(o, d, n)
     on conflict (owner_id, day, received) do update set items = registry_obligation_days.items + excluded.items`,
    [...[list.map((d) => d.ownerId), list.map((d) => d.day), list.map((d) => d.items)].map(pack), received],
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
     listed as (insert into registry_obligation_repeated (owner_id, serial)
       select o, s from r group by o, s having count(*) > 1 on conflict do nothing),
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
 * Obligations as of a day: the items begun and received by then, from the day counts; the repeats from their
 * counts when no counted transfer begins, and no filing was received, after that day, else recomputed from the
 * transfers of the serials listed as moved more than once (few: a chip rarely changes hands twice in a window).
 */
export async function readObligations(q: Queryable, asOf: string): Promise<Obligation[]> {
  const [state] = await q.query<{ max_begin: string | null; max_received: Date | string | null }>(
    'select max_begin::text as max_begin, max_received from registry_obligations_state',
  );
  const received = state?.max_received ? new Date(state.max_received).toISOString().slice(0, 10) : '';
  const current = (state?.max_begin ?? '') <= asOf && received <= asOf;
  const days = await q.query<DayRow>(
    `select d.owner_id, p.name, d.day::text as day, sum(d.items)::int as items,
       (sum(d.items) filter (where d.received > (date_trunc('month', d.day) + interval '2 months - 1 day')::date))::int
         as late
     from registry_obligation_days d join registry_parties p on p.id = d.owner_id
     where d.day <= $1::date and d.received <= $1::date group by d.owner_id, p.name, d.day`,
    [asOf],
  );
  const repeats = current
    ? await q.query<RepeatRow>(
        `select owner_id, first_day::text as first_day, day::text as day, items
         from registry_obligation_repeats where items <> 0`,
      )
    : await q.query<RepeatRow>(
        `select owner_id, first_day::text as first_day, day::text as day, count(*)::int as items
         from (select t.from_owner_id as owner_id, t.begin_date as day,
                 lag(t.begin_date) over (partition by t.from_owner_id, t.serial order by t.begin_date) as first_day
               from registry_obligation_repeated x
                 join registry_transfers t on t.serial = x.serial and t.from_owner_id = x.owner_id
                 join registry_filings f on f.id = t.filing_id
               where ${QUALIFYING} and t.begin_date <= $1::date
                 and (f.received_at at time zone 'UTC')::date <= $1::date) r
         where first_day is not null and day < first_day + ${WINDOW} group by owner_id, first_day, day`,
        [asOf],
      );
  return obligationsFromDays(days.map(toDay), repeats.map(toRepeat));
}

type DayRow = { owner_id: number; name: string; day: string; items: number; late: number | null };
type RepeatRow = { owner_id: number; first_day: string; day: string; items: number };

const toDay = (r: DayRow): ObligationDay => ({
  ownerId: Number(r.owner_id),
  ownerName: String(r.name),
  day: r.day,
  items: Number(r.items),
  late: Number(r.late ?? 0),
});
const toRepeat = (r: RepeatRow): ObligationRepeat => ({
  ownerId: Number(r.owner_id),
  firstDay: r.first_day,
  day: r.day,
  items: Number(r.items),
});
