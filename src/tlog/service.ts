// What the HTTP routes and the CLI share: the log's current checkpoint (signing a fresh one when the
// tree has grown and a signer is at hand) and proofs bundled with the checkpoint they verify against.
import type { Queryable } from '../db/index.js';
import { NotFoundError } from '../errors.js';
import { createCheckpoint, latestCheckpoint, type StoredCheckpoint } from './checkpoints.js';
import { getLogSigner, type LogSigner } from './logkey.js';
import { loadKeyEncryptionKey, type KekSource } from './kek.js';
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

/**
 * The log's signer from a key-encryption-key source, loaded on first use and kept; a failure (missing
 * or wrong key) is not kept, so the next call retries after the operator fixed the key.
 */
export function signerFrom(db: Queryable, source: KekSource, origin?: string): SignerSource {
  let signer: Promise<LogSigner> | null = null;
  return () => {
    signer ??= (async () => getLogSigner(db, { kek: loadKeyEncryptionKey(source), origin }))().catch((e) => {
      signer = null;
      throw e;
    });
    return signer;
  };
}
