// Offline proof bundles: a published checkpoint (the log's signature and the witnesses' cosignatures)
// and the RFC 9162 inclusion proof of each item, in one JSON document anyone can check with the log's
// verifier key and the witnesses' keys, without network or database. This file is the pure verifier.
import { z } from 'zod';
import { UserError } from '../../errors.js';
import { bytesEqual, leafHash, toBase64 } from '../hash.js';
import { verifyCheckpoint, type VerifiedCheckpoint } from '../checkpoint.js';
import { verifyInclusion } from '../verify.js';
import { parseCosignerVkey, verifyCosignatures, type VerifiedCosignature } from '../witness/cosignature.js';

export const BUNDLE_FORMAT = 'chipwatch-proof-bundle/v1';

export interface BundleItem {
  index: number;
  /** base64 of the entry bytes (the leaf data). */
  entry: string;
  /** base64 SHA-256(0x00 || entry). */
  leafHash: string;
  /** base64 hashes of the inclusion proof, leaf upwards. */
  proof: string[];
}

export interface ProofBundle {
  format: typeof BUNDLE_FORMAT;
  origin: string;
  treeSize: number;
  rootHash: string;
  /** The published checkpoint note: the log's signature and any witness cosignatures. */
  checkpoint: string;
  cosigners: string[];
  items: BundleItem[];
}

/** A bundle that does not verify; the message names the item, witness or field that failed. */
export class BundleError extends UserError {
  override readonly status = 422;
  override readonly code = 'invalid-proof-bundle';
}

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
const hash = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'base64 of a 32-byte hash');
const bundleSchema = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    origin: z.string(),
    treeSize: z.number().int().min(0),
    rootHash: hash,
    checkpoint: z.string().max(1 << 20),
    cosigners: z.array(z.string()),
    items: z.array(
      z.object({ index: z.number().int().min(0), entry: b64, leafHash: hash, proof: z.array(hash).max(64) }),
    ),
  })
  .passthrough();

export interface BundleTrust {
  /** The log's verifier key. */
  vkey: string;
  /** Witness (cosigner) verifier keys. */
  witnessVkeys?: readonly string[];
  /** Valid cosignatures needed (default: every witness key given). */
  quorum?: number;
}

export interface BundleVerdict {
  origin: string;
  treeSize: number;
  rootHash: string;
  items: number;
  cosignedBy: { name: string; time: string }[];
}

/** Verifies a parsed bundle (untrusted JSON); throws BundleError naming the first failure. */
export function verifyProofBundle(input: unknown, trust: BundleTrust): BundleVerdict {
  const parsed = bundleSchema.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new BundleError(`not a proof bundle: ${i.path.join('.') || 'document'}: ${i.message}`);
  }
  const b = parsed.data;
  let cp: VerifiedCheckpoint;
  try {
    cp = verifyCheckpoint(b.checkpoint, trust.vkey);
  } catch (e) {
    throw new BundleError(`the checkpoint's log signature does not verify: ${(e as Error).message}`);
  }
  if (cp.size !== b.treeSize || toBase64(cp.rootHash) !== b.rootHash)
    throw new BundleError('treeSize or rootHash differ from the signed checkpoint');
  const keys = (trust.witnessVkeys ?? []).map((k, i) => parseCosignerVkey(k, `witness key ${i + 1}`));
  const quorum = trust.quorum ?? keys.length;
  if (quorum > keys.length)
    throw new BundleError(`a quorum of ${quorum} needs at least ${quorum} witness keys (--witness-vkey)`);
  let cosigs: VerifiedCosignature[];
  try {
    cosigs = verifyCosignatures(b.checkpoint, keys);
  } catch (e) {
    throw new BundleError((e as Error).message);
  }
  if (cosigs.length < quorum) {
    const missing = keys.filter((k) => !cosigs.some((c) => c.name === k.name)).map((k) => k.name);
    throw new BundleError(
      `the checkpoint has ${cosigs.length} valid cosignature(s), the quorum is ${quorum}: ` +
        `none by ${missing.join(', ')}`,
    );
  }
  b.items.forEach((it, n) => {
    const what = `item ${n + 1} (leaf ${it.index})`;
    const entry = new Uint8Array(Buffer.from(it.entry, 'base64'));
    const lh = new Uint8Array(Buffer.from(it.leafHash, 'base64'));
    if (!bytesEqual(leafHash(entry), lh)) throw new BundleError(`${what}: the entry does not hash to its leaf hash`);
    try {
      verifyInclusion(
        it.index,
        cp.size,
        lh,
        it.proof.map((p) => new Uint8Array(Buffer.from(p, 'base64'))),
        cp.rootHash,
      );
    } catch (e) {
      throw new BundleError(
        `${what}: the inclusion proof does not lead to the checkpoint's root: ${(e as Error).message}`,
      );
    }
  });
  return {
    origin: cp.origin,
    treeSize: cp.size,
    rootHash: b.rootHash,
    items: b.items.length,
    cosignedBy: cosigs.map((c) => ({ name: c.name, time: new Date(c.timestamp * 1000).toISOString() })),
  };
}
