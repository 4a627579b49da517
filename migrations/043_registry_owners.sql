-- Owners of registry parties, for the 50% rule (issue 15): a § 743.7 filing may name the owners of each
-- new owner (owner_parent_N_name/_country/_share columns, src/registry/validate.ts). Registry parties are
-- stored once, so their owners are too: one row per owner, keyed by the party and the column group the
-- filing used. A filing that names a party's owners replaces the stored set; one that names none keeps it.
-- Re-screening (src/screening/rescreen) then applies the 50% rule to registry parties: their last known
-- ownership verdict is stored beside their hits, and an alert says whether it rests on the party's own
-- screening or on its owners.

create table registry_party_owners (
  party_id bigint not null references registry_parties(id),
  position smallint not null check (position between 1 and 5),   -- the column group N
  name text not null,
  country text check (country ~ '^[A-Z]{2}$'),                    -- null when the filing left it empty
  -- The owner's identity as a registry party (normalised name '|' country), when its country is known:
  -- an owner that is itself a registry party brings its own recorded owners (an ownership chain).
  owner_party_key text,
  share double precision check (share between 0 and 100),         -- percent; null = unknown, never 0
  filing_id bigint not null references registry_filings(id),      -- the filing that named this set
  primary key (party_id, position)
);
create index registry_party_owners_owner_key on registry_party_owners (owner_party_key);

-- The 50% rule verdict of a re-screened party with owners, as of the list version that last changed it:
-- {verdict, listedShare: {low, high}, chains, entries: [{id, list, name}], owners: fingerprint}.
alter table screening_party_hits add column ownership jsonb;

-- basis: 'screening' (the party's own name hit an entry) or 'ownership' (its owners' hits changed its
-- verdict under the 50% rule; the change text names the chain). One alert per basis and entry.
alter table screening_alerts add column basis text not null default 'screening'
  check (basis in ('screening', 'ownership'));
do $$
declare c text;
begin
  select conname into c from pg_constraint
    where conrelid = 'screening_alerts'::regclass and contype = 'u';
  execute format('alter table screening_alerts drop constraint %I', c);
end $$;
alter table screening_alerts add constraint screening_alerts_version_party_entry_basis
  unique (list_version_id, party_kind, party_ref, entry_id, basis);
