// One hop of a traversal: from a frontier, every stored link, shared identifier, evidence item naming two
// entities (one statement) and same-as decision touching it (a second), and the entities newly reached, up
// to a node limit.
import type { Queryable } from '../../db/index.js';
import type { LinkSet } from './links.js';
import { hopEdges } from './store.js';
import type { NetworkSources } from './types.js';

/** Reads per hop are capped at this many rows per node allowed, so that one hub cannot flood a hop. */
const ROWS_PER_NODE = 20;

export interface HopResult {
  /** Entities first reached in this hop. */
  next: string[];
  /** Whether a cap left something out. */
  truncated: boolean;
}

/**
 * Expands `frontier` by one hop into `seen` (entity id → hop number) and `links`; stops adding entities
 * once `seen` holds `limit`. With `within`, only links to entities already seen are read (closing a layer).
 */
export async function expandHop(
  q: Queryable,
  sources: NetworkSources,
  frontier: readonly string[],
  seen: Map<string, number>,
  links: LinkSet,
  o: { hop: number; limit: number; within?: readonly string[] },
): Promise<HopResult> {
  const cap = o.limit * ROWS_PER_NODE;
  const { stored, shared, named } = await hopEdges(q, frontier, cap, o.within);
  const same = await sources.sameAs(frontier);
  let truncated = stored.length >= cap || shared.length >= cap || named.length >= cap;
  const next: string[] = [];
  const reach = (id: string): boolean => {
    if (seen.has(id)) return true;
    if (o.within) return false;
    if (seen.size >= o.limit) {
      truncated = true;
      return false;
    }
    seen.set(id, o.hop);
    next.push(id);
    return true;
  };
  for (const l of stored) if (reach(l.sourceId) && reach(l.targetId)) links.addStored(l);
  for (const k of shared) if (reach(k.b)) links.addShared(k);
  for (const c of named) if (reach(c.b)) links.addCoNamed(c);
  for (const p of same) if (reach(p.a) && reach(p.b)) links.addSameAs(p);
  return { next, truncated };
}
