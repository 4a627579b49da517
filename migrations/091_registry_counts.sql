-- Counts kept by each filing, so that reading them never scans the transfers (issue 18: every embedded command
-- under a second at 1,000,000 items).
--
-- Chips per declared location (`registry locations`, the map): each filing adds and removes the chips it moves.
alter table registry_locations add column chips integer not null default 0;
update registry_locations l set chips = c.n
from (select current_location_id as id, count(*)::int as n from registry_chips
      where current_location_id is not null group by 1) c
where c.id = l.id;

-- § 743.7 obligations as per-day counts (src/registry/obligation-counts.ts; the rule is obligationsFromDays in
-- src/registry/obligations.ts): an owner's qualifying items per begin day and day of receipt (so that obligations
-- as of any day, and the late items, follow from them), and the repeats (a serial the owner moved again, by the day
-- of its previous move), from which a window's distinct items follow; the serials an owner moved more than once
-- are listed, so repeats as of an earlier day are recomputed from their transfers alone. A few rows per owner and
-- day, whatever the number of items.
create table registry_obligation_days (
  owner_id bigint not null,                     -- registry_parties(id), the owner before the transfer
  day date not null,                            -- the transfers' begin date
  received date not null,                       -- the filings' day of receipt (UTC)
  items integer not null,
  primary key (owner_id, day, received)
);
create table registry_obligation_repeats (
  owner_id bigint not null,
  first_day date not null,                      -- begin date of the serial's previous qualifying move
  day date not null,
  items integer not null,
  primary key (owner_id, first_day, day)
);
create table registry_obligation_repeated (
  owner_id bigint not null,
  serial text not null,
  primary key (owner_id, serial)
);
-- The latest begin date and receipt counted: as of an earlier day, repeats are recomputed.
create table registry_obligations_state (
  id boolean primary key default true check (id),
  max_begin date,
  max_received timestamptz
);

create temporary table qualifying on commit drop as
select t.from_owner_id as owner_id, t.serial, t.begin_date as day, f.received_at
from registry_transfers t join registry_filings f on f.id = t.filing_id
where (t.ownership_change or t.location_change) and t.foreign_involved and upper(t.eccn) like '4A090%';

insert into registry_obligation_days (owner_id, day, received, items)
select owner_id, day, (received_at at time zone 'UTC')::date, count(*)::int from qualifying group by 1, 2, 3;

insert into registry_obligation_repeats (owner_id, first_day, day, items)
select owner_id, first_day, day, count(*)::int
from (select owner_id, day, lag(day) over (partition by owner_id, serial order by day) as first_day from qualifying) r
where first_day is not null and day < first_day + interval '3 months'
group by owner_id, first_day, day;

insert into registry_obligation_repeated (owner_id, serial)
select owner_id, serial from qualifying group by owner_id, serial having count(*) > 1;

insert into registry_obligations_state (max_begin, max_received)
select max(day), max(received_at) from qualifying;
