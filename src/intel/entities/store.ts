// Entities and links as stored: FtM schema and properties, where each came from. Writes are upserts keyed
// by the FtM id, so importing the same data twice changes nothing.
import type { Queryable } from '../../db/index.js';

export type Origin = 'registry' | 'screening' | 'evidence' | 'ftm' | 'analyst';
/** FtM properties: each a list of string values. */
export type Properties = Record<string, string[]>;

export interface Entity {
  id: string;
  schema: string;
  caption: string;
  properties: Properties;
  origin: Origin;
  originRef: string | null;
}

export interface Link {
  id: string;
  schema: string;
  sourceId: string;
  targetId: string;
  properties: Properties;
  origin: Origin;
  originRef: string | null;
}

/** Inserts or updates entities by id (one statement per 1,000). */
export async function upsertEntities(q: Queryable, entities: readonly Entity[], now: Date): Promise<void> {
  for (let i = 0; i < entities.length; i += 1000) {
    const batch = entities.slice(i, i + 1000);
    await q.query(
      `insert into intel_entities (id, schema, caption, properties, origin, origin_ref, created_at, updated_at)
       select e->>'id', e->>'schema', e->>'caption', e->'properties', e->>'origin', e->>'originRef', $2, $2
         from jsonb_array_elements($1::jsonb) e
       on conflict (id) do update set schema = excluded.schema, caption = excluded.caption,
         properties = excluded.properties, updated_at = excluded.updated_at
       where (intel_entities.schema, intel_entities.caption, intel_entities.properties)
         is distinct from (excluded.schema, excluded.caption, excluded.properties)`,
      [JSON.stringify(batch), now.toISOString()],
    );
  }
}

/** Inserts links by id; a link already stored is left as it is. */
export async function insertLinks(q: Queryable, links: readonly Link[], now: Date): Promise<void> {
  for (let i = 0; i < links.length; i += 1000) {
    const batch = links.slice(i, i + 1000);
    await q.query(
      `insert into intel_links (id, schema, source_id, target_id, properties, origin, origin_ref, created_at)
       select l->>'id', l->>'schema', l->>'sourceId', l->>'targetId', l->'properties', l->>'origin',
              l->>'originRef', $2
         from jsonb_array_elements($1::jsonb) l
       on conflict (id) do nothing`,
      [JSON.stringify(batch), now.toISOString()],
    );
  }
}

interface EntityRow {
  id: string;
  schema: string;
  caption: string;
  properties: Properties;
  origin: Origin;
  origin_ref: string | null;
}

const toEntity = (r: EntityRow): Entity => ({
  id: r.id,
  schema: r.schema,
  caption: r.caption,
  properties: r.properties,
  origin: r.origin,
  originRef: r.origin_ref,
});

/** The entities with these ids (those that exist). */
export async function getEntities(q: Queryable, ids: readonly string[]): Promise<Entity[]> {
  if (ids.length === 0) return [];
  const rows = await q.query<EntityRow>(
    'select id, schema, caption, properties, origin, origin_ref from intel_entities where id = any($1::text[])',
    [ids],
  );
  return rows.map(toEntity);
}

interface LinkRow {
  id: string;
  schema: string;
  source_id: string;
  target_id: string;
  properties: Properties;
  origin: Origin;
  origin_ref: string | null;
}

/** Every link that has one of these entities at either end. */
export async function linksTouching(q: Queryable, ids: readonly string[]): Promise<Link[]> {
  if (ids.length === 0) return [];
  const rows = await q.query<LinkRow>(
    `select id, schema, source_id, target_id, properties, origin, origin_ref from intel_links
      where source_id = any($1::text[])
     union
     select id, schema, source_id, target_id, properties, origin, origin_ref from intel_links
      where target_id = any($1::text[])`,
    [ids],
  );
  return rows.map((r) => ({
    id: r.id,
    schema: r.schema,
    sourceId: r.source_id,
    targetId: r.target_id,
    properties: r.properties,
    origin: r.origin,
    originRef: r.origin_ref,
  }));
}
