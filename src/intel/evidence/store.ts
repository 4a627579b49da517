// Evidence items as stored (migration 071): insert (all or nothing, idempotent by content), read by id, list with
// filters, by serial and by entity. The parties an item names are upserted as FtM entities and linked with a role.
import { createHash } from 'node:crypto';
import type { Queryable } from '../../db/index.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { upsertEntities } from '../entities/store.js';
import type {
  Category,
  DatePrecision,
  EntityRole,
  EvidenceItem,
  EvidenceKind,
  EvidenceParty,
  QuantityUnit,
  StoredEvidence,
  Confidence,
} from './model.js';
import { partyEntity } from './parties.js';

/** An item to store, with the parties it names in their roles (every `parties` name is a 'party' already). */
export interface NewEvidence {
  item: EvidenceItem;
  /** Extra named roles (a listing's seller, its marketplace); the row they came from for errors. */
  roles?: EvidenceParty[];
  row?: number;
}

export interface InsertResult {
  /** Ids stored now. */
  inserted: string[];
  /** Ids already stored with the same content. */
  unchanged: string[];
}

/** The digest of what an item says: the same id with another digest is a different item. */
export function contentDigest(item: EvidenceItem, roles: readonly EvidenceParty[] = []): string {
  const canon = { ...item, serials: [...item.serials].sort(), roles: [...roles].map((r) => [r.role, r.name]).sort() };
  return createHash('sha256').update(JSON.stringify(canon)).digest('hex');
}

/**
 * Stores the items in the caller's transaction. An id already stored with the same content is left as it is;
 * with different content the whole call fails (ConflictError naming the row and id): evidence is not edited
 * in place, a correction is a new item.
 */
export async function insertEvidence(q: Queryable, items: readonly NewEvidence[], now: Date): Promise<InsertResult> {
  const digests = items.map((n) => contentDigest(n.item, n.roles));
  const existing = new Map(
    (
      await q.query<{ id: string; content_sha256: string }>(
        'select id, content_sha256 from intel_evidence where id = any($1::text[])',
        [items.map((n) => n.item.id)],
      )
    ).map((r) => [r.id, r.content_sha256]),
  );
  const fresh: { n: NewEvidence; digest: string }[] = [];
  const unchanged: string[] = [];
  items.forEach((n, i) => {
    const had = existing.get(n.item.id);
    if (had === undefined) fresh.push({ n, digest: digests[i] });
    else if (had === digests[i]) unchanged.push(n.item.id);
    else
      throw new ConflictError(
        `evidence ${n.item.id} is already stored with different content (evidence is not edited in place: ` +
          'give the corrected item a new id)',
        { row: n.row, column: 'id' },
      );
  });
  if (fresh.length === 0) return { inserted: [], unchanged };
  const rows = fresh.map(({ n, digest }) => toRow(n.item, digest));
  for (let i = 0; i < rows.length; i += 500) {
    await q.query(
      `insert into intel_evidence (id, category, kind, title, event_date, date_precision, jurisdiction, route_from,
         route_via, route_to, country, place, chip_model, quantity, quantity_unit, gpus, h100e, value_usd, parties,
         outcome, confidence, source_title, source_publisher, source_date, source_url, report_section, attributes,
         content_sha256, created_at)
       select e->>'id', e->>'category', e->>'kind', e->>'title', (e->>'date')::date, e->>'datePrecision',
         array(select jsonb_array_elements_text(e->'jurisdiction')),
         array(select jsonb_array_elements_text(e->'routeFrom')),
         array(select jsonb_array_elements_text(e->'routeVia')),
         array(select jsonb_array_elements_text(e->'routeTo')),
         e->>'country', e->>'place', e->>'chipModel', (e->>'quantity')::numeric, e->>'quantityUnit',
         (e->>'gpus')::numeric, (e->>'h100e')::numeric, (e->>'valueUsd')::numeric,
         array(select jsonb_array_elements_text(e->'parties')), e->>'outcome', e->>'confidence',
         e->>'sourceTitle', e->>'sourcePublisher', e->>'sourceDate', e->>'sourceUrl', e->>'reportSection',
         e->'attributes', e->>'digest', $2
       from jsonb_array_elements($1::jsonb) e`,
      [JSON.stringify(rows.slice(i, i + 500)), now.toISOString()],
    );
  }
  const serials = fresh.flatMap(({ n }) => [...new Set(n.item.serials)].map((s) => ({ e: n.item.id, s })));
  if (serials.length)
    await q.query(
      `insert into intel_evidence_serials (evidence_id, serial)
       select x->>'e', x->>'s' from jsonb_array_elements($1::jsonb) x`,
      [JSON.stringify(serials)],
    );
  const named = fresh.flatMap(({ n }) => [
    ...n.item.parties.map((name) => ({ name, role: 'party' as EntityRole, e: n.item.id })),
    ...(n.roles ?? []).map((r) => ({ ...r, e: n.item.id })),
  ]);
  if (named.length) {
    const entities = new Map(named.map((p) => [p.name, partyEntity(p.name, p.e)]));
    await upsertEntities(q, [...entities.values()], now);
    const links = [...new Map(named.map((p) => [`${p.e}|${partyEntity(p.name, p.e).id}|${p.role}`, p])).values()];
    await q.query(
      `insert into intel_evidence_entities (evidence_id, entity_id, role)
       select x->>'e', x->>'id', x->>'role' from jsonb_array_elements($1::jsonb) x on conflict do nothing`,
      [JSON.stringify(links.map((p) => ({ e: p.e, id: partyEntity(p.name, p.e).id, role: p.role })))],
    );
  }
  return { inserted: fresh.map(({ n }) => n.item.id), unchanged };
}

