-- Location verification requests: the regulator asks that a chip prove where it is (the verify domain
-- carries out the protocol; this records the request and its state).
create table registry_verification_requests (
  id bigserial primary key,
  serial text not null references registry_chips(serial),
  requested_by_key_id bigint not null references api_keys(id),
  reason text not null default '',
  status text not null default 'open' check (status in ('open', 'done', 'cancelled')),
  created_at timestamptz not null
);
create index registry_verification_requests_serial on registry_verification_requests (serial);
