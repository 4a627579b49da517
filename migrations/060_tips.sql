-- Whistleblower intake (src/tips, issue 16). Nothing here is plaintext a tipster wrote: every text,
-- attachment (name and bytes) and reply is a ciphertext under a per-message random key, and that key is
-- stored only sealed to each reader's public key. No address, user agent or time of day: days only.
-- Ids are random, so neither a tip's id nor a message's reveals the order of arrival.

-- The investigators tips are sealed to. A removed recipient keeps what was sealed to it before
-- (removed_on), and nothing that arrives after.
create table tip_recipients (
  id bigserial primary key,
  name text not null check (length(name) between 1 and 200),
  public_key bytea not null unique check (octet_length(public_key) = 32),
  added_on date not null,
  removed_on date
);

create table tips (
  id text primary key check (id ~ '^tip-[0-9a-f]{16}$'),
  -- keyed BLAKE2b of the receipt's entropy: finds the tip; cannot be inverted (128 random bits)
  receipt_lookup bytea not null unique check (octet_length(receipt_lookup) = 32),
  salt bytea not null check (octet_length(salt) = 16),
  -- replies are sealed to this key; its secret half is derived from the receipt and never stored
  reply_public_key bytea not null check (octet_length(reply_public_key) = 32),
  submitted_on date not null,
  status text not null default 'received'
    check (status in ('received', 'triaged', 'investigating', 'referred', 'closed'))
);

create table tip_messages (
  id text primary key check (id ~ '^msg-[0-9a-f]{16}$'),
  tip_id text not null references tips(id),
  seq integer not null check (seq >= 1),
  author text not null check (author in ('tipster', 'investigator')),
  -- the investigator who replied (null for the tipster's messages)
  author_recipient_id bigint references tip_recipients(id),
  created_on date not null,
  nonce bytea not null,
  ciphertext bytea not null,
  unique (tip_id, seq),
  check ((author = 'investigator') = (author_recipient_id is not null))
);

-- The message's content key sealed to one reader: an investigator, or (recipient_id null) the tipster's
-- reply key, so the receipt reads the whole conversation.
create table tip_sealed_keys (
  message_id text not null references tip_messages(id),
  recipient_id bigint references tip_recipients(id),
  sealed_key bytea not null
);
create unique index tip_sealed_keys_reader on tip_sealed_keys (message_id, recipient_id);
create unique index tip_sealed_keys_tipster on tip_sealed_keys (message_id) where recipient_id is null;
create index tip_sealed_keys_recipient on tip_sealed_keys (recipient_id);

create table tip_attachments (
  message_id text not null references tip_messages(id),
  position integer not null check (position >= 0),
  nonce bytea not null,
  ciphertext bytea not null,   -- the file's name and bytes, encrypted together
  primary key (message_id, position)
);

-- A commitment for each message a tipster sends: keyed BLAKE2b (salt known only to the tipster) over the
-- day and the message's ciphertexts. It proves the filing without saying who or what. Commitments become
-- transparency-log leaves once their day is over (`chipwatch tips publish`), shuffled, so neither the
-- log's order nor a checkpoint's time narrows a tip down to less than its day; log_index is null until then.
create table tip_commitments (
  message_id text primary key references tip_messages(id),
  commitment bytea not null unique check (octet_length(commitment) = 32),
  committed_on date not null,
  log_index bigint unique
);
create index tip_commitments_unpublished on tip_commitments (committed_on) where log_index is null;

-- The investigator role (API keys): the only role the tips routes for investigators admit, not even admin.
alter table api_keys drop constraint api_keys_role_check;
alter table api_keys add constraint api_keys_role_check
  check (role in ('admin', 'regulator', 'filer', 'auditor', 'analyst', 'compliance', 'compliance-lead',
                  'investigator'));