function toRow(it: EvidenceItem, digest: string) {
  return {
    id: it.id,
    category: it.category,
    kind: it.kind,
    title: it.title,
    date: it.date,
    datePrecision: it.datePrecision,
    jurisdiction: it.jurisdiction,
    routeFrom: it.route.from,
    routeVia: it.route.via,
    routeTo: it.route.to,
    country: it.country,
    place: it.place,
    chipModel: it.chipModel,
    quantity: it.quantity,
    quantityUnit: it.quantityUnit,
    gpus: it.gpus,
    h100e: it.h100e,
    valueUsd: it.valueUsd,
    parties: it.parties,
    outcome: it.outcome,
    confidence: it.confidence,
    sourceTitle: it.source.title,
    sourcePublisher: it.source.publisher,
    sourceDate: it.source.date,
    sourceUrl: it.source.url,
    reportSection: it.reportSection,
    attributes: it.attributes,
    digest,
  };
}

interface EvidenceRow {
  id: string;
  category: Category;
  kind: EvidenceKind;
  title: string;
  event_date: string;
  date_precision: DatePrecision;
  jurisdiction: string[];
  route_from: string[];
  route_via: string[];
  route_to: string[];
  country: string | null;
  place: string | null;
  chip_model: string | null;
  quantity: string | number | null;
  quantity_unit: QuantityUnit;
  gpus: string | number | null;
  h100e: string | number | null;
  value_usd: string | number | null;
  parties: string[];
  outcome: string | null;
  confidence: Confidence | null;
  source_title: string;
  source_publisher: string | null;
  source_date: string | null;
  source_url: string | null;
  report_section: string | null;
  attributes: Record<string, string>;
  created_at: string | Date;
  serials: string[];
  entities: { entityId: string; role: EntityRole; name: string }[];
}

const num = (v: string | number | null): number | null => (v === null ? null : Number(v));

const SELECT = `select e.id, e.category, e.kind, e.title, e.event_date::text as event_date, e.date_precision,
    e.jurisdiction, e.route_from, e.route_via, e.route_to, e.country, e.place, e.chip_model, e.quantity,
    e.quantity_unit, e.gpus, e.h100e, e.value_usd, e.parties, e.outcome, e.confidence, e.source_title,
    e.source_publisher, e.source_date, e.source_url, e.report_section, e.attributes, e.created_at,
    coalesce((select array_agg(s.serial order by s.serial) from intel_evidence_serials s
      where s.evidence_id = e.id), '{}') as serials,
    coalesce((select jsonb_agg(jsonb_build_object('entityId', x.entity_id, 'role', x.role, 'name', n.caption)
      order by x.role, x.entity_id) from intel_evidence_entities x join intel_entities n on n.id = x.entity_id
      where x.evidence_id = e.id), '[]') as entities
  from intel_evidence e`;

