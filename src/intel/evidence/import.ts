// `intel import FILE --kind case|listing|sighting` and POST /api/intel/evidence: a file's bytes to stored items,
// all or nothing. Every problem (row, column) is found before the database is touched; the items and the alerts
// their serials raise are written in one transaction.
import type { Db, Queryable } from '../../db/index.js';
import { raiseForEvidence, type SeenItem } from '../sightings/raise.js';
import { itemsFromRecords } from './items.js';
import type { Category, StoredEvidence } from './model.js';
import { EvidenceRejectedError } from './problems.js';
import { readRecords, type FileFormat } from './records.js';
import { getEvidenceItems, insertEvidence, type NewEvidence } from './store.js';

export interface ImportOutcome {
  category: Category;
  /** Ids stored now, and ids that were already stored with the same content. */
  inserted: string[];
  unchanged: string[];
  /** Alerts raised now by the serials the items saw. */
  alerts: string[];
}

/** The items of a file, or EvidenceRejectedError with every problem found (nothing is stored either way). */
export function parseEvidenceFile(
  bytes: Uint8Array,
  name: string,
  category: Category,
  format?: FileFormat,
): NewEvidence[] {
  const read = readRecords(bytes, name, format);
  const items = read.problems.empty ? itemsFromRecords(category, read.columns, read.records, read.problems) : [];
  if (read.problems.empty && read.records.length === 0) read.problems.add(0, '', 'the file has no items');
  if (!read.problems.empty) throw new EvidenceRejectedError(read.problems);
  return items;
}

/** What the alert rules need of a stored item. */
export function seenItem(e: StoredEvidence): SeenItem {
  const seller = e.entities.find((x) => x.role === 'seller');
  return {
    id: e.id,
    kind: e.kind,
    serials: e.serials,
    country: e.country ?? (e.route.to.length === 1 ? e.route.to[0] : null),
    place: e.place,
    date: e.date,
    seller: seller ? { entityId: seller.entityId, name: seller.name } : null,
  };
}

/** Stores the items in `tx` and raises the alerts their serials call for. */
export async function storeEvidence(tx: Queryable, items: readonly NewEvidence[], now: Date): Promise<ImportOutcome> {
  const res = await insertEvidence(tx, items, now);
  const withSerials = items.filter((n) => n.item.serials.length > 0).map((n) => n.item.id);
  const alerts = await raiseForEvidence(tx, (await getEvidenceItems(tx, withSerials)).map(seenItem), now);
  return { category: items[0]?.item.category ?? 'case', ...res, alerts };
}

export async function importEvidenceFile(
  db: Db,
  bytes: Uint8Array,
  name: string,
  category: Category,
  now: Date,
  format?: FileFormat,
): Promise<ImportOutcome> {
  const items = parseEvidenceFile(bytes, name, category, format);
  const out = await db.transaction((tx) => storeEvidence(tx, items, now));
  return { ...out, category };
}
