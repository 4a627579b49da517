// Proof verification, RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency), with the function
// names of transparency-dev/merkle (RootFromInclusionProof, VerifyInclusion, VerifyConsistency,
// RootFromConsistencyProof). Every input here may come from an untrusted log: sizes, hashes and proof
// elements are checked before use, and any failure throws ProofError.
import { bytesEqual, HASH_SIZE, nodeHash } from './hash.js';
import { half, isIndex, isOdd, isPowerOf2 } from './bits.js';
import { ProofError } from './errors.js';

function checkIndex(n: number, name: string): void {
  if (!isIndex(n)) throw new ProofError(`${name} must be an integer from 0 to 2^53-1`, { field: name });
}

/** Proof elements and leaf hashes are SHA-256 outputs; anything else (empty, truncated) is rejected. */
function checkHash(h: Uint8Array, name: string): void {
  if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE)
    throw new ProofError(`${name} must be a ${HASH_SIZE}-byte hash`, { field: name });
}

/** A root is compared, never hashed further, so only emptiness is rejected here. */
function checkRoot(h: Uint8Array, name: string): void {
  if (!(h instanceof Uint8Array) || h.length === 0) throw new ProofError(`${name} must not be empty`, { field: name });
}

function checkProof(proof: readonly Uint8Array[]): void {
  if (!Array.isArray(proof)) throw new ProofError('proof must be an array of hashes', { field: 'proof' });
  proof.forEach((p, i) => {
    checkHash(p, `proof[${i}]`);
  });
}

/**
 * RFC 9162 §2.1.3.2: the root a valid inclusion proof of `leafHash` at `index` in a tree of `size`
 * leaves implies. Throws when the proof has the wrong shape for (index, size).
 */
export function rootFromInclusionProof(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
): Uint8Array {
  checkIndex(index, 'index');
  checkIndex(size, 'treeSize');
  if (index >= size) throw new ProofError(`index ${index} is not below tree size ${size}`, { field: 'index' });
  checkHash(leaf, 'leafHash');
  checkProof(proof);
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) throw new ProofError('inclusion proof is longer than the tree is deep', { field: 'proof' });
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      // On the right edge the path skips levels where the node has no right sibling.
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new ProofError('inclusion proof is shorter than the tree is deep', { field: 'proof' });
  return r;
}

/** RFC 9162 §2.1.3.2: throws ProofError unless `proof` proves `leaf` at `index` under `root`. */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  checkRoot(root, 'root');
  const computed = rootFromInclusionProof(index, size, leaf, proof);
  if (!bytesEqual(computed, root))
    throw new ProofError(`inclusion proof for index ${index} does not lead to the root of tree size ${size}`, {
      field: 'root',
    });
}

/**
 * RFC 9162 §2.1.4.2: checks that `proof` is a consistency proof from (size1, root1) and returns the
 * root of tree size2 it implies. A proof from the empty tree is meaningless and rejected.
 */
export function rootFromConsistencyProof(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
): Uint8Array {
  checkIndex(size1, 'size1');
  checkIndex(size2, 'size2');
  checkRoot(root1, 'root1');
  if (size1 === 0) throw new ProofError('a consistency proof from the empty tree proves nothing', { field: 'size1' });
  if (size2 < size1) throw new ProofError(`size2 ${size2} is smaller than size1 ${size1}`, { field: 'size2' });
  if (size1 === size2) {
    if (proof.length > 0) throw new ProofError('sizes are equal but the proof is not empty', { field: 'proof' });
    return root1;
  }
  checkProof(proof);
  if (proof.length === 0) throw new ProofError('consistency proof is empty', { field: 'proof' });
  // Step 2: when size1 is a power of two, root1 itself is the first node of the path.
  const path = isPowerOf2(size1) ? [root1, ...proof] : proof;
  if (isPowerOf2(size1)) checkHash(root1, 'root1');
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0];
  let sr = path[0];
  for (let i = 1; i < path.length; i++) {
    const c = path[i];
    if (sn === 0) throw new ProofError('consistency proof is too long', { field: 'proof' });
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new ProofError('consistency proof is too short', { field: 'proof' });
  if (!bytesEqual(fr, root1))
    throw new ProofError(`consistency proof does not lead to the root of tree size ${size1}`, { field: 'root1' });
  return sr;
}

/** RFC 9162 §2.1.4.2: throws ProofError unless tree (size2, root2) extends tree (size1, root1). */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  checkRoot(root2, 'root2');
  const computed = rootFromConsistencyProof(size1, size2, proof, root1);
  if (!bytesEqual(computed, root2))
    throw new ProofError(`tree size ${size2} is not consistent with tree size ${size1}`, { field: 'root2' });
}
