// The canonical encoding of one accepted item as a transparency-log leaf, and the content hash that
// makes a filing idempotent. Canonical JSON = RFC 8785 (JCS) for our value types: object keys sorted
// by code unit, no whitespace, strings and numbers as ECMAScript JSON.stringify writes them.
import { createHash, hash } from 'node:crypto';
import { eachWithTurns, nextTurn } from '../db/turn.js';
import { DigestSpool } from './digest-spool.js';
import type { FiledItem } from './validate.js';
import { TEMPLATE_COLUMNS } from './template.js';

/** Leaves of filings before migration 080 (the item as an object with its column names). */
export const LEAF_TYPE_V1 = 'chipwatch.registry.item/v1';
/** Leaves written now: the item's columns as an array in template order (leafValue). */
export const LEAF_TYPE = 'chipwatch.registry.item/v2';

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

export function canonicalJson(v: Json): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return '[' + v.map(canonicalJson).join(',') + ']';
  const keys = Object.keys(v).sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(v[k])).join(',') + '}';
}

/** The item's template columns as filed (after normalisation); empty optional cells are null. */
export function itemColumns(it: FiledItem): Record<string, Json> {
  const o: Record<string, Json> = {};
  for (const [k, get] of ITEM_KEYS) o[k] = get(it);
  // Owner-parent groups only where the row names one: an item without them encodes as before.
  for (const p of it.parents ?? []) {
    o[`owner_parent_${p.n}_country`] = p.country;
    o[`owner_parent_${p.n}_name`] = p.name;
    o[`owner_parent_${p.n}_share`] = p.share ?? null;
  }
  return o;
}

const GETTERS: Record<string, (it: FiledItem) => Json> = {
  serial_number: (it) => it.serial,
  product_name: (it) => it.product,
  eccn: (it) => it.eccn,
  item_status: (it) => it.status,
  new_owner_name: (it) => it.owner?.name ?? null,
  new_owner_address: (it) => it.owner?.address ?? null,
  new_owner_country: (it) => it.owner?.country ?? null,
  new_owner_phone: (it) => it.owner?.phone ?? null,
  location_operator_name: (it) => it.location?.operator ?? null,
  location_address: (it) => it.location?.address ?? null,
  location_country: (it) => it.location?.country ?? null,
  location_phone: (it) => it.location?.phone ?? null,
  location_lat: (it) => it.location?.lat ?? null,
  location_lon: (it) => it.location?.lon ?? null,
  transaction_begin_date: (it) => it.begin,
  transaction_complete_date: (it) => it.complete,
  purchase_order: (it) => it.purchaseOrder,
};
const ITEM_KEYS: Array<[string, (it: FiledItem) => Json]> = Object.keys(GETTERS)
  .sort()
  .map((k) => [k, GETTERS[k]]);

