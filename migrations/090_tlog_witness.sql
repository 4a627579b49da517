-- Witnessed checkpoints (src/tlog/publish.ts): when witnesses are configured, the log publishes a signed
-- checkpoint only once a quorum of them cosigned it (C2SP tlog-witness, tlog-cosignature); the note kept
-- here is the log's checkpoint with the witnesses' cosignature lines appended.
create table tlog_cosigned (
  tree_size bigint primary key references tlog_checkpoints (tree_size),
  note text not null,
  cosigners text[] not null,
  cosigned_at timestamptz not null
);

create trigger tlog_cosigned_append_only before update or delete on tlog_cosigned
  for each row execute function tlog_append_only();
