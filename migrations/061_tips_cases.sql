-- The case flow of a tip (src/tips/case-flow.ts, issue 16): every status change, link and award decision
-- is an event here, append-only; tips.status is the current status, changed in the same transaction as
-- its event. Days only, like the rest of the tips tables. The actor is the investigator's key fingerprint
-- (CLI on the data directory) or API key id (HTTP): never a name or an address. Nothing a tipster wrote is
-- here; reasons are the investigators' own words and stored in the clear.
create table tip_case_events (
  id bigserial primary key,
  tip_id text not null references tips(id),
  on_day date not null,
  kind text not null check (kind in ('status', 'link', 'award')),
  actor text not null check (length(actor) between 1 and 100),
  detail jsonb not null
);
create index tip_case_events_tip on tip_case_events (tip_id, id);

create function tip_case_events_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'the tip case audit trail is append-only (% on %)', tg_op, tg_table_name;
end $$;
create trigger tip_case_events_append_only before update or delete on tip_case_events
  for each row execute function tip_case_events_append_only();
create trigger tip_case_events_no_truncate before truncate on tip_case_events
  for each statement execute function tip_case_events_append_only();
