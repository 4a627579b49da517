// Growing a tree by a batch of leaves: which perfect nodes the batch completes. Only the "frontier"
// — the perfect nodes whose right sibling did not exist yet, one per set bit of the old size — is
// needed from storage. The same walk lets an auditor stream a log in O(log n) memory.
import { nodeHash, EMPTY_ROOT } from './hash.js';
import type { NodeId } from './tree.js';
import { half, isOdd } from './bits.js';

export interface NodeHash extends NodeId {
  hash: Uint8Array;
}

/** The perfect nodes that make up the tree of `size` leaves, largest (leftmost) first. */
export function frontierIds(size: number): NodeId[] {
  const ids: NodeId[] = [];
  for (let level = 0, n = size; n > 0; level++, n = half(n)) {
    if (isOdd(n)) ids.push({ level, index: n - 1 });
  }
  return ids.reverse();
}

/** MTH of a tree from its frontier (largest node first): fold from the right. */
export function rootFromFrontier(frontier: readonly Uint8Array[]): Uint8Array {
  if (frontier.length === 0) return EMPTY_ROOT;
  let r = frontier[frontier.length - 1];
  for (let i = frontier.length - 2; i >= 0; i--) r = nodeHash(frontier[i], r);
  return r;
}

/**
 * The perfect nodes of level >= 1 completed by appending `leaves` (leaf hashes) to a tree of `size`
 * leaves. `frontier(level)` returns the old frontier node at that level (see frontierIds).
 */
export function nodesCompletedBy(
  size: number,
  leaves: readonly Uint8Array[],
  frontier: (level: number) => Uint8Array,
): NodeHash[] {
  const out: NodeHash[] = [];
  let start = size; // first new index on this level = number of complete nodes before the batch
  let row: readonly Uint8Array[] = leaves;
  for (let level = 0; row.length > 0; level++) {
    const end = start + row.length;
    const parents: Uint8Array[] = [];
    const at = (i: number) => (i < start ? frontier(level) : row[i - start]);
    for (let j = half(start); 2 * j + 1 < end; j++) {
      const h = nodeHash(at(2 * j), at(2 * j + 1));
      parents.push(h);
      out.push({ level: level + 1, index: j, hash: h });
    }
    start = half(start);
    row = parents;
  }
  return out;
}

/** Streams leaves in order, keeping only the frontier; reports every perfect node it completes. */
export class CompactRange {
  private readonly stack: { level: number; hash: Uint8Array }[] = [];
  size = 0;

  /** Appends one leaf hash; `onNode` sees each completed node of level >= 1 (for cross-checks). */
  push(leaf: Uint8Array, onNode?: (n: NodeHash) => void): void {
    let node = { level: 0, hash: leaf };
    let index = this.size;
    while (this.stack.length > 0 && this.stack[this.stack.length - 1].level === node.level) {
      const left = this.stack.pop()!;
      node = { level: node.level + 1, hash: nodeHash(left.hash, node.hash) };
      index = half(index);
      onNode?.({ level: node.level, index, hash: node.hash });
    }
    this.stack.push(node);
    this.size++;
  }

  root(): Uint8Array {
    return rootFromFrontier(this.stack.map((n) => n.hash));
  }
}
