-- Intelligence (src/intel, issue 19): entities in the FollowTheMoney model and the links between them.
-- An entity keeps its FtM schema and properties as FtM writes them (each property a list of strings), so
-- export to Aleph or OpenSanctions is the row as stored. Entities are never merged: that two ids are the
-- same party is a decision in intel_decisions, recorded, reversible and audited.

create table intel_entities (
  id text primary key check (length(id) between 1 and 200),
  -- FtM schema: Company, Organization, LegalEntity, Person, Address, PublicBody, Vessel, ...
  schema text not null check (length(schema) between 1 and 64),
  caption text not null,
  properties jsonb not null default '{}',
  -- where it came from: a registry party, a screening-list entry, an evidence item, an FtM import, an analyst
  origin text not null check (origin in ('registry', 'screening', 'evidence', 'ftm', 'analyst')),
  origin_ref text,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index intel_entities_origin on intel_entities (origin, origin_ref);

-- Relations: FtM's interval schemata (Ownership, Directorship, Employment, Membership, Family, Associate,
-- Representation, UnknownLink, ...), each between a source and a target entity, with why it exists.
create table intel_links (
  id text primary key check (length(id) between 1 and 200),
  schema text not null check (length(schema) between 1 and 64),
  source_id text not null references intel_entities(id),
  target_id text not null references intel_entities(id),
  properties jsonb not null default '{}',
  origin text not null check (origin in ('registry', 'screening', 'evidence', 'ftm', 'analyst')),
  origin_ref text,
  created_at timestamptz not null,
  check (source_id <> target_id)
);
create index intel_links_source on intel_links (source_id);
create index intel_links_target on intel_links (target_id);
