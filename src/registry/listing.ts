// Read side across filings: filings by period (optionally one filer's), a filing's items, declared
// locations as GeoJSON, flags and the CSV export.
import { stringify } from 'csv-stringify/sync';
import { safeRecords } from '../tabular/safe-cell.js';
import type { Queryable } from '../db/index.js';
import { NotFoundError } from '../errors.js';
import { TEMPLATE_COLUMNS } from './template.js';

type R = Record<string, unknown>;
const iso = (v: unknown) => new Date(v as string).toISOString();

export interface FilingSummary {
  id: number;
  filer: string;
  organisationId: number;
  purchaseOrder: string | null;
  items: number;
  source: string;
  receivedAt: string;
  firstLeafIndex: number;
  treeSize: number;
  flags: number;
}

export interface Period {
  from?: string;
  to?: string;
}
/** Only this organisation's filings (a filer's key); undefined = all (regulator, admin). */
export type Scope = number | undefined;

function summary(r: R): FilingSummary {
  return {
    id: Number(r.id),
    filer: String(r.filer),
    organisationId: Number(r.organisation_id),
    purchaseOrder: (r.purchase_order as string | null) ?? null,
    items: Number(r.item_count),
    source: String(r.source),
    receivedAt: iso(r.received_at),
    firstLeafIndex: Number(r.first_leaf_index),
    treeSize: Number(r.tree_size),
    flags: Number(r.flags),
  };
}

const FILING_SELECT = `select f.id, o.name as filer, f.organisation_id, f.purchase_order, f.item_count, f.source,
  f.received_at, f.first_leaf_index, f.tree_size,
  (select count(*) from registry_flags g where g.filing_id = f.id)::int as flags
  from registry_filings f join organisations o on o.id = f.organisation_id`;

/** Filings received in [from, to] (dates inclusive, UTC), newest first. */
export async function listFilings(
  q: Queryable,
  scope: Scope,
  period: Period,
  page: { limit: number; offset: number },
): Promise<FilingSummary[]> {
  const rows = await q.query<R>(
    `${FILING_SELECT} where ($1::bigint is null or f.organisation_id = $1) and ($2::date is null
      or f.received_at >= $2::date)
       and ($3::date is null or f.received_at < $3::date + 1) order by f.received_at desc, f.id desc
         limit $4 offset $5`,
    [scope ?? null, period.from ?? null, period.to ?? null, page.limit, page.offset],
  );
  return rows.map(summary);
}

/** One filing; a filer asking for another's gets "not found", so ids reveal nothing. */
export async function getFiling(q: Queryable, scope: Scope, id: number): Promise<FilingSummary> {
  const rows = await q.query<R>(`${FILING_SELECT} where f.id = $1 and ($2::bigint is null or f.organisation_id = $2)`, [
    id,
    scope ?? null,
  ]);
  if (!rows[0]) throw new NotFoundError(`no filing ${id}`, { field: 'id' });
  return summary(rows[0]);
}

export interface FilingItem {
  row: number;
  serial: string;
  product: string;
  eccn: string;
  status: string;
  newOwner: string;
  newOwnerCountry: string | null;
  location: string | null;
  locationCountry: string | null;
  begin: string;
  expectedComplete: string;
  purchaseOrder: string | null;
  leafIndex: number;
  flags: string[];
}

export async function filingItems(
  q: Queryable,
  scope: Scope,
  id: number,
  page: { limit: number; offset: number },
): Promise<FilingItem[]> {
  await getFiling(q, scope, id);
  const rows = await q.query<R>(
    `select t.row_number, t.serial, t.product_name, t.eccn, t.item_status, p.name as owner, p.country as owner_country,
      l.address, l.country,
       t.begin_date::text as b, t.expected_complete_date::text as e, t.purchase_order, t.leaf_index,
       coalesce((select array_agg(g.kind order by g.kind) from registry_flags g where g.filing_id = t.filing_id
         and g.row_number = t.row_number), '{}') as flags
     from registry_transfers t join registry_parties p on p.id = t.to_owner_id
       left join registry_locations l on l.id = t.to_location_id
     where t.filing_id = $1 order by t.row_number limit $2 offset $3`,
    [id, page.limit, page.offset],
  );
  return rows.map((r) => ({
    row: Number(r.row_number),
    serial: String(r.serial),
    product: String(r.product_name),
    eccn: String(r.eccn),
    status: String(r.item_status),
    newOwner: String(r.owner),
    newOwnerCountry: (r.owner_country as string | null) ?? null,
    location: (r.address as string | null) ?? null,
    locationCountry: (r.country as string | null) ?? null,
    begin: String(r.b),
    expectedComplete: String(r.e),
    purchaseOrder: (r.purchase_order as string | null) ?? null,
    leafIndex: Number(r.leaf_index),
    flags: r.flags as string[],
  }));
}

export interface LocationFeature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] } | null;
  properties: { id: number; address: string; country: string; operator: string; chips: number };
}

