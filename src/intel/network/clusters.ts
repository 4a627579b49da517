// `intel clusters`: candidate shell or front-company groups. Entities sharing an identifier (073) or a
// director become one graph; its connected components are the candidates (graphology-components), and a
// component larger than MAX_CLUSTER is split into Louvain communities (graphology-communities-louvain, a
// fixed seed so the same data gives the same clusters). Each is scored with its reasons (score.ts).
import louvainModule from 'graphology-communities-louvain';
import { connectedComponents } from 'graphology-components';
import { UndirectedGraph } from 'graphology';
import type { Queryable } from '../../db/index.js';
import { ValidationError } from '../../errors.js';
import { partyChips } from '../../registry/index.js';
import { sameAs } from '../resolve/decisions.js';
import { entitiesByIds } from './store.js';
import { scoreCluster, type MemberFacts, type ScoredCluster, type SharedFact } from './score.js';
import type { NetworkSources } from './types.js';

/** An identifier or director shared by more entities than this is a registered agent, not a cluster. */
export const MAX_SHARED = 50;
/** Components larger than this are split into Louvain communities. */
export const MAX_CLUSTER = 25;
const LOUVAIN_SEED = 19;
// A CommonJS package: at run time its default import is the function; TypeScript (NodeNext) types the namespace.
const louvain = louvainModule as unknown as typeof louvainModule.default;

export interface Cluster extends ScoredCluster {
  rank: number;
}

async function sharedFacts(q: Queryable): Promise<SharedFact[]> {
  const ids = await q.query<{ prop: string; value: string; ids: string[] }>(
    `select kind as prop, value, array_agg(entity_id order by entity_id) as ids
       from intel_identifiers group by kind, value having count(*) between 2 and $1`,
    [MAX_SHARED],
  );
  const directors = await q.query<{ director: string; caption: string; ids: string[] }>(
    `select d.source_id as director, min(e.caption) as caption,
            array_agg(distinct d.target_id order by d.target_id) as ids
       from intel_links d join intel_entities e on e.id = d.source_id
      where d.schema = 'Directorship' group by d.source_id having count(distinct d.target_id) between 2 and $1`,
    [MAX_SHARED],
  );
  return [
    ...ids.map((r) => ({ kind: 'identifier' as const, property: r.prop, value: r.value, members: r.ids })),
    ...directors.map((r) => ({ kind: 'director' as const, property: 'director', value: r.caption, members: r.ids })),
  ];
}

/** Seeded generator for Louvain's tie-breaking (mulberry32), so that clusters are reproducible. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Groups of entity ids: components of the shared-fact graph, large ones split by Louvain. */
export function groupMembers(shared: readonly SharedFact[]): string[][] {
  const g = new UndirectedGraph<Record<string, never>, { weight: number }>();
  for (const s of shared) {
    for (const m of s.members) g.mergeNode(m);
    for (let i = 1; i < s.members.length; i++)
      for (let j = 0; j < i; j++) {
        const [a, b] = [s.members[i], s.members[j]];
        g.updateEdge(a, b, (attr) => ({ weight: (attr.weight ?? 0) + 1 }));
      }
  }
  const groups: string[][] = [];
  for (const comp of connectedComponents(g)) {
    if (comp.length <= MAX_CLUSTER) {
      groups.push(comp);
      continue;
    }
    const sub = g.copy();
    const keep = new Set(comp);
    sub.forEachNode((n) => {
      if (!keep.has(n)) sub.dropNode(n);
    });
    const communities = louvain(sub, { getEdgeWeight: 'weight', rng: seeded(LOUVAIN_SEED) });
    const byCommunity = new Map<number, string[]>();
    for (const [n, c] of Object.entries(communities)) byCommunity.set(c, [...(byCommunity.get(c) ?? []), n]);
    for (const members of byCommunity.values()) if (members.length > 1) groups.push(members);
  }
  return groups.map((m) => m.sort());
}

