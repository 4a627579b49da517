-- Intelligence networks (src/intel/network): the indexes their reads need beyond 070 and 073.
-- Clusters group directorships by director; `intel network NAME` finds a root by its caption when no id
-- matches.
create index intel_links_schema_source on intel_links (schema, source_id);
create index intel_entities_caption on intel_entities (lower(caption));