/** JSON string literal; the common case (no quote, backslash, control or surrogate) skips the escaper. */
function str(v: string): string {
  return /["\\\u0000-\u001f\ud800-\udfff]/.test(v) ? JSON.stringify(v) : `"${v}"`;
}
const opt = (v: string | null | undefined): string => (v == null ? 'null' : str(v));
const num = (v: number | null | undefined): string => (v == null ? 'null' : JSON.stringify(v));

/**
 * Canonical JSON of the item's columns, written in one template with the keys already in sorted order
 * (a test checks it equals canonicalJson(itemColumns(it))): this runs for every one of 100,000 items.
 */
export function itemJson(it: FiledItem): string {
  const o = it.owner;
  const l = it.location;
  return (
    `{"eccn":${str(it.eccn)},"item_status":${str(it.status)},` +
    `"location_address":${opt(l?.address)},"location_country":${opt(l?.country)},` +
    `"location_lat":${num(l?.lat)},"location_lon":${num(l?.lon)},` +
    `"location_operator_name":${opt(l?.operator)},"location_phone":${opt(l?.phone)},` +
    `"new_owner_address":${opt(o?.address)},"new_owner_country":${opt(o?.country)},` +
    `"new_owner_name":${opt(o?.name)},"new_owner_phone":${opt(o?.phone)},` +
    (it.parents ? parentsJson(it.parents) : '') +
    `"product_name":${str(it.product)},"purchase_order":${opt(it.purchaseOrder)},` +
    `"serial_number":${str(it.serial)},"transaction_begin_date":${str(it.begin)},` +
    `"transaction_complete_date":${str(it.complete)}}`
  );
}

/** The owner-parent groups' keys (sorted: group by group, country < name < share), each ending in a comma. */
function parentsJson(parents: NonNullable<FiledItem['parents']>): string {
  let s = '';
  for (const p of [...parents].sort((a, b) => a.n - b.n)) {
    const k = `"owner_parent_${p.n}_`;
    s += `${k}country":${opt(p.country)},${k}name":${str(p.name)},${k}share":${num(p.share)},`;
  }
  return s;
}

/**
 * The item as a leaf holds it: its 17 template columns as one array in template order (the keys of
 * itemColumns, written once per item, were 45% of a leaf), and its owner groups as [N, name, country,
 * share] arrays. Values are those of itemColumns.
 */
export function leafValue(filingId: number, filer: string, it: FiledItem): Record<string, Json> {
  const v: Record<string, Json> = {
    filer,
    filing_id: filingId,
    item: TEMPLATE_COLUMNS.map((c) => GETTERS[c](it)),
    row: it.row,
    type: LEAF_TYPE,
  };
  if (it.parents?.length)
    v.owners = [...it.parents].sort((a, b) => a.n - b.n).map((p) => [p.n, p.name, p.country, p.share ?? null]);
  return v;
}

/**
 * The owner's and the location's columns of a leaf, kept per object: a streamed batch's items share them
 * (batch-wire.ts), so a filing's few parties are written once rather than once per item.
 */
const partyColumns = new WeakMap<object, string>();
function cached(o: object, columns: () => string): string {
  let s = partyColumns.get(o);
  if (s === undefined) {
    s = columns();
    partyColumns.set(o, s);
  }
  return s;
}
function ownerColumns(o: FiledItem['owner']): string {
  if (!o) return 'null,null,null,null';
  return cached(o, () => `${str(o.name)},${str(o.address)},${str(o.country)},${str(o.phone)}`);
}
function locationColumns(l: FiledItem['location']): string {
  if (!l) return 'null,null,null,null,null,null';
  return cached(
    l,
    () => `${str(l.operator)},${str(l.address)},${str(l.country)},${str(l.phone)},${num(l.lat)},${num(l.lon)}`,
  );
}

/** canonicalJson(leafValue(...).item) and its owners, written in one template (a test checks it). */
function leafItemJson(it: FiledItem): string {
  const item =
    `[${str(it.serial)},${str(it.product)},${str(it.eccn)},${str(it.status)},` +
    `${ownerColumns(it.owner)},${locationColumns(it.location)},` +
    `${str(it.begin)},${str(it.complete)},${opt(it.purchaseOrder)}]`;
  if (!it.parents?.length) return item;
  const groups = [...it.parents].sort((a, b) => a.n - b.n);
  const owners = groups.map((p) => `[${p.n},${str(p.name)},${opt(p.country)},${num(p.share)}]`);
  return `${item},"owners":[${owners.join(',')}]`;
}

/**
 * Leaf bytes: UTF-8 canonical JSON {"filer","filing_id","item":[columns],"owners"?,"row","type"} (keys sorted),
 * = canonicalJson(leafValue(filingId, filer, it)).
 */
export function encodeLeaf(filingId: number, filer: string, it: FiledItem): Uint8Array {
  return Buffer.from(leafText(filingId, JSON.stringify(filer), it), 'utf8');
}

function leafText(filingId: number, filerJson: string, it: FiledItem): string {
  const item = leafItemJson(it);
  return `{"filer":${filerJson},"filing_id":${filingId},"item":${item},"row":${it.row},"type":${LEAF_TYPE_JSON}}`;
}
const LEAF_TYPE_JSON = JSON.stringify(LEAF_TYPE);

/**
 * encodeLeaf for every item, with a turn of the event loop between slices: each slice is encoded as one
 * buffer and its leaves are views into it (200,000 small buffers would cost the main thread far more).
 */
export async function encodeLeaves(
  filingId: number,
  filer: string,
  items: readonly FiledItem[],
  slice = 500,
): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  const filerJson = JSON.stringify(filer);
  for (let start = 0; start < items.length; start += slice) {
    if (start > 0) await nextTurn();
    const texts: string[] = [];
    const end = Math.min(start + slice, items.length);
    for (let i = start; i < end; i++) texts.push(leafText(filingId, filerJson, items[i]));
    const joined = texts.join('');
    const bytes = Buffer.from(joined, 'utf8');
    // All ASCII (the common case) when the bytes are as many as the characters: then no leaf needs measuring.
    const ascii = bytes.length === joined.length;
    let at = 0;
    for (const t of texts) {
      const n = ascii ? t.length : Buffer.byteLength(t, 'utf8');
      out.push(bytes.subarray(at, at + n));
      at += n;
    }
  }
  return out;
}

/**
 * A filing's content hash, built item by item as a streamed filing is read: SHA-256 over the items'
 * SHA-256(canonical item JSON) digests in byte order. Row numbers and row order do not count, so the same
 * items filed again in any order hash the same. The digests wait in a DigestSpool (spilled to disk beyond
 * 65,536 items); dispose() removes what it spilled.
 */
export class ContentHasher {
  private readonly digests: DigestSpool;

  constructor(spillAt?: number) {
    this.digests = new DigestSpool(spillAt);
  }

  add(json: string): void {
    this.digests.add(hash('sha256', json, 'buffer')); // one-shot: a third faster than createHash per item
  }

  async digest(): Promise<Buffer> {
    const h = createHash('sha256');
    for await (const sorted of this.digests.sorted()) h.update(sorted);
    return h.digest();
  }

  dispose(): void {
    this.digests.dispose();
  }
}

/** The content hash of a filing's items (ContentHasher over all of them); `json` is itemJson of each. */
export async function contentHash(items: readonly FiledItem[], json: readonly string[]): Promise<Buffer> {
  if (items.length !== json.length) throw new Error('one JSON text per item');
  const h = new ContentHasher();
  try {
    await eachWithTurns(json, (j) => h.add(j)); // a hash per item: 20,000 at once held the thread ~100 ms
    return await h.digest();
  } finally {
    h.dispose();
  }
}
