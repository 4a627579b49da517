// Subtree proofs of draft-ietf-plants-merkle-tree-certs (formerly draft-davidben-tls-merkle-tree-certs,
// §4.3 and appendix B): a subtree [start, end) of a log is valid when start < end and start is a
// multiple of BIT_CEIL(end - start); its hash is MTH(D[start:end]). A subtree consistency proof links
// a subtree's hash to the root of a tree of `size` leaves; a subtree inclusion proof links a leaf to a
// subtree's hash. The empty subtree (start = end) is consistent with any tree when its hash is MTH({}).
import { bytesEqual, EMPTY_ROOT, HASH_SIZE, nodeHash } from './hash.js';
import { bitCeil, half, isIndex, isOdd } from './bits.js';
import { ProofError } from './errors.js';

export function isValidSubtree(start: number, end: number): boolean {
  return isIndex(start) && isIndex(end) && start < end && start % bitCeil(end - start) === 0;
}

function checkProof(proof: readonly Uint8Array[]): void {
  if (!Array.isArray(proof)) throw new ProofError('proof must be an array of hashes', { field: 'proof' });
  proof.forEach((p, i) => {
    if (!(p instanceof Uint8Array) || p.length !== HASH_SIZE)
      throw new ProofError(`proof[${i}] must be a ${HASH_SIZE}-byte hash`, { field: 'proof' });
  });
}

function checkNonEmpty(h: Uint8Array, name: string): void {
  if (!(h instanceof Uint8Array) || h.length === 0) throw new ProofError(`${name} must not be empty`, { field: name });
}

/**
 * Evaluates a subtree consistency proof (MTC draft appendix B): returns the root of the tree of `size`
 * leaves that `proof` and the subtree's hash imply. Throws when the proof's shape is wrong or it does
 * not reproduce `subtreeHash`.
 */
export function rootFromSubtreeConsistencyProof(
  size: number,
  start: number,
  end: number,
  proof: readonly Uint8Array[],
  subtreeHash: Uint8Array,
): Uint8Array {
  if (!isValidSubtree(start, end))
    throw new ProofError(`[${start}, ${end}) is not a valid subtree`, { field: 'start' });
  if (!isIndex(size) || size < end)
    throw new ProofError(`subtree [${start}, ${end}) does not fit in tree size ${size}`, { field: 'size' });
  checkNonEmpty(subtreeHash, 'subtreeHash');
  checkProof(proof);
  // fn, sn, tn: paths to the subtree's first and last leaf and to the tree's last leaf.
  let fn = start;
  let sn = end - 1;
  let tn = size - 1;
  const up = () => {
    fn = half(fn);
    sn = half(sn);
    tn = half(tn);
  };
  // Skip to the lowest level where the subtree's right edge is a node of the full tree.
  if (sn === tn) {
    while (fn !== sn) up();
  } else {
    while (fn !== sn && isOdd(sn)) up();
  }
  let i = 0;
  let fr: Uint8Array;
  let sr: Uint8Array;
  if (fn === sn) {
    // The whole subtree is a node of the full tree: its hash is omitted from the proof.
    fr = subtreeHash;
    sr = subtreeHash;
  } else {
    if (proof.length === 0) throw new ProofError('subtree consistency proof is empty', { field: 'proof' });
    fr = proof[0];
    sr = proof[0];
    i = 1;
  }
  for (; i < proof.length; i++) {
    const p = proof[i];
    if (tn === 0) throw new ProofError('subtree proof is too long', { field: 'proof' });
    if (isOdd(sn) || sn === tn) {
      if (fn < sn) fr = nodeHash(p, fr);
      sr = nodeHash(p, sr);
      while (!isOdd(sn) && sn !== 0) up();
    } else {
      sr = nodeHash(sr, p);
    }
    up();
  }
  if (tn !== 0) throw new ProofError('subtree proof is too short', { field: 'proof' });
  if (!bytesEqual(fr, subtreeHash))
    throw new ProofError(`proof does not reproduce the hash of subtree [${start}, ${end})`, { field: 'subtreeHash' });
  return sr;
}

/** Throws ProofError unless subtree [start, end) with hash `subtreeHash` is part of tree (size, root). */
export function verifySubtreeConsistency(
  start: number,
  end: number,
  size: number,
  proof: readonly Uint8Array[],
  subtreeHash: Uint8Array,
  root: Uint8Array,
): void {
  if (isIndex(start) && start === end) {
    if (!isIndex(size) || end > size)
      throw new ProofError(`empty subtree at ${start} lies beyond tree size ${size}`, { field: 'size' });
    if (proof.length > 0) throw new ProofError('the empty subtree needs an empty proof', { field: 'proof' });
    if (!bytesEqual(subtreeHash, EMPTY_ROOT))
      throw new ProofError('the hash of an empty subtree must be MTH({})', { field: 'subtreeHash' });
    return;
  }
  checkNonEmpty(root, 'root');
  const computed = rootFromSubtreeConsistencyProof(size, start, end, proof, subtreeHash);
  if (!bytesEqual(computed, root))
    throw new ProofError(`subtree [${start}, ${end}) is not consistent with tree size ${size}`, { field: 'root' });
}

/** Throws ProofError unless `proof` proves `leaf` at `index` inside subtree [start, end) with hash `subtreeHash`. */
export function verifySubtreeInclusion(
  index: number,
  start: number,
  end: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  subtreeHash: Uint8Array,
): void {
  if (!isValidSubtree(start, end))
    throw new ProofError(`[${start}, ${end}) is not a valid subtree`, { field: 'start' });
  if (!isIndex(index) || index < start || index >= end)
    throw new ProofError(`index ${index} is outside subtree [${start}, ${end})`, { field: 'index' });
  if (!(leaf instanceof Uint8Array) || leaf.length !== HASH_SIZE)
    throw new ProofError(`leafHash must be a ${HASH_SIZE}-byte hash`, { field: 'leafHash' });
  checkNonEmpty(subtreeHash, 'subtreeHash');
  // Re-rooted in the subtree, inclusion of one leaf is consistency of the one-leaf subtree.
  const i = index - start;
  const computed = rootFromSubtreeConsistencyProof(end - start, i, i + 1, proof, leaf);
  if (!bytesEqual(computed, subtreeHash))
    throw new ProofError(`inclusion proof for index ${index} does not lead to the hash of subtree [${start}, ${end})`, {
      field: 'subtreeHash',
    });
}
