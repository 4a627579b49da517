// `chipwatch log prove`: fetch a proof with the checkpoint it refers to, verify both, return them.
// Nothing is printed as proven unless the checkpoint signature and the Merkle proof verify.
import type { Queryable } from '../db/index.js';
import { NotFoundError } from '../errors.js';
import { leafHash, toBase64 } from './hash.js';
import { verifyCheckpoint } from './checkpoint.js';
import { verifyConsistency, verifyInclusion } from './verify.js';
import { ProofError } from './errors.js';
import type { LogSigner } from './logkey.js';
import { logVerifierKey } from './logkey.js';
import { currentCheckpoint } from './service.js';
import { consistencyProof, getEntries, inclusionProof, indexOfLeaf, rootAt } from './store.js';
import type { RemoteLog } from './client.js';

export interface ProveRequest {
  index?: number;
  leafHash?: string;
  from?: number;
}

export type ProveResult =
  | { kind: 'inclusion'; index: number; treeSize: number; leafHash: string; proof: string[]; checkpoint: string }
  | { kind: 'consistency'; from: number; fromRoot: string; treeSize: number; proof: string[]; checkpoint: string };

type VkeySource = (fetchIt: () => Promise<string>) => Promise<string>;
const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

async function local(
  db: Queryable,
  req: ProveRequest,
  signer: LogSigner | undefined,
  vkeyOf: VkeySource,
): Promise<ProveResult> {
  const cp = await currentCheckpoint(db, new Date(), signer ? async () => signer : undefined);
  const vkey = await vkeyOf(async () => (await logVerifierKey(db)).vkey);
  const signed = verifyCheckpoint(cp.note, vkey);
  if (req.from !== undefined) {
    const proof = await consistencyProof(db, req.from, signed.size);
    const fromRoot = await rootAt(db, req.from);
    verifyConsistency(req.from, signed.size, proof, fromRoot, signed.rootHash);
    return {
      kind: 'consistency',
      from: req.from,
      fromRoot: toBase64(fromRoot),
      treeSize: signed.size,
      proof: proof.map(toBase64),
      checkpoint: cp.note,
    };
  }
  const index = req.index ?? (await indexOfLeaf(db, b64(req.leafHash!)));
  if (index >= signed.size)
    throw new ProofError(`leaf ${index} is not yet covered by a checkpoint (size ${signed.size})`, { field: 'index' });
  const [entry] = await getEntries(db, index, index + 1);
  if (!entry) throw new NotFoundError(`log entry ${index} is missing from storage`);
  // The leaf hash is recomputed from the entry bytes, not taken from the stored column.
  const h = leafHash(entry.entry);
  const proof = await inclusionProof(db, index, signed.size);
  verifyInclusion(index, signed.size, h, proof, signed.rootHash);
  return {
    kind: 'inclusion',
    index,
    treeSize: signed.size,
    leafHash: toBase64(h),
    proof: proof.map(toBase64),
    checkpoint: cp.note,
  };
}

async function remote(r: RemoteLog, req: ProveRequest, vkeyOf: VkeySource): Promise<ProveResult> {
  const vkey = await vkeyOf(async () => (await r.vkey()).vkey);
  if (req.from !== undefined) {
    const res = await r.consistency(req.from);
    const signed = verifyCheckpoint(res.checkpoint ?? '', vkey);
    if (signed.size !== res.to) throw new ProofError('the server proved a different tree size than its checkpoint');
    // The old root comes from the server's checkpoint list: it must itself be signed.
    const old = (await r.checkpoints(req.from - 1)).checkpoints.find((c) => c.treeSize === req.from);
    if (!old) throw new NotFoundError(`the server has no checkpoint of size ${req.from}`);
    const oldSigned = verifyCheckpoint(old.note, vkey);
    const proof = res.proof.map(b64);
    verifyConsistency(req.from, signed.size, proof, oldSigned.rootHash, signed.rootHash);
    return {
      kind: 'consistency',
      from: req.from,
      fromRoot: toBase64(oldSigned.rootHash),
      treeSize: signed.size,
      proof: res.proof,
      checkpoint: signed.note,
    };
  }
  const res = await r.inclusion({ index: req.index, leafHash: req.leafHash });
  const signed = verifyCheckpoint(res.checkpoint ?? '', vkey);
  if (signed.size !== res.treeSize)
    throw new ProofError('the server proved against a different tree size than its checkpoint');
  const [entry] = (await r.entries(res.index, res.index + 1)).entries;
  if (!entry || entry.index !== res.index) throw new NotFoundError(`the server did not return entry ${res.index}`);
  const h = leafHash(b64(entry.entry));
  if (req.leafHash !== undefined && toBase64(h) !== toBase64(b64(req.leafHash)))
    throw new ProofError('the server returned an entry with another leaf hash');
  verifyInclusion(res.index, res.treeSize, h, res.proof.map(b64), signed.rootHash);
  return {
    kind: 'inclusion',
    index: res.index,
    treeSize: res.treeSize,
    leafHash: toBase64(h),
    proof: res.proof,
    checkpoint: signed.note,
  };
}

export const prove = { local, remote };