function fromRow(r: EvidenceRow): StoredEvidence {
  return {
    id: r.id,
    category: r.category,
    kind: r.kind,
    title: r.title,
    date: r.event_date,
    datePrecision: r.date_precision,
    jurisdiction: r.jurisdiction,
    route: { from: r.route_from, via: r.route_via, to: r.route_to },
    country: r.country,
    place: r.place,
    chipModel: r.chip_model,
    quantity: num(r.quantity),
    quantityUnit: r.quantity_unit,
    gpus: num(r.gpus),
    h100e: num(r.h100e),
    valueUsd: num(r.value_usd),
    parties: r.parties,
    outcome: r.outcome,
    confidence: r.confidence,
    source: { title: r.source_title, publisher: r.source_publisher, date: r.source_date, url: r.source_url },
    reportSection: r.report_section,
    serials: r.serials,
    attributes: r.attributes,
    entities: r.entities,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

export async function getEvidence(q: Queryable, id: string): Promise<StoredEvidence> {
  const rows = await q.query<EvidenceRow>(`${SELECT} where e.id = $1`, [id]);
  if (!rows[0]) throw new NotFoundError(`no evidence item ${id}`, { field: 'id' });
  return fromRow(rows[0]);
}

/** The items with these ids (those that exist), in id order. */
export async function getEvidenceItems(q: Queryable, ids: readonly string[]): Promise<StoredEvidence[]> {
  if (ids.length === 0) return [];
  const rows = await q.query<EvidenceRow>(`${SELECT} where e.id = any($1::text[]) order by e.id`, [ids]);
  return rows.map(fromRow);
}

export interface EvidenceFilter {
  category?: Category;
  kind?: EvidenceKind;
  /** Seen in (listings, sightings) or routed through (cases) this country. */
  country?: string;
  /** Items dated on or after / before (period start) these days, YYYY-MM-DD. */
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

/** Items by date, then id. */
export async function listEvidence(q: Queryable, f: EvidenceFilter): Promise<StoredEvidence[]> {
  const rows = await q.query<EvidenceRow>(
    `${SELECT}
     where ($1::text is null or e.category = $1) and ($2::text is null or e.kind = $2)
       and ($3::text is null or e.country = $3 or $3 = any(e.route_from) or $3 = any(e.route_via)
         or $3 = any(e.route_to))
       and ($4::date is null or e.event_date >= $4) and ($5::date is null or e.event_date < $5)
     order by e.event_date, e.id limit $6 offset $7`,
    [f.category ?? null, f.kind ?? null, f.country ?? null, f.from ?? null, f.to ?? null, f.limit, f.offset],
  );
  return rows.map(fromRow);
}

/** Items that saw this serial, by date. */
export async function evidenceBySerial(q: Queryable, serial: string): Promise<StoredEvidence[]> {
  const rows = await q.query<EvidenceRow>(
    `${SELECT} where e.id in (select evidence_id from intel_evidence_serials where serial = $1)
     order by e.event_date, e.id`,
    [serial],
  );
  return rows.map(fromRow);
}

/** Items that name this entity (in any role), by date. */
export async function evidenceByEntity(q: Queryable, entityId: string): Promise<StoredEvidence[]> {
  const rows = await q.query<EvidenceRow>(
    `${SELECT} where e.id in (select evidence_id from intel_evidence_entities where entity_id = $1)
     order by e.event_date, e.id`,
    [entityId],
  );
  return rows.map(fromRow);
}

export interface ContextFact {
  id: string;
  dataset: 'prices' | 'context';
  fact: string;
  value: number;
  unit: string;
  period: string;
  multipleOfMsrp: number | null;
  source: string;
  reportSection: string;
}

/** Stores context facts in the caller's transaction; an id already stored is left as it is. */
export async function insertContextFacts(q: Queryable, facts: readonly ContextFact[]): Promise<void> {
  if (facts.length === 0) return;
  await q.query(
    `insert into intel_context_facts (id, dataset, fact, value, unit, period, multiple_of_msrp, source,
       report_section)
     select f->>'id', f->>'dataset', f->>'fact', (f->>'value')::numeric, f->>'unit', f->>'period',
       (f->>'multipleOfMsrp')::numeric, f->>'source', f->>'reportSection'
     from jsonb_array_elements($1::jsonb) f on conflict (id) do nothing`,
    [JSON.stringify(facts)],
  );
}

export async function listContextFacts(q: Queryable, dataset?: 'prices' | 'context'): Promise<ContextFact[]> {
  const rows = await q.query<Record<string, unknown>>(
    `select id, dataset, fact, value, unit, period, multiple_of_msrp, source, report_section
     from intel_context_facts where ($1::text is null or dataset = $1) order by dataset, id`,
    [dataset ?? null],
  );
  return rows.map((r) => ({
    id: String(r.id),
    dataset: r.dataset as ContextFact['dataset'],
    fact: String(r.fact),
    value: Number(r.value),
    unit: String(r.unit),
    period: String(r.period),
    multipleOfMsrp: r.multiple_of_msrp === null ? null : Number(r.multiple_of_msrp),
    source: String(r.source),
    reportSection: String(r.report_section),
  }));
}
