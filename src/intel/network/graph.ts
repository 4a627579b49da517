// The network as a graphology graph (undirected: who is connected to whom, whatever the FtM direction), one
// edge per connected pair carrying the links between them and a cost for weighted paths.
import { UndirectedGraph } from 'graphology';
import type { NetworkLink, NetworkNode } from './types.js';

export interface EdgeAttributes {
  links: NetworkLink[];
  /** Cost of crossing this pair in a weighted path: the cheapest of its links (LINK_COST). */
  cost: number;
}

/**
 * How strong a link is, as a cost for weighted paths (lower: stronger). A same-as decision is nearly the
 * same party; a stored FtM relation (ownership, directorship) is a fact with a source; evidence naming
 * both ends lowers a link's cost, and two parties one evidence item names cost as much as a stored
 * relation; a shared identifier alone (a registered-agent address shared by
 * hundreds) is the weakest.
 */
export const LINK_COST = { sameAs: 0.25, ftm: 1, ftmWithEvidence: 0.5, namedTogether: 1, sharedIdentifier: 2 } as const;

export function linkCost(l: NetworkLink): number {
  if (l.schema === 'SameAs') return LINK_COST.sameAs;
  if (l.schema === 'SharedIdentifier') return LINK_COST.sharedIdentifier;
  if (l.schema === 'NamedTogether') return LINK_COST.namedTogether;
  return l.reasons.some((r) => r.kind === 'evidence') ? LINK_COST.ftmWithEvidence : LINK_COST.ftm;
}

export type NetworkGraph = UndirectedGraph<Record<string, never>, EdgeAttributes>;

export function buildGraph(nodes: readonly Pick<NetworkNode, 'id'>[], links: readonly NetworkLink[]): NetworkGraph {
  const g: NetworkGraph = new UndirectedGraph();
  for (const n of nodes) g.mergeNode(n.id);
  for (const l of links) {
    if (!g.hasNode(l.source) || !g.hasNode(l.target) || l.source === l.target) continue;
    const edge = g.edge(l.source, l.target);
    if (edge === undefined) g.addEdge(l.source, l.target, { links: [l], cost: linkCost(l) });
    else {
      const a = g.getEdgeAttributes(edge);
      a.links.push(l);
      a.cost = Math.min(a.cost, linkCost(l));
    }
  }
  return g;
}
