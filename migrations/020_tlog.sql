-- Transparency log (src/tlog): an RFC 9162 Merkle tree over the accepted registry items. Entries and
-- the perfect interior nodes (complete subtrees) are stored so any proof needs O(log n) lookups;
-- checkpoints are C2SP signed notes; the log's Ed25519 key is stored encrypted (AES-256-GCM).

-- One row: the committed tree size. Appenders update it first, which serialises them (row lock).
create table tlog_state (
  id boolean primary key default true check (id),
  tree_size bigint not null default 0 check (tree_size >= 0)
);
insert into tlog_state default values;

create table tlog_entries (
  idx bigint primary key check (idx >= 0),
  leaf_hash bytea not null check (length(leaf_hash) = 32),   -- SHA-256(0x00 || entry)
  entry bytea not null
);
create index tlog_entries_leaf_hash on tlog_entries using hash (leaf_hash);

-- Perfect nodes: node (level, idx) = MTH of leaves [idx·2^level, (idx+1)·2^level), kept for the levels
-- 4, 8, 12, ... only (store.ts STRIDE); the others are hashed up from at most 8 stored nodes.
-- Level 0 (the leaves) lives in tlog_entries.
create table tlog_nodes (
  level smallint not null check (level between 1 and 63 and level % 4 = 0),
  idx bigint not null check (idx >= 0),
  hash bytea not null check (length(hash) = 32),
  primary key (level, idx)
);

create table tlog_checkpoints (
  tree_size bigint primary key check (tree_size >= 0),
  root_hash bytea not null check (length(root_hash) = 32),
  note text not null,
  created_at timestamptz not null
);

-- The log key: one per log. private_key_enc = nonce(12) || AES-256-GCM(seed) || tag(16), under a
-- key-encryption key that never enters the database.
create table tlog_key (
  id boolean primary key default true check (id),
  name text not null,
  public_key bytea not null check (length(public_key) = 32),
  private_key_enc bytea not null,
  created_at timestamptz not null default now()
);

-- Append-only: history is never updated or deleted through ordinary SQL. (An operator with superuser
-- rights can still bypass this; signed checkpoints and `chipwatch log verify` catch that.)
create function tlog_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'the transparency log is append-only (% on %)', tg_op, tg_table_name;
end $$;
create trigger tlog_entries_append_only before update or delete on tlog_entries
  for each row execute function tlog_append_only();
create trigger tlog_entries_no_truncate before truncate on tlog_entries
  for each statement execute function tlog_append_only();
create trigger tlog_nodes_append_only before update or delete on tlog_nodes
  for each row execute function tlog_append_only();
create trigger tlog_checkpoints_append_only before update or delete on tlog_checkpoints
  for each row execute function tlog_append_only();
