-- Intelligence evidence (src/intel/evidence, issue 19): court cases, seizures, investigations, statements,
-- marketplace listings and sightings, each with its source, its date and the precision of that date, and
-- its quantity normalised to GPUs and to H100-equivalents. An item is keyed by its id (ACS-nn for the seed,
-- the file's id column or a digest of the row otherwise) and never changes once stored: re-importing the
-- same content is a no-op, different content under the same id is refused (content_sha256).

create table intel_evidence (
  id text primary key check (id ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$'),
  category text not null check (category in ('case', 'listing', 'sighting')),
  kind text not null check (kind in ('indictment', 'conviction', 'seizure', 'news-investigation',
    'company-statement', 'government-statement', 'marketplace-listings', 'academic-estimate', 'listing',
    'sighting')),
  title text not null check (length(title) between 1 and 2000),
  -- the first day of the period the date names (2025-Q1 → 2025-01-01) and how precise it is
  event_date date not null,
  date_precision text not null check (date_precision in ('day', 'month', 'quarter', 'year')),
  -- ISO 3166-1 alpha-2 codes (jurisdiction also 'EU')
  jurisdiction text[] not null default '{}',
  route_from text[] not null default '{}',
  route_via text[] not null default '{}',
  route_to text[] not null default '{}',
  -- where a listing or sighting was seen
  country text check (country ~ '^[A-Z]{2}$'),
  place text,
  chip_model text,
  quantity numeric check (quantity >= 0),
  quantity_unit text not null default 'unknown' check (quantity_unit in ('gpu', 'server', 'card', 'unknown')),
  -- quantity in GPUs (server = 8, card = 1; null when unknown) and in H100-equivalents (null when the
  -- chip model is not one of src/intel/evidence/h100e.ts's table)
  gpus numeric check (gpus >= 0),
  h100e numeric check (h100e >= 0),
  value_usd numeric check (value_usd >= 0),
  parties text[] not null default '{}',
  outcome text,
  confidence text check (confidence in ('reported', 'alleged', 'estimated')),
  source_title text not null check (length(source_title) between 1 and 1000),
  source_publisher text,
  source_date text,
  source_url text,
  report_section text,
  -- anything else the file carried (price, seller, marketplace, ...), as strings
  attributes jsonb not null default '{}',
  content_sha256 text not null,
  created_at timestamptz not null
);
create index intel_evidence_date on intel_evidence (event_date, id);
create index intel_evidence_kind on intel_evidence (kind, event_date);
create index intel_evidence_country on intel_evidence (country);

-- Serial numbers seen in an item (a listing's, a seizure's, a sighting's).
create table intel_evidence_serials (
  evidence_id text not null references intel_evidence(id),
  serial text not null check (length(serial) between 1 and 200),
  primary key (evidence_id, serial)
);
create index intel_evidence_serials_serial on intel_evidence_serials (serial);

-- The parties an item names, as FtM entities (origin 'evidence'), with their role in the item.
create table intel_evidence_entities (
  evidence_id text not null references intel_evidence(id),
  entity_id text not null references intel_entities(id),
  role text not null check (role in ('party', 'seller', 'buyer', 'marketplace')),
  primary key (evidence_id, entity_id, role)
);
create index intel_evidence_entities_entity on intel_evidence_entities (entity_id);

-- Figures the estimator and the enforcement-economics models read beside the items: grey-market prices
-- (prices.csv) and denominators and enforcement figures (context.csv).
create table intel_context_facts (
  id text primary key,
  dataset text not null check (dataset in ('prices', 'context')),
  fact text not null,
  value numeric not null,
  unit text not null,
  -- a year (2024) or a span (2023-2024)
  period text not null,
  multiple_of_msrp numeric,
  source text not null,
  report_section text not null
);

-- Seed datasets loaded into this database (once each; the digest says which version).
create table intel_seed_loads (
  name text primary key,
  content_sha256 text not null,
  loaded_at timestamptz not null
);
