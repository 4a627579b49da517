// /api/intel network, path, clusters, timelines and dossiers in-process and on a started server, on both
// databases: the authorization matrix (every route × every role: analysts read all of it, regulators read
// timelines and dossiers, everyone else refused), answers' shapes, and bad input answered with a 4xx problem.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, ROLES } from '../../src/accounts/index.js';
import { buildApp } from '../../src/app/server.js';
import type { Db } from '../../src/db/index.js';
import { backends } from '../helpers/db.js';
import { writeWorld } from './network-world.js';

type Who = (typeof ROLES)[number] | 'anonymous';
const NOW = new Date('2026-06-01T00:00:00Z');

describe.each(backends)('intel network HTTP API ($name)', (backend) => {
  let db: Db;
  let app: FastifyInstance;
  let base = '';
  const keys = {} as Record<Who, string | null>;
  const call = (who: Who, url: string) =>
    app.inject({ method: 'GET', url, headers: keys[who] ? { authorization: `Bearer ${keys[who]}` } : {} });

  beforeAll(async () => {
    db = await backend.open();
    app = await buildApp({ db, now: () => NOW, rateLimitPerMinute: 100_000 });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    for (const role of ROLES) keys[role] = (await createApiKey(db, { role, organisationId: null })).key;
    keys.anonymous = null;
    await writeWorld(db, NOW);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const ANALYSTS = { admin: 200, analyst: 200 } as const;
  const READERS = { admin: 200, analyst: 200, regulator: 200 } as const;
  const routes = [
    { route: 'GET /api/intel/entities/{id}/network', url: '/api/intel/entities/c-alpha/network?hops=2', ok: ANALYSTS },
    { route: 'GET /api/intel/path', url: '/api/intel/path?from=c-alpha&to=c-eps&maxHops=6', ok: ANALYSTS },
    { route: 'GET /api/intel/clusters', url: '/api/intel/clusters?top=5', ok: ANALYSTS },
    { route: 'GET /api/intel/entities/{id}/timeline', url: '/api/intel/entities/c-alpha/timeline', ok: READERS },
    { route: 'GET /api/intel/chips/{serial}/timeline', url: '/api/intel/chips/ACS-NONE/timeline', ok: READERS },
    { route: 'GET /api/intel/entities/{id}/dossier', url: '/api/intel/entities/c-alpha/dossier', ok: READERS },
  ];

  it('answers every route × every role as the rules say', async () => {
    const got: string[] = [];
    const want: string[] = [];
    for (const r of routes)
      for (const who of [...ROLES, 'anonymous'] as Who[]) {
        const res = await call(who, r.url);
        // A chip nobody knows is a 404 for those allowed to ask.
        const allowed = (r.ok as Record<string, number>)[who];
        const ok = allowed && r.route.includes('{serial}') ? 404 : allowed;
        got.push(`${r.route} ${who} ${res.statusCode}`);
        want.push(`${r.route} ${who} ${ok ?? (who === 'anonymous' ? 401 : 403)}`);
        if (res.statusCode >= 400) expect(res.headers['content-type']).toContain('application/problem+json');
      }
    expect(got).toEqual(want);
  });

  it('the matrix covers every network, path, cluster, timeline and dossier route in the OpenAPI document', () => {
    const spec = app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const mine = Object.entries(spec.paths)
      .filter(([p]) => /^\/api\/intel\/(path|clusters|.*\/(network|timeline|dossier))$/.test(p))
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(mine.sort()).toEqual(routes.map((r) => r.route).sort());
  });

  it('serves the network, the path, clusters and the dossier over a started server', async () => {
    const get = async (url: string) => {
      const res = await fetch(`${base}${url}`, { headers: { authorization: `Bearer ${keys.analyst}` } });
      return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
    };
    const net = await get('/api/intel/entities/c-alpha/network?hops=1');
    expect(net.status).toBe(200);
    const n = JSON.parse(net.text);
    expect(n.nodes.map((x: { id: string }) => x.id).sort()).toEqual(['c-alpha', 'c-beta', 'p-lim']);
    expect(n.links.find((l: { schema: string }) => l.schema === 'SharedIdentifier').reasons).toEqual([
      { kind: 'shared-identifier', property: 'phone', value: '60321410000' },
    ]);
    const path = JSON.parse((await get('/api/intel/path?from=c-alpha&to=c-eps&maxHops=6')).text);
    expect(path.steps).toHaveLength(4);
    const clusters = JSON.parse((await get('/api/intel/clusters?top=1')).text);
    expect(clusters.clusters[0]).toMatchObject({ rank: 1, score: 13 });
    const md = await get('/api/intel/entities/c-alpha/dossier?format=md');
    expect(md.status).toBe(200);
    expect(md.type).toContain('text/markdown');
    expect(md.text).toMatch(/^# Dossier: Alpha Compute Sdn Bhd\n/);
    expect(md.text).toContain(
      '- 2024-03-01 — relation: Directorship begins: Lim Wei → Alpha Compute Sdn Bhd (director) [',
    );
  });

  it('answers bad input with a 4xx problem naming the field, never a 5xx', async () => {
    const cases: [string, number, RegExp][] = [
      ['/api/intel/entities/c-alpha/network?hops=7', 400, /hops/],
      ['/api/intel/entities/c-alpha/network?limit=0', 400, /limit/],
      ['/api/intel/entities/c-alpha/network?depth=2', 400, /depth/],
      ['/api/intel/entities/nobody/network', 404, /no entity with id or name .*nobody/],
      ['/api/intel/path?from=c-alpha', 400, /to/],
      ['/api/intel/path?from=c-alpha&to=c-alpha', 400, /different entities/],
      ['/api/intel/path?from=c-alpha&to=c-eps&weighted=maybe', 400, /weighted/],
      ['/api/intel/clusters?top=abc', 400, /top/],
      ['/api/intel/entities/c-alpha/dossier?format=pdf', 400, /format/],
    ];
    for (const [url, status, message] of cases) {
      const res = await call('analyst', url);
      expect(res.statusCode, url).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(res.json()), url).toMatch(message);
    }
  });
});
