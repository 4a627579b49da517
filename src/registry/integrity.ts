// Checks that the registry's tables agree with each other and with the transparency log: every
// reference resolves, every filing has exactly its items, and every item's leaf is in the log with the
// content it was filed with (and no registry leaf is in the log without its item). Used after crashes
// (the durability test) and by `chipwatch registry check`.
import type { Queryable } from '../db/index.js';
import { getEntries, treeSize } from '../tlog/index.js';
import { LEAF_TYPE, LEAF_TYPE_V1 } from './leaf.js';

export interface IntegrityReport {
  ok: boolean;
  filings: number;
  items: number;
  logSize: number;
  problems: string[];
}

const ORPHANS: Array<[string, string]> = [
  [
    'transfer without its chip',
    `select count(*)::int as n from registry_transfers t left join registry_chips c on c.serial = t.serial
      where c.serial is null`,
  ],
  [
    'transfer without its filing',
    `select count(*)::int as n from registry_transfers t left join registry_filings f on f.id = t.filing_id
      where f.id is null`,
  ],
  [
    'transfer naming a missing party',
    `select count(*)::int as n from registry_transfers t where not exists (select 1 from registry_parties p
      where p.id = t.from_owner_id) or not exists (select 1 from registry_parties p where p.id = t.to_owner_id)`,
  ],
  [
    'transfer naming a missing location',
    `select count(*)::int as n from registry_transfers t
      where (t.from_location_id is not null
          and not exists (select 1 from registry_locations l where l.id = t.from_location_id))
        or (t.to_location_id is not null
          and not exists (select 1 from registry_locations l where l.id = t.to_location_id))`,
  ],
  [
    'chip without a transfer',
    `select count(*)::int as n from registry_chips c where not exists (select 1 from registry_transfers t
      where t.serial = c.serial)`,
  ],
  [
    'chip naming a missing owner, location or filing',
    `select count(*)::int as n from registry_chips c
      where (c.current_owner_id is not null
          and not exists (select 1 from registry_parties p where p.id = c.current_owner_id))
        or (c.current_location_id is not null
          and not exists (select 1 from registry_locations l where l.id = c.current_location_id))
        or not exists (select 1 from registry_filings f where f.id = c.first_filing_id)`,
  ],
  [
    'flag without its item',
    `select count(*)::int as n from registry_flags g where not exists (select 1 from registry_transfers t
      where t.filing_id = g.filing_id and t.row_number = g.row_number and t.serial = g.serial)`,
  ],
  [
    'filing whose items or leaf range do not match it',
    `select count(*)::int as n from registry_filings f
      left join (select filing_id, count(*) as k, min(leaf_index) as lo, max(leaf_index) as hi from registry_transfers
      group by filing_id) t on t.filing_id = f.id
     where coalesce(t.k, 0) <> f.item_count or t.lo <> f.first_leaf_index
       or t.hi <> f.first_leaf_index + f.item_count - 1 or f.tree_size < f.first_leaf_index + f.item_count`,
  ],
];

const PAGE = 10_000;

export async function registryIntegrity(q: Queryable): Promise<IntegrityReport> {
  const problems: string[] = [];
  for (const [what, sql] of ORPHANS) {
    const [{ n }] = await q.query<{ n: number }>(sql);
    if (Number(n) > 0) problems.push(`${n} ${what}`);
  }
  const [{ filings, items }] = await q.query<{ filings: number; items: number }>(
    `select (select count(*) from registry_filings)::int as filings,
        (select count(*) from registry_transfers)::int as items`,
  );
  const logSize = await treeSize(q);
  // Walk the log and the items in leaf order side by side, a page at a time.
  let mismatched = 0;
  let missing = 0;
  let extra = 0;
  for (let start = 0; start < logSize; start += PAGE) {
    const end = Math.min(logSize, start + PAGE);
    const entries = await getEntries(q, start, end);
    const rows = await q.query<{ leaf_index: number; filing_id: number; row_number: number; serial: string }>(
      `select leaf_index, filing_id, row_number, serial from registry_transfers where leaf_index >= $1
        and leaf_index < $2`,
      [start, end],
    );
    const byLeaf = new Map(rows.map((r) => [Number(r.leaf_index), r]));
    for (const e of entries) {
      const t = byLeaf.get(e.index);
      let leaf: { type?: string; filing_id?: number; row?: number; item?: unknown } | null = null;
      try {
        leaf = JSON.parse(Buffer.from(e.entry).toString('utf8'));
      } catch {
        leaf = null;
      }
      if (!t) {
        if (leaf?.type === LEAF_TYPE || leaf?.type === LEAF_TYPE_V1) extra++;
        continue;
      }
      byLeaf.delete(e.index);
      if (
        !leaf ||
        leaf.filing_id !== Number(t.filing_id) ||
        leaf.row !== Number(t.row_number) ||
        leafSerial(leaf) !== t.serial
      )
        mismatched++;
    }
    missing += byLeaf.size;
  }
  const [{ beyond }] = await q.query<{ beyond: number }>(
    'select count(*)::int as beyond from registry_transfers where leaf_index >= $1',
    [logSize],
  );
  missing += Number(beyond);
  if (mismatched) problems.push(`${mismatched} item${mismatched === 1 ? '' : 's'} whose log leaf holds other content`);
  if (missing) problems.push(`${missing} item${missing === 1 ? '' : 's'} without a log leaf`);
  if (extra) problems.push(`${extra} registry leaf${extra === 1 ? '' : 'ves'} in the log without an item`);
  return { ok: problems.length === 0, filings: Number(filings), items: Number(items), logSize, problems };
}

/** The serial a registry leaf names: the item's first column (v2), or its serial_number (v1); else undefined. */
function leafSerial(leaf: { type?: string; item?: unknown }): unknown {
  if (leaf.type === LEAF_TYPE) return Array.isArray(leaf.item) ? leaf.item[0] : undefined;
  if (leaf.type === LEAF_TYPE_V1) return (leaf.item as { serial_number?: unknown } | undefined)?.serial_number;
  return undefined;
}
