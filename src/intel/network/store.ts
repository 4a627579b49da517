// The network's reads, each one set-based statement per hop (never one query per node): the stored links
// touching a frontier, the entities sharing an identifier with it (073) or named by the same evidence item
// (071), and the entities themselves.
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

/** Links with an end in `frontier` (and, when `within` is given, the other end in it too); at most `limit`. */
export async function linksOf(
  q: Queryable,
  frontier: readonly string[],
  limit: number,
  within?: readonly string[],
): Promise<StoredLink[]> {
  if (frontier.length === 0) return [];
  const rows = await q.query<LinkRow>(
    `select * from (
       select l.id, l.schema, l.source_id, l.target_id, l.properties, l.origin, l.origin_ref
         from intel_links l where l.source_id = any($1::text[])
          and ($3::text[] is null or l.target_id = any($3::text[]))
       union
       select l.id, l.schema, l.source_id, l.target_id, l.properties, l.origin, l.origin_ref
         from intel_links l where l.target_id = any($1::text[])
          and ($3::text[] is null or l.source_id = any($3::text[]))
     ) x limit $2`,
    [frontier, limit, within ?? null],
  );
  return rows.map(toLink);
}

/** Pairs (a in `frontier`, b elsewhere or within `within`) sharing an identifier (073); at most `limit`. */
export async function sharedKeysOf(
  q: Queryable,
  frontier: readonly string[],
  limit: number,
  within?: readonly string[],
): Promise<SharedKey[]> {
  if (frontier.length === 0) return [];
  return q.query<SharedKey>(
    `select a.entity_id as a, b.entity_id as b, a.kind as prop, a.value
       from intel_identifiers a
       join intel_identifiers b on b.kind = a.kind and b.value = a.value and b.entity_id <> a.entity_id
      where a.entity_id = any($1::text[]) and ($3::text[] is null or b.entity_id = any($3::text[]))
      limit $2`,
    [frontier, limit, within ?? null],
  );
}

export interface CoNamed {
  a: string;
  b: string;
  evidenceId: string;
  title: string;
  url: string | null;
  date: string;
}

/** Pairs (a in `frontier`, b elsewhere or within `within`) named by one evidence item (071); at most `limit`. */
export async function coNamedOf(
  q: Queryable,
  frontier: readonly string[],
  limit: number,
  within?: readonly string[],
): Promise<CoNamed[]> {
  if (frontier.length === 0) return [];
  return q.query<CoNamed>(
    `select distinct a.entity_id as a, b.entity_id as b, e.id as "evidenceId", e.title, e.source_url as url,
            e.event_date::text as date
       from intel_evidence_entities a
       join intel_evidence_entities b on b.evidence_id = a.evidence_id and b.entity_id <> a.entity_id
       join intel_evidence e on e.id = a.evidence_id
      where a.entity_id = any($1::text[]) and ($3::text[] is null or b.entity_id = any($3::text[]))
      limit $2`,
    [frontier, limit, within ?? null],
  );
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
