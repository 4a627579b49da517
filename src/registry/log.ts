// The registry's link to the transparency log (src/tlog): leaves are appended inside the filing's
// transaction, so a filing and its log entries commit or roll back together; items' inclusion proofs
// are served against the latest signed checkpoint that covers them.
import type { Queryable } from '../db/index.js';
import { NotFoundError } from '../errors.js';
import type { LogAppender } from './import.js';

// Loaded lazily: the CLI's other commands need not pay for the tlog's start-up.
const tlog = () => import('../tlog/index.js');

export function tlogAppender(): LogAppender {
  return {
    appendEntries: async (tx, entries, opts) => (await tlog()).appendEntries(tx, entries, opts),
    leafHashes: async (entries) => (await tlog()).leafHashes(entries),
  };
}

export interface ItemProof {
  row: number;
  serial: string;
  leafIndex: number;
  entry: string;
  leafHash: string;
  proof: string[];
}
export interface FilingProofs {
  treeSize: number;
  rootHash: string;
  checkpoint: string | null;
  items: ItemProof[];
}

/**
 * Inclusion proofs (RFC 9162 §2.1.3) of a filing's items. Against the latest checkpoint when it covers
 * the filing (then `checkpoint` is its signed note); otherwise against the current tree, unsigned.
 */
export async function filingProofs(
  q: Queryable,
  filingId: number,
  page: { limit: number; offset: number },
): Promise<FilingProofs> {
  const t = await tlog();
  const [f] = await q.query<{ tree_size: number }>('select tree_size from registry_filings where id = $1', [filingId]);
  if (!f) throw new NotFoundError(`no filing ${filingId}`, { field: 'id' });
  const cp = await t.latestCheckpoint(q);
  const covered = cp !== null && cp.treeSize >= Number(f.tree_size);
  const size = covered ? cp.treeSize : await t.treeSize(q);
  const root = covered ? cp.rootHash : await t.rootAt(q, size);
  const rows = await q.query<{ row_number: number; serial: string; leaf_index: number }>(
    `select row_number, serial, leaf_index from registry_transfers where filing_id = $1
     order by row_number limit $2 offset $3`,
    [filingId, page.limit, page.offset],
  );
  const items: ItemProof[] = [];
  for (const r of rows) {
    const index = Number(r.leaf_index);
    const [e] = await t.getEntries(q, index, index + 1);
    const proof = await t.inclusionProof(q, index, size);
    items.push({
      row: Number(r.row_number),
      serial: r.serial,
      leafIndex: index,
      entry: Buffer.from(e.entry).toString('utf8'),
      leafHash: t.toBase64(e.leafHash),
      proof: proof.map(t.toBase64),
    });
  }
  return { treeSize: size, rootHash: t.toBase64(root), checkpoint: covered ? cp.note : null, items };
}
