-- Resolution of intelligence entities (src/intel/resolve, issue 19): the identifiers two entities can share,
-- and the analysts' judgements on pairs. Entities are never merged; a judgement is a row here.

-- Normalised identifiers of an entity, rewritten whenever the entity is: kind 'address' (lower-case words),
-- 'phone' (digits, E.164 without '+'), 'email' (lower case), 'website' (host without www.), 'registration'
-- (registration, tax, LEI, IMO and other id numbers: upper-case letters and digits).
create table intel_identifiers (
  entity_id text not null references intel_entities(id),
  kind text not null check (kind in ('address', 'phone', 'email', 'website', 'registration')),
  value text not null check (length(value) between 1 and 500),
  primary key (entity_id, kind, value)
);
create index intel_identifiers_value on intel_identifiers (kind, value);

-- Decisions on a pair (a < b), append-only: the current judgement of a pair is its latest decision that is
-- not a reversal and has not been reverted. A reversal names the decision it reverts.
create table intel_decisions (
  id bigserial primary key,
  a text not null references intel_entities(id),
  b text not null references intel_entities(id),
  judgement text not null check (judgement in ('same', 'different', 'unsure', 'revert')),
  reverts bigint references intel_decisions(id),
  reason text not null check (length(reason) between 1 and 2000),
  actor text not null check (length(actor) between 1 and 200),
  decided_at timestamptz not null,
  check (a < b),
  check ((judgement = 'revert') = (reverts is not null))
);
create index intel_decisions_a on intel_decisions (a, b);
create index intel_decisions_b on intel_decisions (b);
create unique index intel_decisions_reverted_once on intel_decisions (reverts) where reverts is not null;

-- Entities made since a time: `intel candidates --since` looks for the new ones.
create index intel_entities_created on intel_entities (created_at);
