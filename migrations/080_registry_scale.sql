-- Registry at scale (issue 18). A filing is now read and written in batches as its file streams in, so
-- its content hash can no longer be SHA-256 over all its items' canonical JSON sorted by serial (that needs
-- every item at once). It is SHA-256 over the items' SHA-256(canonical item JSON) digests in byte order
-- (src/registry/leaf.ts ContentHasher): 32 bytes an item until the end, the same for any row order.
-- Existing filings get the new hash here, from their log leaves (each holds the item's canonical JSON
-- between "item": and ,"row":), so refiling their content is still recognised as a duplicate.
update registry_filings f set content_sha256 = h.sha
from (
  select t.filing_id, sha256(string_agg(x.d, ''::bytea order by x.d)) as sha
  from registry_transfers t
    join tlog_entries e on e.idx = t.leaf_index
    cross join lateral (
      select sha256(convert_to(substring(convert_from(e.entry, 'UTF8')
        from '"item":(.*),"row":[0-9]+,"type":"chipwatch\.registry\.item/v1"\}$'),
        'UTF8')) as d
    ) x
  group by t.filing_id
) h
where h.filing_id = f.id and h.sha is not null;

-- Storage: at most 1,000 bytes an item, tables, indexes and log together (bench/registry.mjs counts it).
-- Leaves written from now on are chipwatch.registry.item/v2 (src/registry/leaf.ts): the item's columns as an
-- array in template order instead of an object repeating 17 column names, ~45% of a leaf. Existing v1 leaves
-- stay as they are (the log is append-only); both are read.
-- An item's leaf index only grows with its insertion, and is looked up only by range (`registry check`
-- walks the log page by page): a BRIN index serves that in a few pages instead of a 23-byte-an-item B-tree.
-- The log's own primary key keeps leaf indices unique.
alter table registry_transfers drop constraint registry_transfers_leaf_index_key;
create index registry_transfers_leaf on registry_transfers using brin (leaf_index);
