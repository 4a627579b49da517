// Entities and links as stored: FtM schema and properties, where each came from. Writes are upserts keyed
// by the FtM id, so importing the same data twice changes nothing; an entity's identifiers (for resolution)
// are rewritten with it.
import type { Queryable } from '../../db/index.js';
import { identifiersOf } from '../resolve/identifiers.js';

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

/** Inserts or updates entities by id (one statement per 1,000), and rewrites their identifiers. */
export async function upsertEntities(q: Queryable, entities: readonly Entity[], now: Date): Promise<void> {
  for (let i = 0; i < entities.length; i += 1000) {
    const batch = entities.slice(i, i + 1000);
    const changed = await q.query<{ id: string }>(
      `insert into intel_entities (id, schema, caption, properties, origin, origin_ref, created_at, updated_at)
       select e->>'id', e->>'schema', e->>'caption', e->'properties', e->>'origin', e->>'originRef', $2, $2
         from jsonb_array_elements($1::jsonb) e
       on conflict (id) do update set schema = excluded.schema, caption = excluded.caption,
         properties = excluded.properties, updated_at = excluded.updated_at
       where (intel_entities.schema, intel_entities.caption, intel_entities.properties)
         is distinct from (excluded.schema, excluded.caption, excluded.properties)
       returning id`,
      [JSON.stringify(batch), now.toISOString()],
    );
    await writeIdentifiers(q, batch, new Set(changed.map((r) => r.id)));
  }
}

/** The identifiers of the entities that were inserted or changed, replacing what they had. */
async function writeIdentifiers(q: Queryable, batch: readonly Entity[], changed: ReadonlySet<string>): Promise<void> {
  if (changed.size === 0) return;
  const rows: { e: string; k: string; v: string }[] = [];
  for (const e of batch)
    if (changed.has(e.id))
      for (const id of identifiersOf(e.properties)) rows.push({ e: e.id, k: id.kind, v: id.value });
  await q.query('delete from intel_identifiers where entity_id = any($1::text[])', [[...changed]]);
  if (rows.length === 0) return;
  await q.query(
    `insert into intel_identifiers (entity_id, kind, value)
     select r->>'e', r->>'k', r->>'v' from jsonb_array_elements($1::jsonb) r
     on conflict do nothing`,
    [JSON.stringify(rows)],
  );
}

/** Inserts links by id; a link already stored is left as it is. */
export function insertLinks(q: Queryable, links: readonly Link[], now: Date): Promise<void> {
  return writeLinks(q, links, now, 'on conflict (id) do nothing');
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

const toLink = (r: LinkRow): Link => ({
  id: r.id,
  schema: r.schema,
  sourceId: r.source_id,
  targetId: r.target_id,
  properties: r.properties,
  origin: r.origin,
  originRef: r.origin_ref,
});

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
  return rows.map(toLink);
}

/** Inserts or updates links by id (FtM import: the file says what a link is now). */
export function upsertLinks(q: Queryable, links: readonly Link[], now: Date): Promise<void> {
  return writeLinks(
    q,
    links,
    now,
    `on conflict (id) do update set schema = excluded.schema, source_id = excluded.source_id,
       target_id = excluded.target_id, properties = excluded.properties
     where (intel_links.schema, intel_links.source_id, intel_links.target_id, intel_links.properties)
       is distinct from (excluded.schema, excluded.source_id, excluded.target_id, excluded.properties)`,
  );
}

/** Links in batches of 1,000 as one JSON parameter each, with what to do about an id already stored. */
async function writeLinks(q: Queryable, links: readonly Link[], now: Date, onConflict: string): Promise<void> {
  for (let i = 0; i < links.length; i += 1000) {
    const batch = links.slice(i, i + 1000);
    await q.query(
      `insert into intel_links (id, schema, source_id, target_id, properties, origin, origin_ref, created_at)
       select l->>'id', l->>'schema', l->>'sourceId', l->>'targetId', l->'properties', l->>'origin',
              l->>'originRef', $2
         from jsonb_array_elements($1::jsonb) l
       ${onConflict}`,
      [JSON.stringify(batch), now.toISOString()],
    );
  }
}

/** Entities in id order after `after`, a page at a time (export, resolution). */
export async function entitiesAfter(q: Queryable, after: string, limit: number): Promise<Entity[]> {
  const rows = await q.query<EntityRow>(
    `select id, schema, caption, properties, origin, origin_ref from intel_entities
      where id > $1 order by id limit $2`,
    [after, limit],
  );
  return rows.map(toEntity);
}

/** Links in id order after `after`, a page at a time (export). */
export async function linksAfter(q: Queryable, after: string, limit: number): Promise<Link[]> {
  const rows = await q.query<LinkRow>(
    `select id, schema, source_id, target_id, properties, origin, origin_ref from intel_links
      where id > $1 order by id limit $2`,
    [after, limit],
  );
  return rows.map(toLink);
}

/** Entities whose caption contains `text` (case-insensitive), of one schema when given, by caption. */
export async function searchEntities(
  q: Queryable,
  opts: { text?: string; schema?: string; origin?: string; limit: number; offset: number },
): Promise<Entity[]> {
  const like = opts.text ? `%${opts.text.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%` : null;
  const rows = await q.query<EntityRow>(
    `select id, schema, caption, properties, origin, origin_ref from intel_entities
      where ($1::text is null or lower(caption) like $1) and ($2::text is null or schema = $2)
        and ($3::text is null or origin = $3)
      order by caption, id limit $4 offset $5`,
    [like, opts.schema ?? null, opts.origin ?? null, opts.limit, opts.offset],
  );
  return rows.map(toEntity);
}

/** An entity's normalised identifiers (what resolution compares). */
export async function identifiersOfEntity(q: Queryable, id: string): Promise<{ kind: string; value: string }[]> {
  return q.query('select kind, value from intel_identifiers where entity_id = $1 order by kind, value', [id]);
}
