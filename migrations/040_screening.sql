-- Due diligence (src/screening): loaded list versions, diligence cases (the study's Figure 9), their
-- post-shipment verifications, and an append-only audit trail of every decision.

-- Each `chipwatch lists update` stores the whole prepared list set (gzip JSON) so every stateless
-- server screens against the same copy; the newest row is the active one.
create table screening_list_versions (
  id bigserial primary key,
  loaded_at timestamptz not null,
  loaded_by text not null,
  sources jsonb not null,
  entry_count integer not null check (entry_count >= 0),
  content_sha256 text not null,
  changes jsonb not null,
  data_gz bytea not null
);

create table screening_cases (
  id bigserial primary key,
  organisation_id bigint references organisations(id),
  subject_kind text not null check (subject_kind in ('customer', 'order')),
  subject_name text not null check (length(subject_name) between 1 and 500),
  subject_ref text,
  country text check (country ~ '^[A-Z]{2}$'),
  profile jsonb not null,
  state text not null check (state in ('initial-assessment', 'enhanced-vetting', 'mitigation', 'approved', 'post-shipment', 'closed', 'cancelled')),
  risk text check (risk in ('low', 'high')),
  checklist jsonb not null default '{}'::jsonb,
  decision jsonb,
  shipped_at timestamptz,
  opened_by text not null,
  opened_at timestamptz not null,
  updated_at timestamptz not null,
  version integer not null default 1
);
create index screening_cases_org on screening_cases (organisation_id, state);

create table screening_verifications (
  id bigserial primary key,
  case_id bigint not null references screening_cases(id),
  kind text not null check (kind in ('one-week', 'six-month')),
  due_at timestamptz not null,
  status text not null default 'pending' check (status in ('pending', 'passed', 'failed')),
  resolved_at timestamptz,
  evidence jsonb,
  unique (case_id, kind)
);
create index screening_verifications_due on screening_verifications (status, due_at);

-- The audit trail: who decided what, when and why. Rows are only ever inserted.
create table screening_case_events (
  id bigserial primary key,
  case_id bigint not null references screening_cases(id),
  seq integer not null check (seq >= 1),
  at timestamptz not null,
  actor text not null,
  action text not null,
  from_state text,
  to_state text not null,
  reason text not null,
  data jsonb not null default '{}'::jsonb,
  unique (case_id, seq)
);

create function screening_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'the diligence audit trail is append-only (% on %)', tg_op, tg_table_name;
end $$;
create trigger screening_case_events_append_only before update or delete on screening_case_events
  for each row execute function screening_append_only();
create trigger screening_case_events_no_truncate before truncate on screening_case_events
  for each statement execute function screening_append_only();
create trigger screening_list_versions_append_only before update or delete on screening_list_versions
  for each row execute function screening_append_only();
