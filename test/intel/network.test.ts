// Networks on both databases: the neighbourhood hop by hop with every link's reasons (stored links, shared
// identifiers, same-as decisions, evidence), the node limit, shortest paths (unweighted and weighted),
// clusters with their reasons, and the diagram exports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.js';
import { upsertEntities } from '../../src/intel/entities/store.js';
import { findClusters } from '../../src/intel/network/clusters.js';
import { toDot, toGraphml } from '../../src/intel/network/export.js';
import { neighbourhood, resolveEntity } from '../../src/intel/network/network.js';
import { shortestPath } from '../../src/intel/network/path.js';
import { networkSources } from '../../src/intel/network/sources.js';
import { decide, revert } from '../../src/intel/resolve/decisions.js';
import { backends } from '../helpers/db.js';
import { writeWorld } from './network-world.js';

const now = new Date('2026-06-01T00:00:00Z');

describe.each(backends)('intel network ($name)', (backend) => {
  let db: Db;
  beforeAll(async () => {
    db = await backend.open();
    await writeWorld(db, now);
  }, 60_000);
  afterAll(async () => db?.close());

  it('reads a 2-hop neighbourhood with the reason for every link', async () => {
    const n = await neighbourhood(db, networkSources(db), ['c-alpha'], { hops: 2, limit: 100 });
    expect(n.truncated).toBe(false);
    expect(Object.fromEntries(n.nodes.map((x) => [x.id, x.hop]))).toEqual({
      'c-alpha': 0,
      'c-beta': 1,
      'p-lim': 1,
      'c-gamma': 2,
    });
    const byId = new Map(n.links.map((l) => [l.id, l]));
    expect([...byId.keys()].sort()).toEqual(['l-dir-alpha', 'l-dir-gamma', 'shared:c-alpha|c-beta']);
    expect(byId.get('shared:c-alpha|c-beta')!.reasons).toEqual([
      { kind: 'shared-identifier', property: 'phone', value: '60321410000' },
    ]);
    expect(byId.get('l-dir-alpha')!.reasons[0]).toMatchObject({
      kind: 'ftm',
      schema: 'Directorship',
      origin: 'analyst',
      originRef: 'note-l-dir-alpha',
      properties: { role: ['director'], startDate: ['2024-03-01'] },
    });
  });

  it('stops at the node limit and says it was truncated', async () => {
    const n = await neighbourhood(db, networkSources(db), ['c-alpha'], { hops: 5, limit: 3 });
    expect(n.nodes).toHaveLength(3);
    expect(n.truncated).toBe(true);
    for (const l of n.links)
      expect(n.nodes.some((x) => x.id === l.source) && n.nodes.some((x) => x.id === l.target)).toBe(true);
  });

  it('finds an entity by a caption only it has, and refuses unknown names', async () => {
    expect((await resolveEntity(db, 'alpha compute sdn bhd')).id).toBe('c-alpha');
    await expect(resolveEntity(db, 'Nobody Ltd')).rejects.toThrow(/no entity with id or name "Nobody Ltd"/);
  });

  it('finds the shortest path with each step and says when none is within the hops', async () => {
    const p = await shortestPath(db, networkSources(db), 'c-alpha', 'c-eps', {
      maxHops: 6,
      weighted: false,
      limit: 100,
    });
    expect(p.found).toBe(true);
    expect(p.nodes.map((x) => x.id)).toEqual(['c-alpha', 'p-lim', 'c-gamma', 'c-delta', 'c-eps']);
    expect(p.steps.map((s) => s.links.map((l) => l.schema))).toEqual([
      ['Directorship'],
      ['Directorship'],
      ['Ownership'],
      ['SharedIdentifier'],
    ]);
    const none = await shortestPath(db, networkSources(db), 'c-alpha', 'c-eps', {
      maxHops: 3,
      weighted: false,
      limit: 100,
    });
    expect(none.found).toBe(false);
    expect(none.message).toBe('no path between c-alpha and c-eps within 3 hops');
    const iso = await shortestPath(db, networkSources(db), 'c-alpha', 'c-iso', {
      maxHops: 6,
      weighted: false,
      limit: 100,
    });
    expect(iso.found).toBe(false);
  });

  it('a same-as decision is a link, and the weighted path prefers it', async () => {
    await decide(
      db,
      { a: 'c-beta', b: 'c-gamma', judgement: 'same', reason: 'same registered agent', actor: 'test' },
      now,
    );
    const n = await neighbourhood(db, networkSources(db), ['c-beta'], { hops: 1, limit: 100 });
    const same = n.links.find((l) => l.schema === 'SameAs');
    expect(same).toMatchObject({ source: 'c-beta', target: 'c-gamma', reasons: [{ kind: 'same-as' }] });
    const w = await shortestPath(db, networkSources(db), 'c-alpha', 'c-gamma', {
      maxHops: 4,
      weighted: true,
      limit: 100,
    });
    // c-alpha -(phone, 2)- c-beta -(same-as, 0.25)- c-gamma costs 2.25; via p-lim two directorships cost 2.
    expect(w.nodes.map((x) => x.id)).toEqual(['c-alpha', 'p-lim', 'c-gamma']);
    expect(w.cost).toBe(2);
    expect(w.method).toMatch(/^weighted: Dijkstra/);
  });

  it('ranks clusters with their reasons and weights', async () => {
    // Two list entries sharing a phone are the lists' own structure, not a candidate.
    const listed = (id: string) => ({
      id,
      schema: 'LegalEntity',
      caption: `Listed ${id}`,
      properties: { name: [`Listed ${id}`], phone: ['+86 755 8888 0000'] },
      origin: 'screening' as const,
      originRef: id,
    });
    await upsertEntities(db, [listed('s-1'), listed('s-2')], now);
    const r = await findClusters(db, networkSources(db), { top: 10, now });
    expect(r.candidates).toBe(2);
    const top = r.clusters[0];
    expect(top.members.map((m) => m.id)).toEqual(['c-alpha', 'c-beta', 'c-gamma']);
    const kinds = Object.fromEntries(top.reasons.map((x) => [x.kind, x.points]));
    expect(kinds).toEqual({ sharedIdentifier: 3, sharedDirector: 3, recentIncorporation: 4, transshipmentCountry: 3 });
    expect(top.score).toBe(13);
    expect(top.reasons.find((x) => x.kind === 'sharedDirector')!.details).toEqual([
      'Lim Wei directs Alpha Compute Sdn Bhd, Gamma Trading Ltd',
    ]);
    const second = r.clusters[1];
    expect(second.members.map((m) => m.id)).toEqual(['c-delta', 'c-eps']);
    expect(second.score).toBe(5);
    expect(r.clusters.flatMap((c) => c.members.map((m) => m.id))).not.toContain('c-iso');
  });

  it('counts a member judged the same party as a list entry as a screening hit, until reverted', async () => {
    const entry = {
      id: 's-delta',
      schema: 'LegalEntity',
      caption: 'DELTA LISTED TRADING',
      properties: { name: ['DELTA LISTED TRADING'] },
      origin: 'screening' as const,
      originRef: 's-delta',
    };
    await upsertEntities(db, [entry], now);
    const pair = async () => (await findClusters(db, networkSources(db), { top: 10, now })).clusters[1];
    expect((await pair()).reasons.map((x) => x.kind)).not.toContain('screeningHit');
    const d = await decide(
      db,
      { a: 'c-delta', b: 's-delta', judgement: 'same', reason: 'same director and address', actor: 'test' },
      now,
    );
    const judged = await pair();
    expect(judged.members.map((m) => m.id)).toEqual(['c-delta', 'c-eps']);
    expect(judged.reasons.find((x) => x.kind === 'screeningHit')).toEqual({
      kind: 'screeningHit',
      weight: 4,
      count: 1,
      points: 4,
      details: [
        `${judged.members[0].caption} is the screening-list entry DELTA LISTED TRADING (resolution decision ${d.id})`,
      ],
    });
    expect(judged.score).toBe(5 + 4);
    await revert(db, { decisionId: d.id, reason: 'a different company', actor: 'test' }, now);
    const reverted = await pair();
    expect(reverted.reasons.map((x) => x.kind)).not.toContain('screeningHit');
    expect(reverted.score).toBe(5);
  });

  it('exports DOT and GraphML with every node and link', async () => {
    const n = await neighbourhood(db, networkSources(db), ['c-alpha'], { hops: 1, limit: 100 });
    const dot = toDot(n);
    expect(dot).toMatch(/^digraph network \{/);
    expect(dot).toContain('"p-lim" -> "c-alpha" [label="Directorship (analyst note-l-dir-alpha)"]');
    expect(dot).toContain('"c-alpha" -> "c-beta" [label="same phone: 60321410000", dir=none, style=dashed]');
    const xml = toGraphml(n);
    expect(xml.match(/<node /g)).toHaveLength(n.nodes.length);
    expect(xml.match(/<edge /g)).toHaveLength(n.links.length);
    expect(xml).toContain('<data key="node-caption">Alpha Compute Sdn Bhd</data>');
  });
});