/** Registry orders of a member that is a registry party: distinct receipt dates of the chips it holds. */
async function registryOrders(q: Queryable, ref: string | null): Promise<MemberFacts['orders']> {
  const m = /^party:([0-9]{1,15})$/.exec(ref ?? '');
  if (!m) return null;
  try {
    const { chips } = await partyChips(q, Number(m[1]), { limit: 10_000, offset: 0 });
    return { count: new Set(chips.map((c) => c.since)).size, chips: chips.length };
  } catch {
    return null; // the party is gone from the registry: no orders to count
  }
}

const first = (v: string[] | undefined) => (v?.length ? v[0] : null);

/** Per member, the screening-list entries analysts judged the same party (decisions "same", not reverted). */
async function listedAs(q: Queryable, ids: string[]): Promise<Map<string, NonNullable<MemberFacts['listedAs']>>> {
  const pairs = await sameAs(q, ids);
  const others = await entitiesByIds(q, [...new Set(pairs.flatMap((p) => [p.a, p.b]))]);
  const listed = new Map(others.filter((e) => e.origin === 'screening').map((e) => [e.id, e.caption]));
  const out = new Map<string, NonNullable<MemberFacts['listedAs']>>();
  for (const p of pairs)
    for (const [member, other] of [
      [p.a, p.b],
      [p.b, p.a],
    ]) {
      const caption = listed.get(other);
      if (caption === undefined || listed.has(member)) continue;
      out.set(member, [...(out.get(member) ?? []), { entityId: other, caption, decisionId: p.decisionId }]);
    }
  return out;
}

/** The candidate clusters, best first; `top` of them. */
export async function findClusters(
  q: Queryable,
  sources: NetworkSources,
  o: { top: number; now: Date },
): Promise<{ clusters: Cluster[]; candidates: number }> {
  if (!Number.isInteger(o.top) || o.top < 1 || o.top > 1000)
    throw new ValidationError('top must be an integer from 1 to 1000', { field: 'top' });
  const shared = await sharedFacts(q);
  const groups = groupMembers(shared);
  const ids = [...new Set(groups.flat())];
  const entities = new Map((await entitiesByIds(q, ids)).map((e) => [e.id, e]));
  const evidence = await sources.evidence(ids);
  const decided = await listedAs(q, ids);
  const facts = new Map<string, MemberFacts>();
  for (const id of ids) {
    const e = entities.get(id);
    if (!e) continue;
    facts.set(id, {
      id,
      caption: e.caption,
      schema: e.schema,
      origin: e.origin,
      countries: [...(e.properties.country ?? []), ...(e.properties.jurisdiction ?? [])],
      incorporationDate: first(e.properties.incorporationDate),
      orders: e.origin === 'registry' ? await registryOrders(q, e.originRef) : null,
      evidence: evidence.filter((x) => x.entityId === id).map((x) => ({ id: x.evidenceId, title: x.title })),
      ...(decided.has(id) ? { listedAs: decided.get(id) } : {}),
    });
  }
  // A group of screening-list entries only is the lists' own structure, not a discovery: left out.
  const unlisted = groups.filter((members) => members.some((m) => facts.get(m)?.origin !== 'screening'));
  const scored = unlisted.map((members) => {
    const inside = new Set(members);
    const facts2 = shared
      .map((s) => ({ ...s, members: s.members.filter((m) => inside.has(m)) }))
      .filter((s) => s.members.length > 1);
    return scoreCluster(
      members.flatMap((m) => (facts.has(m) ? [facts.get(m)!] : [])),
      facts2,
      o.now,
    );
  });
  scored.sort((a, b) => b.score - a.score || (a.members[0]?.id ?? '').localeCompare(b.members[0]?.id ?? ''));
  return {
    candidates: scored.length,
    clusters: scored.slice(0, o.top).map((c, i) => ({ rank: i + 1, ...c })),
  };
}
