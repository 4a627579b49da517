// Proof generation (RFC 9162 §2.1.3.1, §2.1.4.1) against the reference tree of RFC 6962's test data,
// the transparency-dev happy-path vectors, and an exhaustive generate-then-verify sweep.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMPTY_ROOT, leafHash, nodeHash, toBase64 } from '../../src/tlog/hash.js';
import { MemoryTree, nodesFor, consistencyProofRanges } from '../../src/tlog/tree.js';
import { verifyConsistency, verifyInclusion } from '../../src/tlog/verify.js';
import { ProofError } from '../../src/tlog/errors.js';

const VECTORS = join(import.meta.dirname, '../fixtures/transparency-dev-vectors/testdata');

// The eight leaves of the RFC 6962 / transparency-dev reference tree.
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(
  (h) => new Uint8Array(Buffer.from(h, 'hex')),
);

/** MTH exactly as RFC 9162 §2.1.1 defines it, recursively over the data. */
function mth(d: readonly Uint8Array[]): Uint8Array {
  if (d.length === 0) return EMPTY_ROOT;
  if (d.length === 1) return leafHash(d[0]);
  let k = 1;
  while (k * 2 < d.length) k *= 2;
  return nodeHash(mth(d.slice(0, k)), mth(d.slice(k)));
}

const readVector = (p: string) => JSON.parse(readFileSync(join(VECTORS, p), 'utf8')) as Record<string, unknown>;

describe('Merkle tree and proof generation', () => {
  const tree = MemoryTree.fromEntries(LEAVES);

  it('computes the reference roots for every prefix of the test tree', () => {
    expect(toBase64(tree.root())).toBe('XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=');
    for (let n = 0; n <= 8; n++) expect(toBase64(tree.root(n))).toBe(toBase64(mth(LEAVES.slice(0, n))));
    expect(toBase64(new MemoryTree().root())).toBe('47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
  });

  it('generates exactly the happy-path inclusion proofs of the vectors', () => {
    for (const dir of ['1', '2', '3', '4']) {
      const v = readVector(`inclusion/${dir}/happy-path.json`);
      const proof = tree.inclusionProof(v.leafIdx as number, v.treeSize as number).map(toBase64);
      expect(proof).toEqual(v.proof ?? []);
      expect(toBase64(tree.root(v.treeSize as number))).toBe(v.root);
    }
  });

  it('generates exactly the happy-path consistency proofs of the vectors', () => {
    for (const dir of ['1', '2', '3', '4']) {
      const v = readVector(`consistency/${dir}/happy-path.json`);
      expect(tree.consistencyProof(v.size1 as number, v.size2 as number).map(toBase64)).toEqual(v.proof ?? []);
    }
  });

  it('verifies every generated inclusion and consistency proof up to 40 leaves, and rejects tampering', () => {
    const data = Array.from({ length: 40 }, (_, i) => new Uint8Array([i, (i * 7) % 256]));
    const t = MemoryTree.fromEntries(data);
    for (let size = 1; size <= 40; size++) {
      const root = t.root(size);
      expect(toBase64(root)).toBe(toBase64(mth(data.slice(0, size))));
      for (let i = 0; i < size; i++) {
        const proof = t.inclusionProof(i, size);
        verifyInclusion(i, size, leafHash(data[i]), proof, root);
        if (size > 1)
          expect(() => verifyInclusion(i, size, leafHash(data[(i + 1) % size]), proof, root)).toThrow(ProofError);
      }
      for (let m = 1; m <= size; m++) {
        const proof = t.consistencyProof(m, size);
        verifyConsistency(m, size, proof, t.root(m), root);
        if (proof.length > 0) {
          const bad = proof.map((p, j) => (j === proof.length - 1 ? leafHash(p) : p));
          expect(() => verifyConsistency(m, size, bad, t.root(m), root)).toThrow(ProofError);
        }
      }
    }
  });

  it('needs only O(log n) stored nodes for a proof in a large tree', () => {
    const ranges = consistencyProofRanges(1_000_003, 123_456_789);
    expect(nodesFor(ranges).length).toBeLessThan(2 * 27 * 2);
  });
});

describe('compact range and batch growth', () => {
  it('completes exactly the perfect nodes of the in-memory tree, for every split into two batches', async () => {
    const { CompactRange, frontierIds, nodesCompletedBy, rootFromFrontier } = await import('../../src/tlog/compact.js');
    const data = Array.from({ length: 37 }, (_, i) => leafHash(new Uint8Array([i])));
    const t = new MemoryTree();
    data.forEach((h) => {
      t.appendLeafHash(h);
    });
    for (let size = 0; size <= 37; size++) {
      expect(toBase64(rootFromFrontier(frontierIds(size).map((id) => t.node(id.level, id.index))))).toBe(
        toBase64(t.root(size)),
      );
      for (let k = 1; size + k <= 37; k += 5) {
        const byLevel = new Map(frontierIds(size).map((id) => [id.level, t.node(id.level, id.index)]));
        const nodes = nodesCompletedBy(size, data.slice(size, size + k), (l) => byLevel.get(l)!);
        for (const n of nodes) expect(toBase64(n.hash)).toBe(toBase64(t.node(n.level, n.index)));
        // Count: perfect nodes of level >= 1 in size+k minus those in size.
        const count = (s: number) => {
          let c = 0;
          for (let p = 2; p <= s; p *= 2) c += Math.floor(s / p);
          return c;
        };
        expect(nodes.length).toBe(count(size + k) - count(size));
      }
    }
    const c = new CompactRange();
    const seen: string[] = [];
    data.forEach((h) => {
      c.push(h, (n) => seen.push(`${n.level}/${n.index}`));
    });
    expect(toBase64(c.root())).toBe(toBase64(t.root()));
    expect(seen).toContain('5/0');
  });
});
