-- Core tables shared by every domain: organisations and API keys with roles.
create table organisations (
  id bigserial primary key,
  name text not null unique,
  created_at timestamptz not null default now()
);

-- API keys are stored as SHA-256 of the secret (the secret has 256 bits of entropy, so a slow hash
-- adds nothing); `prefix` is the public part used to find the row.
create table api_keys (
  id bigserial primary key,
  prefix text not null unique,
  secret_sha256 bytea not null,
  role text not null check (role in ('admin', 'regulator', 'filer', 'auditor', 'analyst', 'compliance')),
  organisation_id bigint references organisations(id),
  label text not null default '',
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);