/** Every declared location; geometry is null where no coordinates were filed (RFC 7946 §3.2). */
export async function locationsGeoJson(
  q: Queryable,
): Promise<{ type: 'FeatureCollection'; features: LocationFeature[] }> {
  const rows = await q.query<R>(
    `select l.id, l.address, l.country, l.lat, l.lon, p.name as operator,
       l.chips
     from registry_locations l join registry_parties p on p.id = l.operator_party_id order by l.id`,
  );
  return {
    type: 'FeatureCollection',
    features: rows.map((r) => ({
      type: 'Feature' as const,
      geometry:
        r.lat === null
          ? null
          : { type: 'Point' as const, coordinates: [Number(r.lon), Number(r.lat)] as [number, number] },
      properties: {
        id: Number(r.id),
        address: String(r.address),
        country: String(r.country),
        operator: String(r.operator),
        chips: Number(r.chips),
      },
    })),
  };
}

export interface FlagView {
  id: number;
  kind: string;
  serial: string;
  filingId: number;
  row: number;
  filer: string;
  detail: string;
  createdAt: string;
}

export async function listFlags(
  q: Queryable,
  opts: { kind?: string; limit: number; offset: number },
): Promise<FlagView[]> {
  const rows = await q.query<R>(
    `select g.id, g.kind, g.serial, g.filing_id, g.row_number, o.name as filer, g.detail, g.created_at
     from registry_flags g join registry_filings f on f.id = g.filing_id
       join organisations o on o.id = f.organisation_id
     where ($1::text is null or g.kind = $1) order by g.id limit $2 offset $3`,
    [opts.kind ?? null, opts.limit, opts.offset],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    kind: String(r.kind),
    serial: String(r.serial),
    filingId: Number(r.filing_id),
    row: Number(r.row_number),
    filer: String(r.filer),
    detail: String(r.detail),
    createdAt: iso(r.created_at),
  }));
}

export const EXPORT_COLUMNS = [
  'filing_id',
  'filer',
  'received_at',
  'row',
  'leaf_index',
  // The template's columns as filed, in the template's order.
  ...TEMPLATE_COLUMNS,
  'ownership_change',
  'location_change',
  'foreign_involved',
  'flags',
] as const;

/** Transfers of the filings received in the period, as CSV (header = EXPORT_COLUMNS), in one string. */
export async function exportCsv(q: Queryable, scope: Scope, period: Period): Promise<string> {
  let out = '';
  for await (const part of exportCsvParts(q, scope, period)) out += part;
  return out;
}

/** Rows of the export per query: pages follow the transfers' primary key, so each costs the same. */
export const EXPORT_PAGE = 10_000;

/**
 * The export as CSV text in parts of EXPORT_PAGE rows, read page by page after the last (filing, row) sent:
 * constant memory and a first part at once whatever the registry's size.
 */
export async function* exportCsvParts(
  q: Queryable,
  scope: Scope,
  period: Period,
  pageSize = EXPORT_PAGE,
): AsyncGenerator<string> {
  yield stringify([[...EXPORT_COLUMNS]]);
  let after: [number, number] = [0, 0];
  for (;;) {
    const rows = await q.query<R>(
      `select t.filing_id, o.name as filer, f.received_at, t.row_number, t.leaf_index, t.serial, t.product_name,
        t.eccn, t.item_status,
         p.name as owner, p.address as owner_address, p.country as owner_country, p.phone as owner_phone,
         lp.name as operator, l.address, l.country, l.phone, l.lat, l.lon, t.begin_date::text as b,
           t.expected_complete_date::text as e, t.purchase_order,
         t.ownership_change, t.location_change, t.foreign_involved,
         coalesce((select string_agg(g.kind, ' ' order by g.kind) from registry_flags g
           where g.filing_id = t.filing_id and g.row_number = t.row_number), '') as flags
       from registry_transfers t join registry_filings f on f.id = t.filing_id
         join organisations o on o.id = f.organisation_id
         join registry_parties p on p.id = t.to_owner_id
         left join registry_locations l on l.id = t.to_location_id
           left join registry_parties lp on lp.id = l.operator_party_id
       where ($1::bigint is null or f.organisation_id = $1) and ($2::date is null or f.received_at >= $2::date)
         and ($3::date is null or f.received_at < $3::date + 1) and (t.filing_id, t.row_number) > ($4, $5)
       order by t.filing_id, t.row_number limit $6`,
      [scope ?? null, period.from ?? null, period.to ?? null, after[0], after[1], pageSize],
    );
    if (!rows.length) return;
    const last = rows[rows.length - 1];
    after = [Number(last.filing_id), Number(last.row_number)];
    // A filed value is never run as a formula by the spreadsheet that opens the export (src/tabular/safe-cell.ts).
    yield stringify(safeRecords(rows.map(exportRecord)));
    if (rows.length < pageSize) return;
  }
}

function exportRecord(r: R): string[] {
  return [
    r.filing_id,
    r.filer,
    iso(r.received_at),
    r.row_number,
    r.leaf_index,
    r.serial,
    r.product_name,
    r.eccn,
    r.item_status,
    r.owner,
    r.owner_address,
    r.owner_country ?? '',
    r.owner_phone,
    r.operator ?? '',
    r.address ?? '',
    r.country ?? '',
    r.phone ?? '',
    r.lat ?? '',
    r.lon ?? '',
    r.b,
    r.e,
    r.purchase_order ?? '',
    r.ownership_change,
    r.location_change,
    r.foreign_involved,
    r.flags,
  ].map((v) => (v === null || v === undefined ? '' : String(v)));
}
