// The canonical encoding of one accepted item as a transparency-log leaf, and the content hash that
// makes a filing idempotent. Canonical JSON = RFC 8785 (JCS) for our value types: object keys sorted
// by code unit, no whitespace, strings and numbers as ECMAScript JSON.stringify writes them.
import { createHash } from 'node:crypto';
import type { FiledItem } from './validate.js';

export const LEAF_TYPE = 'chipwatch.registry.item/v1';

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

export function canonicalJson(v: Json): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return '[' + v.map(canonicalJson).join(',') + ']';
  const keys = Object.keys(v).sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(v[k])).join(',') + '}';
}

/** The item's template columns as filed (after normalisation); empty optional cells are null. */
export function itemColumns(it: FiledItem): Record<string, Json> {
  return {
    serial_number: it.serial,
    product_name: it.product,
    eccn: it.eccn,
    item_status: it.status,
    new_owner_name: it.owner?.name ?? null,
    new_owner_address: it.owner?.address ?? null,
    new_owner_country: it.owner?.country ?? null,
    new_owner_phone: it.owner?.phone ?? null,
    location_operator_name: it.location?.operator ?? null,
    location_address: it.location?.address ?? null,
    location_country: it.location?.country ?? null,
    location_phone: it.location?.phone ?? null,
    location_lat: it.location?.lat ?? null,
    location_lon: it.location?.lon ?? null,
    transaction_begin_date: it.begin,
    transaction_complete_date: it.complete,
    purchase_order: it.purchaseOrder,
  };
}

/** Leaf bytes: UTF-8 canonical JSON of the item plus its filing id, filer name and row. */
export function encodeLeaf(filingId: number, filer: string, it: FiledItem): Uint8Array {
  return Buffer.from(canonicalJson({ type: LEAF_TYPE, filing_id: filingId, filer, row: it.row, ...itemColumns(it) }), 'utf8');
}

/** SHA-256 of the items in serial order without row numbers: the same content is the same filing. */
export function contentHash(items: readonly FiledItem[]): Buffer {
  const h = createHash('sha256');
  const sorted = [...items].sort((a, b) => (a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0));
  for (const it of sorted) h.update(canonicalJson(itemColumns(it)) + '\n');
  return h.digest();
}
