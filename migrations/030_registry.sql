-- Notification registry (draft EAR § 743.7): parties, locations, chips, filings and the transfers they
-- declare, plus custody flags. Every table is prefixed registry_ so other domains' names never clash.
-- Filers are rows of organisations (001_core.sql); each also has a party row (role 'filer').
--
-- The three high-volume tables (chips, transfers, flags: one row per filed item) carry no foreign keys:
-- PostgreSQL checks a foreign key with one trigger query per row, which tripled the cost of a
-- 100,000-item import (measured: transfers 10.4 s with, 3.3 s without). Their references are written
-- by one import transaction from ids it has just read or upserted; `registryIntegrity` (src/registry/
-- integrity.ts) checks them, and the durability test runs it after every crash.

create table registry_parties (
  id bigserial primary key,
  -- Identity used to merge repeated mentions: normalised name '|' country, or 'org:<id>' for a filer.
  party_key text not null unique,
  name_key text not null,
  kind text not null default 'organisation' check (kind in ('organisation', 'person')),
  name text not null,
  address text not null default '',
  phone text not null default '',
  country text check (country ~ '^[A-Z]{2}$'),   -- ISO 3166-1 alpha-2; null when unknown (filers)
  roles text[] not null default '{}',             -- any of owner, operator, filer
  organisation_id bigint references organisations(id),
  created_at timestamptz not null default now()
);
create index registry_parties_name_key on registry_parties (name_key);

create table registry_locations (
  id bigserial primary key,
  location_key text not null unique,              -- normalised address '|' country
  address text not null,
  country text not null check (country ~ '^[A-Z]{2}$'),
  lat double precision check (lat between -90 and 90),
  lon double precision check (lon between -180 and 180),
  operator_party_id bigint not null references registry_parties(id),
  phone text not null default '',
  check ((lat is null) = (lon is null))
);

create table registry_filings (
  id bigserial primary key,
  organisation_id bigint not null references organisations(id),
  filer_party_id bigint not null references registry_parties(id),
  purchase_order text,                            -- set when every item names the same one
  item_count integer not null check (item_count > 0),
  source text not null check (source in ('csv', 'xlsx', 'json')),
  received_at timestamptz not null,
  -- SHA-256 of the canonical items: the same content filed twice by one filer is one filing.
  content_sha256 bytea not null,
  first_leaf_index bigint not null,
  tree_size bigint not null,                      -- log size right after this filing's leaves
  unique (organisation_id, content_sha256)
);
create index registry_filings_received on registry_filings (received_at);

-- Keyed by serial (no surrogate id): transfers and flags name the chip by serial, so a bulk import
-- needs no id round trip for 100,000 new chips.
create table registry_chips (
  serial text primary key,
  product_name text not null,
  eccn text not null,
  status text not null check (status in ('active', 'lost', 'destroyed')),
  verification_public_key bytea,                  -- enrolled key the chip signs challenges with
  -- Current custody: from the transfer with the latest begin date (ties: the later filing).
  current_owner_id bigint,                        -- registry_parties(id)
  current_location_id bigint,                     -- registry_locations(id)
  last_begin_date date,
  last_complete_date date,
  first_filing_id bigint not null                 -- registry_filings(id)
);
create index registry_chips_owner on registry_chips (current_owner_id);

create table registry_transfers (
  filing_id bigint not null,                      -- registry_filings(id)
  row_number integer not null,                    -- spreadsheet row (header = 1) or JSON item index + 1
  serial text not null,                           -- registry_chips(serial)
  item_status text not null check (item_status in ('active', 'lost', 'destroyed')),
  product_name text not null,
  eccn text not null,
  from_owner_id bigint not null,                  -- registry_parties(id), the filer's party
  to_owner_id bigint not null,                    -- registry_parties(id)
  from_location_id bigint,                        -- registry_locations(id); null when unknown
  to_location_id bigint,                          -- registry_locations(id)
  begin_date date not null,
  expected_complete_date date not null,
  purchase_order text,
  ownership_change boolean not null,
  location_change boolean not null,
  foreign_involved boolean not null,
  leaf_index bigint not null unique,              -- this item's leaf in the transparency log
  primary key (filing_id, row_number)
);
create index registry_transfers_chip on registry_transfers (serial, begin_date);

create table registry_flags (
  id bigserial primary key,
  kind text not null check (kind in ('non_owner_transfer', 'active_in_two_places', 'lost_reappears', 'location_without_ownership')),
  serial text not null,                           -- registry_chips(serial)
  filing_id bigint not null,                      -- with row_number: registry_transfers
  row_number integer not null,
  detail text not null,
  created_at timestamptz not null
);
create index registry_flags_chip on registry_flags (serial);
create index registry_flags_filing on registry_flags (filing_id, row_number);
