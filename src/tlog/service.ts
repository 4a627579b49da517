// What the HTTP routes and the CLI share: the log's current checkpoint (signing a fresh one when the
// tree has grown and a signer is at hand) and proofs bundled with the checkpoint they verify against.
import type { Queryable } from '../db/index.js';
import { NotFoundError } from '../errors.js';
import { createCheckpoint, latestCheckpoint, type StoredCheckpoint } from './checkpoints.js';
import type { LogSigner } from './logkey.js';
import { treeSize } from './store.js';

export type SignerSource = () => Promise<LogSigner>;

/**
 * The latest checkpoint; when the log has grown since and `signer` is available, a new one is signed
 * first, so readers never wait for a batch job. Without a signer the stored latest is returned.
 */
export async function currentCheckpoint(db: Queryable, now: Date, signer?: SignerSource): Promise<StoredCheckpoint> {
  const latest = await latestCheckpoint(db);
  if (signer && (!latest || latest.treeSize < (await treeSize(db)))) {
    try {
      return await createCheckpoint(db, await signer(), now);
    } catch (e) {
      // A signing problem (missing or wrong key-encryption key) must not hide the signed history.
      if (!latest) throw e;
    }
  }
  if (!latest) throw new NotFoundError('the log has no checkpoint yet (chipwatch log checkpoint)');
  return latest;
}
