// Proof generation, RFC 9162 §2.1.3.1 (PATH) and §2.1.4.1 (PROOF / SUBPROOF), expressed as the list of
// leaf ranges whose MTH the proof carries. Each range is then hashed from "perfect" nodes (complete
// subtrees of 2^level leaves, aligned at index·2^level), which a store keeps so a proof costs O(log n)
// lookups. Pure: the caller supplies the node hashes.
import { EMPTY_ROOT, leafHash, nodeHash } from './hash.js';
import { isIndex, isPowerOf2, largestPowerOf2Below, log2Exact } from './bits.js';
import { ProofError } from './errors.js';

/** Leaves [start, end) of the log. */
export interface Range {
  start: number;
  end: number;
}

/** The complete subtree of 2^level leaves starting at leaf index·2^level. Level 0 is a leaf. */
export interface NodeId {
  level: number;
  index: number;
}

export type NodeLookup = (level: number, index: number) => Uint8Array;

/** RFC 9162 §2.1.3.1 PATH(m, D[n]): the ranges whose hashes form the inclusion proof, leaf upwards. */
export function inclusionProofRanges(index: number, size: number): Range[] {
  if (!isIndex(index) || !isIndex(size) || index >= size)
    throw new ProofError(`index ${index} is not below tree size ${size}`, { field: 'index' });
  const out: Range[] = [];
  const path = (m: number, start: number, end: number): void => {
    const n = end - start;
    if (n <= 1) return;
    const k = largestPowerOf2Below(n);
    if (m < k) {
      path(m, start, start + k);
      out.push({ start: start + k, end });
    } else {
      path(m - k, start + k, end);
      out.push({ start, end: start + k });
    }
  };
  path(index, 0, size);
  return out;
}

/** RFC 9162 §2.1.4.1 PROOF(m, D[n]) = SUBPROOF(m, D[n], true), for 0 < m <= n. */
export function consistencyProofRanges(size1: number, size2: number): Range[] {
  if (!isIndex(size1) || !isIndex(size2) || size1 < 1 || size1 > size2) {
    throw new ProofError(`no consistency proof from size ${size1} to size ${size2}: need 0 < size1 <= size2`, {
      field: 'size1',
    });
  }
  const out: Range[] = [];
  const subproof = (m: number, start: number, end: number, b: boolean): void => {
    const n = end - start;
    if (m === n) {
      if (!b) out.push({ start, end });
      return;
    }
    const k = largestPowerOf2Below(n);
    if (m <= k) {
      subproof(m, start, start + k, b);
      out.push({ start: start + k, end });
    } else {
      subproof(m - k, start + k, end, false);
      out.push({ start, end: start + k });
    }
  };
  subproof(size1, 0, size2, true);
  return out;
}

/** Visits MTH(D[start:end]) as RFC 9162 §2.1.1 defines it, stopping at perfect nodes. */
function foldRange<T>(r: Range, perfect: (id: NodeId) => T, combine: (l: T, r: T) => T): T {
  const n = r.end - r.start;
  if (isPowerOf2(n) && r.start % n === 0) return perfect({ level: log2Exact(n), index: r.start / n });
  const k = largestPowerOf2Below(n);
  return combine(
    foldRange({ start: r.start, end: r.start + k }, perfect, combine),
    foldRange({ start: r.start + k, end: r.end }, perfect, combine),
  );
}

/** The perfect nodes MTH(D[start:end]) is built from (left to right). */
export function rangeNodes(r: Range): NodeId[] {
  if (r.end <= r.start) return [];
  return foldRange<NodeId[]>(
    r,
    (id) => [id],
    (a, b) => [...a, ...b],
  );
}

/** MTH(D[start:end]) from perfect node hashes. */
export function rangeHash(r: Range, node: NodeLookup): Uint8Array {
  if (r.end <= r.start) return EMPTY_ROOT;
  return foldRange(r, (id) => node(id.level, id.index), nodeHash);
}

/** Every perfect node a list of ranges needs, without duplicates. */
export function nodesFor(ranges: readonly Range[]): NodeId[] {
  const seen = new Map<string, NodeId>();
  for (const r of ranges) for (const id of rangeNodes(r)) seen.set(`${id.level}/${id.index}`, id);
  return [...seen.values()];
}

/** An in-memory tree keeping every perfect node: the reference for tests and small audits. */
export class MemoryTree {
  private readonly levels: Uint8Array[][] = [[]];

  static fromEntries(entries: readonly Uint8Array[]): MemoryTree {
    const t = new MemoryTree();
    for (const e of entries) t.appendLeafHash(leafHash(e));
    return t;
  }

  get size(): number {
    return this.levels[0].length;
  }

  appendLeafHash(h: Uint8Array): void {
    this.levels[0].push(h);
    // Complete every parent the new leaf finishes.
    for (let level = 0; this.levels[level].length % 2 === 0; level++) {
      const row = this.levels[level];
      if (!this.levels[level + 1]) this.levels.push([]);
      this.levels[level + 1].push(nodeHash(row[row.length - 2], row[row.length - 1]));
    }
  }

  node: NodeLookup = (level, index) => {
    const h = this.levels[level]?.[index];
    if (!h) throw new Error(`no perfect node ${level}/${index} in a tree of ${this.size}`);
    return h;
  };

  root(size = this.size): Uint8Array {
    return rangeHash({ start: 0, end: size }, this.node);
  }

  inclusionProof(index: number, size = this.size): Uint8Array[] {
    return inclusionProofRanges(index, size).map((r) => rangeHash(r, this.node));
  }

  consistencyProof(size1: number, size2 = this.size): Uint8Array[] {
    return consistencyProofRanges(size1, size2).map((r) => rangeHash(r, this.node));
  }
}
