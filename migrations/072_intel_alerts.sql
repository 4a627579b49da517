-- Serial alerts (src/intel/sightings, issue 19): a serial seen in a listing, sighting or seizure that the
-- registry contradicts (never filed, reported lost or destroyed, declared in another country, seen in a
-- restricted country). Append-only: an alert is raised once per serial, evidence item and kind, and keeps the
-- registry's picture at that moment; acknowledging one adds a row to intel_alert_acks and changes nothing.

create table intel_alerts (
  id text primary key,
  kind text not null check (kind in ('never-filed', 'reported-lost', 'seen-outside-declared-country',
    'restricted-country')),
  serial text not null,
  evidence_id text not null references intel_evidence(id),
  -- the party the alert is about: the registry's declared owner, else the seller the evidence names
  entity_id text,
  entity text,
  reason text not null,
  -- {filingId, exporter, owner, country, site, status, lastVerdict} at raise time; filingId null when never filed
  registry jsonb not null,
  raised_at timestamptz not null,
  unique (serial, evidence_id, kind)
);
create index intel_alerts_serial on intel_alerts (serial);
create index intel_alerts_raised on intel_alerts (raised_at, id);

create table intel_alert_acks (
  id bigserial primary key,
  alert_id text not null references intel_alerts(id),
  acknowledged_at timestamptz not null,
  -- who: 'cli' or the API key id
  acknowledged_by text not null,
  note text not null check (length(note) <= 2000)
);
create index intel_alert_acks_alert on intel_alert_acks (alert_id, id);
