// The network's reads, set-based per hop (never one query per node): in one statement the stored links
// touching a frontier, the entities sharing an identifier with it (073) and those named by the same evidence
// item (071); then the entities themselves.
import type { Queryable } from '../../db/index.js';
import type { Entity, Origin, Properties } from '../entities/store.js';

export interface StoredLink {
  id: string;
  schema: string;
  sourceId: string;
  targetId: string;
  properties: Properties;
  origin: Origin;
  originRef: string | null;
}

export interface SharedKey {
  a: string;
  b: string;
  prop: string;
  value: string;
}

interface LinkRow {
  id: string;
  schema: string;
  source_id: string;
  target_id: string;
  properties: Properties | string;
  origin: Origin;
  origin_ref: string | null;
}

const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

const toLink = (r: LinkRow): StoredLink => ({
  id: r.id,
  schema: r.schema,
  sourceId: r.source_id,
  targetId: r.target_id,
  properties: json(r.properties),
  origin: r.origin,
  originRef: r.origin_ref,
});

export interface CoNamed {
  a: string;
  b: string;
  evidenceId: string;
  title: string;
  url: string | null;
  date: string;
}

export interface HopEdges {
  stored: StoredLink[];
  shared: SharedKey[];
  named: CoNamed[];
}

/**
 * The three kinds of edge touching a frontier in one statement (one round trip per hop): stored links, shared
 * identifiers and evidence items naming two entities, each at most `limit`; with `within`, only edges whose
 * other end is in it.
 */
export async function hopEdges(
  q: Queryable,
  frontier: readonly string[],
  limit: number,
  within?: readonly string[],
): Promise<HopEdges> {
  if (frontier.length === 0) return { stored: [], shared: [], named: [] };
  const rows = await q.query<{ k: 'l' | 's' | 'n'; r: Record<string, unknown> | string }>(
    `select 'l' as k, to_jsonb(x) as r from (
       select * from (
         select l.id, l.schema, l.source_id, l.target_id, l.properties, l.origin, l.origin_ref
           from intel_links l where l.source_id = any($1::text[])
            and ($3::text[] is null or l.target_id = any($3::text[]))
         union
         select l.id, l.schema, l.source_id, l.target_id, l.properties, l.origin, l.origin_ref
           from intel_links l where l.target_id = any($1::text[])
            and ($3::text[] is null or l.source_id = any($3::text[]))
       ) u limit $2) x
     union all
     select 's', to_jsonb(y) from (
       select a.entity_id as a, b.entity_id as b, a.kind as prop, a.value
         from intel_identifiers a
         join intel_identifiers b on b.kind = a.kind and b.value = a.value and b.entity_id <> a.entity_id
        where a.entity_id = any($1::text[]) and ($3::text[] is null or b.entity_id = any($3::text[]))
        limit $2) y
     union all
     select 'n', to_jsonb(z) from (
       select distinct a.entity_id as a, b.entity_id as b, e.id as "evidenceId", e.title, e.source_url as url,
              e.event_date::text as date
         from intel_evidence_entities a
         join intel_evidence_entities b on b.evidence_id = a.evidence_id and b.entity_id <> a.entity_id
         join intel_evidence e on e.id = a.evidence_id
        where a.entity_id = any($1::text[]) and ($3::text[] is null or b.entity_id = any($3::text[]))
        limit $2) z`,
    [frontier, limit, within ?? null],
  );
  const out: HopEdges = { stored: [], shared: [], named: [] };
  for (const row of rows) {
    const r = json(row.r);
    if (row.k === 'l') out.stored.push(toLink(r as unknown as LinkRow));
    else if (row.k === 's') out.shared.push(r as unknown as SharedKey);
    else out.named.push(r as unknown as CoNamed);
  }
  return out;
}

interface EntityRow {
  id: string;
  schema: string;
  caption: string;
  properties: Properties | string;
  origin: Origin;
  origin_ref: string | null;
}

/** The entities with these ids (those that exist). */
export async function entitiesByIds(q: Queryable, ids: readonly string[]): Promise<Entity[]> {
  if (ids.length === 0) return [];
  const rows = await q.query<EntityRow>(
    'select id, schema, caption, properties, origin, origin_ref from intel_entities where id = any($1::text[])',
    [ids],
  );
  return rows.map((r) => ({
    id: r.id,
    schema: r.schema,
    caption: r.caption,
    properties: json(r.properties),
    origin: r.origin,
    originRef: r.origin_ref,
  }));
}

/** Entities whose id is `ref`, else whose caption is `ref` (case-insensitive); at most 20. */
export async function findEntities(q: Queryable, ref: string): Promise<Entity[]> {
  const byId = await entitiesByIds(q, [ref]);
  if (byId.length) return byId;
  const rows = await q.query<{ id: string }>(
    'select id from intel_entities where lower(caption) = lower($1) order by id limit 20',
    [ref],
  );
  return entitiesByIds(
    q,
    rows.map((r) => r.id),
  );
}
