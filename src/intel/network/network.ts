// `intel network ENTITY --hops N`: the neighbourhood of one or more entities, hop by hop from the database,
// with every link's reasons; the graph algorithms run on it in memory (graph.ts).
import type { Queryable } from '../../db/index.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import type { Entity } from '../entities/store.js';
import { expandHop } from './expand.js';
import { LinkSet } from './links.js';
import { entitiesByIds, findEntities } from './store.js';
import type { Network, NetworkNode, NetworkSources } from './types.js';

export const MAX_HOPS = 6;
export const MAX_LIMIT = 10_000;
export const DEFAULT_LIMIT = 500;

/** The one entity `ref` names: an id, else a caption that only one entity has. */
export async function resolveEntity(q: Queryable, ref: string, field = 'entity'): Promise<Entity> {
  const found = await findEntities(q, ref);
  if (found.length === 0) throw new NotFoundError(`no entity with id or name "${ref}"`, { field });
  if (found.length > 1)
    throw new ValidationError(
      `"${ref}" names ${found.length} entities (${found.map((e) => e.id).join(', ')}); give one id`,
      { field },
    );
  return found[0];
}

export const noSources: NetworkSources = {
  sameAs: async () => [],
  evidence: async () => [],
};

export function checkTraversal(o: { hops: number; limit: number }): void {
  if (!Number.isInteger(o.hops) || o.hops < 1 || o.hops > MAX_HOPS)
    throw new ValidationError(`hops must be an integer from 1 to ${MAX_HOPS}`, { field: 'hops' });
  if (!Number.isInteger(o.limit) || o.limit < 1 || o.limit > MAX_LIMIT)
    throw new ValidationError(`limit must be an integer from 1 to ${MAX_LIMIT}`, { field: 'limit' });
}

/** The entities within `hops` of the roots (at most `limit` of them) and every link among them. */
export async function neighbourhood(
  q: Queryable,
  sources: NetworkSources,
  roots: readonly string[],
  o: { hops: number; limit: number },
): Promise<Network> {
  checkTraversal(o);
  const seen = new Map<string, number>(roots.map((r) => [r, 0]));
  const links = new LinkSet();
  let frontier = [...roots];
  let truncated = false;
  for (let hop = 1; hop <= o.hops && frontier.length > 0; hop++) {
    const r = await expandHop(q, sources, frontier, seen, links, { hop, limit: o.limit });
    truncated ||= r.truncated;
    frontier = r.next;
  }
  // The last layer's links among entities already reached (a triangle at the edge of the neighbourhood).
  const all = [...seen.keys()];
  if (frontier.length > 0) {
    const r = await expandHop(q, sources, frontier, seen, links, { hop: o.hops, limit: o.limit, within: all });
    truncated ||= r.truncated;
  }
  links.attachEvidence(await sources.evidence(all));
  const entities = await entitiesByIds(q, all);
  const nodes: NetworkNode[] = entities
    .map((e) => ({
      id: e.id,
      schema: e.schema,
      caption: e.caption,
      origin: e.origin,
      originRef: e.originRef,
      hop: seen.get(e.id) ?? 0,
    }))
    .sort((a, b) => a.hop - b.hop || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { roots: [...roots], hops: o.hops, limit: o.limit, truncated, nodes, links: links.within(seen) };
}
