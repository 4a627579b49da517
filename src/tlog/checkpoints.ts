// Signed checkpoints of the stored log: sign the current tree head, keep every checkpoint (auditors
// replay them in order), and serve the latest.
import type { Queryable } from '../db/index.js';
import { NotFoundError } from '../errors.js';
import { signCheckpoint } from './checkpoint.js';
import type { LogSigner } from './logkey.js';
import { rootAt, toBytes, treeSize } from './store.js';

export interface StoredCheckpoint {
  treeSize: number;
  rootHash: Uint8Array;
  /** The C2SP signed note. */
  note: string;
  createdAt: Date;
}

type Row = {
  tree_size: number;
  root_hash: Uint8Array;
  note: string;
  created_at: Date | string;
};

const fromRow = (r: Row): StoredCheckpoint => ({
  treeSize: Number(r.tree_size),
  rootHash: toBytes(r.root_hash),
  note: r.note,
  createdAt: new Date(r.created_at),
});

/**
 * Signs the committed tree head and stores it. A checkpoint for the same size already stored is
 * returned as is (Ed25519 is deterministic, so it is the same note anyway).
 */
export async function createCheckpoint(db: Queryable, signer: LogSigner, now: Date): Promise<StoredCheckpoint> {
  // Committed leaves and their nodes never change, so reading the size first and then the nodes for
  // that size is consistent even while another transaction appends.
  const size = await treeSize(db);
  const root = await rootAt(db, size);
  const note = signCheckpoint({ origin: signer.origin, size, rootHash: root, extensions: [] }, signer);
  await db.query(
    `insert into tlog_checkpoints (tree_size, root_hash, note, created_at) values ($1, $2, $3, $4)
      on conflict (tree_size) do nothing`,
    [size, Buffer.from(root), note, now],
  );
  const [row] = await db.query<Row>(
    'select tree_size, root_hash, note, created_at from tlog_checkpoints where tree_size = $1',
    [size],
  );
  return fromRow(row);
}

export async function latestCheckpoint(db: Queryable): Promise<StoredCheckpoint | null> {
  const [row] = await db.query<Row>(
    'select tree_size, root_hash, note, created_at from tlog_checkpoints order by tree_size desc limit 1',
  );
  return row ? fromRow(row) : null;
}

export async function requireLatestCheckpoint(db: Queryable): Promise<StoredCheckpoint> {
  const cp = await latestCheckpoint(db);
  if (!cp) throw new NotFoundError('the log has no checkpoint yet');
  return cp;
}

/** Checkpoints with tree size > `after`, ascending, at most `limit`. */
export async function listCheckpoints(db: Queryable, after = -1, limit = 1000): Promise<StoredCheckpoint[]> {
  const rows = await db.query<Row>(
    `select tree_size, root_hash, note, created_at from tlog_checkpoints where tree_size > $1 order by tree_size
      limit $2`,
    [after, limit],
  );
  return rows.map(fromRow);
}
