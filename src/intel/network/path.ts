// `intel path A B`: the shortest path between two entities. Both ends are expanded hop by hop from the
// database (the smaller frontier first) until they meet or the hops run out; graphology then finds the
// path on what was read: unweighted (fewest links, breadth-first from both ends) or weighted by link
// strength (Dijkstra over LINK_COST, the cheapest path among those read up to the meeting hop).
import { bidirectional as dijkstraPath } from 'graphology-shortest-path/dijkstra.js';
import { bidirectional as unweightedPath } from 'graphology-shortest-path/unweighted.js';
import type { Queryable } from '../../db/index.js';
import { ValidationError } from '../../errors.js';
import { expandHop } from './expand.js';
import { buildGraph, LINK_COST } from './graph.js';
import { LinkSet } from './links.js';
import { checkTraversal } from './network.js';
import { entitiesByIds } from './store.js';
import type { NetworkLink, NetworkNode, NetworkSources } from './types.js';

export interface PathStep {
  from: string;
  to: string;
  /** Every link between the two (one is enough to cross), each with its reasons. */
  links: NetworkLink[];
}

export interface PathResult {
  from: string;
  to: string;
  weighted: boolean;
  method: string;
  maxHops: number;
  found: boolean;
  /** When not found: why (none within maxHops, or the node limit stopped the search). */
  message: string | null;
  truncated: boolean;
  nodes: NetworkNode[];
  steps: PathStep[];
  /** Sum of the steps' costs (LINK_COST) when weighted; the number of steps otherwise. */
  cost: number | null;
}

export async function shortestPath(
  q: Queryable,
  sources: NetworkSources,
  from: string,
  to: string,
  o: { maxHops: number; weighted: boolean; limit: number },
): Promise<PathResult> {
  checkTraversal({ hops: o.maxHops, limit: o.limit });
  if (from === to) throw new ValidationError('the two ends of a path must be different entities', { field: 'to' });
  const sides = [
    { seen: new Map([[from, 0]]), frontier: [from], depth: 0 },
    { seen: new Map([[to, 0]]), frontier: [to], depth: 0 },
  ];
  const links = new LinkSet();
  let truncated = false;
  let met = false;
  while (!met && sides[0].depth + sides[1].depth < o.maxHops) {
    const [side, other] = sides[0].frontier.length <= sides[1].frontier.length ? sides : [sides[1], sides[0]];
    if (side.frontier.length === 0) break;
    side.depth++;
    const r = await expandHop(q, sources, side.frontier, side.seen, links, { hop: side.depth, limit: o.limit });
    truncated ||= r.truncated;
    side.frontier = r.next;
    met = r.next.some((id) => other.seen.has(id));
  }
  const method = o.weighted
    ? `weighted: Dijkstra over link costs (same-as ${LINK_COST.sameAs}, FtM link with evidence ` +
      `${LINK_COST.ftmWithEvidence}, FtM link ${LINK_COST.ftm}, named together in evidence ` +
      `${LINK_COST.namedTogether}, shared identifier ${LINK_COST.sharedIdentifier})`
    : 'unweighted: fewest links (breadth-first from both ends)';
  const base = { from, to, weighted: o.weighted, method, maxHops: o.maxHops, truncated };
  const reached = new Set([...sides[0].seen.keys(), ...sides[1].seen.keys()]);
  const graph = buildGraph(
    [...reached].map((id) => ({ id })),
    links.within(reached),
  );
  const ids = met
    ? o.weighted
      ? dijkstraPath(graph, from, to, (_e, a) => a.cost)
      : unweightedPath(graph, from, to)
    : null;
  if (!ids || ids.length < 2) {
    const why = truncated ? ` (the search stopped at ${o.limit} entities per side; raise --limit)` : '';
    return {
      ...base,
      found: false,
      message: `no path between ${from} and ${to} within ${o.maxHops} hops${why}`,
      nodes: [],
      steps: [],
      cost: null,
    };
  }
  const steps: PathStep[] = [];
  let cost = 0;
  for (let i = 1; i < ids.length; i++) {
    const a = graph.getEdgeAttributes(graph.edge(ids[i - 1], ids[i]));
    steps.push({ from: ids[i - 1], to: ids[i], links: a.links });
    cost += o.weighted ? a.cost : 1;
  }
  const byId = new Map((await entitiesByIds(q, ids)).map((e) => [e.id, e]));
  const nodes = ids.map((id, hop) => {
    const e = byId.get(id)!;
    return { id, schema: e.schema, caption: e.caption, origin: e.origin, originRef: e.originRef, hop };
  });
  return { ...base, found: true, message: null, nodes, steps, cost };
}
