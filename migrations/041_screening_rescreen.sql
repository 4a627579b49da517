-- Re-screening when the lists change (src/screening/rescreen): the last known hits of every party
-- chipwatch knows (so the next list update can tell what changed for it), and an append-only table of
-- the alerts each update raised.

-- One row per known party: party_kind is the source ('registry': owners and location operators;
-- 'case': diligence case parties), party_ref its id within the source. hits: [{entryId, list, name,
-- score}] at or above the review band, as of the list version that last changed them.
create table screening_party_hits (
  party_kind text not null,
  party_ref text not null,
  organisation_id bigint,                          -- whose party (case parties); null: registry parties
  name text not null,
  country text,
  decision text not null check (decision in ('clear', 'review', 'match')),
  hits jsonb not null,
  list_version_id bigint not null references screening_list_versions(id),
  screened_at timestamptz not null,
  primary key (party_kind, party_ref)
);

-- change_kind: entry added, alias added, name changed, entry changed, entry removed, alias removed,
-- entry unchanged (a score that crossed a band as the rest of the lists changed).
create table screening_alerts (
  id bigserial primary key,
  raised_at timestamptz not null,
  list_version_id bigint not null references screening_list_versions(id),
  kind text not null check (kind in ('new-hit', 'changed-hit', 'hit-gone')),
  party_kind text not null,
  party_ref text not null,
  party_name text not null,
  party_country text,
  organisation_id bigint,
  entry_id text not null,
  entry_list text not null,
  entry_name text not null,
  change_kind text not null,
  change text not null,
  old_decision text not null check (old_decision in ('clear', 'review', 'match')),
  new_decision text not null check (new_decision in ('clear', 'review', 'match')),
  old_score double precision,
  new_score double precision,
  party_decision_before text not null,
  party_decision_after text not null,
  unique (list_version_id, party_kind, party_ref, entry_id)
);
create index screening_alerts_raised on screening_alerts (raised_at, id);
create index screening_alerts_org_raised on screening_alerts (organisation_id, raised_at, id);

create trigger screening_alerts_append_only before update or delete on screening_alerts
  for each row execute function screening_append_only();
create trigger screening_alerts_no_truncate before truncate on screening_alerts
  for each statement execute function screening_append_only();
