-- Location verification (src/verify): landmarks, enrolled chips and their schedule, signed batches,
-- accepted records (the nonce is unique: a record is never accepted twice), verdicts and alerts.
create table verify_landmarks (
  id text primary key,
  lat double precision not null check (lat between -90 and 90),
  lon double precision not null check (lon between -180 and 180),
  alg text not null check (alg in ('ed25519', 'p256', 'p384')),
  public_key bytea not null,
  host text not null,
  port integer not null check (port between 1 and 65535),
  active boolean not null default true,
  created_at timestamptz not null default now()
);

create table verify_chips (
  serial text primary key,
  alg text not null check (alg in ('ed25519', 'p256', 'p384')),
  public_key bytea not null,
  -- Shipment batch (for batch-level alerts) and ship date (first check due within a month of it).
  shipment text,
  shipped_at timestamptz,
  -- Declared site until the registry supplies one (see DeclaredLocationSource).
  declared_lat double precision,
  declared_lon double precision,
  enrolled_at timestamptz not null default now(),
  next_check_at timestamptz,
  last_checked_at timestamptz,
  last_verdict text,
  last_verified_at timestamptz
);
create index verify_chips_due on verify_chips (next_check_at);
create index verify_chips_shipment on verify_chips (shipment);

create table verify_batches (
  id bigserial primary key,
  landmark_id text not null references verify_landmarks(id),
  body jsonb not null,
  received_at timestamptz not null default now()
);

create table verify_records (
  nonce bytea primary key,
  batch_id bigint not null references verify_batches(id),
  idx integer not null,
  serial text not null,
  landmark_id text not null,
  rtt_micros double precision not null,
  measured_at timestamptz not null
);
create index verify_records_serial on verify_records (serial, measured_at);

create table verify_results (
  id bigserial primary key,
  serial text not null,
  verdict text not null check (verdict in ('proven-outside', 'consistent', 'inconsistent', 'inconclusive', 'no-response')),
  declared_consistent boolean,
  proven_outside text[] not null default '{}',
  margin_km jsonb not null default '{}',
  evidence jsonb not null,
  checked_at timestamptz not null,
  requested_by bigint references api_keys(id)
);
create index verify_results_serial on verify_results (serial, checked_at desc);

create table verify_alerts (
  id bigserial primary key,
  kind text not null check (kind in ('chip-inconsistent', 'chip-stopped-verifying', 'batch-stopped-verifying')),
  serial text,
  shipment text,
  detail jsonb not null default '{}',
  created_at timestamptz not null,
  acknowledged_at timestamptz
);
-- At most one open alert of a kind per chip and per shipment.
create unique index verify_alerts_open_chip on verify_alerts (kind, serial) where acknowledged_at is null and serial is not null;
create unique index verify_alerts_open_shipment on verify_alerts (kind, shipment) where acknowledged_at is null and serial is null;
