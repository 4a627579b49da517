// /api/intel entities, candidates and decisions in-process, on both databases: the authorization matrix
// (every route × every role: analysts read and write, regulators read, everyone else refused), and bad input
// answered with a problem+json 4xx naming the field, never a 5xx.
import { join } from 'node:path';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, ROLES } from '../../src/accounts/index.js';
import { buildApp } from '../../src/app/server.js';
import type { Db } from '../../src/db/index.js';
import { importFtmFile } from '../../src/intel/ftm/import.js';
import { backends } from '../helpers/db.js';

type Who = (typeof ROLES)[number] | 'anonymous';
const SAMPLE = join(import.meta.dirname, 'fixtures', 'ftm-sample.jsonl');
const NOW = new Date('2026-05-01T00:00:00Z');

describe.each(backends)('intel entities HTTP API ($name)', (backend) => {
  let db: Db;
  let app: FastifyInstance;
  const keys = {} as Record<Who, string | null>;
  const call = (who: Who, method: 'GET' | 'POST', url: string, body?: unknown) =>
    app.inject({
      method,
      url,
      ...(body === undefined ? {} : { payload: body as object }),
      headers: keys[who] ? { authorization: `Bearer ${keys[who]}` } : {},
    });

  beforeAll(async () => {
    db = await backend.open();
    app = await buildApp({ db, now: () => NOW, rateLimitPerMinute: 100_000 });
    for (const role of ROLES) keys[role] = (await createApiKey(db, { role, organisationId: null })).key;
    keys.anonymous = null;
    await importFtmFile(db, SAMPLE, NOW);
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  const READ = { admin: 200, analyst: 200, regulator: 200 } as const;
  const WRITE = { admin: 201, analyst: 201 } as const;
  let n = 0;
  const routes: { route: string; method: 'GET' | 'POST'; url: string; body?: (who: Who) => unknown; ok: object }[] = [
    { route: 'GET /api/intel/entities', method: 'GET', url: '/api/intel/entities?q=harbour', ok: READ },
    { route: 'GET /api/intel/entities/{id}', method: 'GET', url: '/api/intel/entities/xx-co-0001', ok: READ },
    { route: 'GET /api/intel/candidates', method: 'GET', url: '/api/intel/candidates?entity=xx-co-0001', ok: READ },
    { route: 'GET /api/intel/decisions', method: 'GET', url: '/api/intel/decisions', ok: READ },
    {
      route: 'POST /api/intel/entities',
      method: 'POST',
      url: '/api/intel/entities',
      body: (who) => ({ id: `new-${who}-${++n}`, schema: 'Company', properties: { name: [`Made by ${who}`] } }),
      ok: WRITE,
    },
    {
      route: 'POST /api/intel/decisions',
      method: 'POST',
      url: '/api/intel/decisions',
      body: (who) => ({ a: 'xx-co-0001', b: 'xx-co-0002', judgement: 'unsure', reason: `checked by ${who}` }),
      ok: WRITE,
    },
  ];

  it('answers every route × every role as the rules say', async () => {
    const got: string[] = [];
    const want: string[] = [];
    for (const r of routes)
      for (const who of [...ROLES, 'anonymous'] as Who[]) {
        const res = await call(who, r.method, r.url, r.body?.(who));
        got.push(`${r.route} ${who} ${res.statusCode}`);
        const ok = (r.ok as Record<string, number>)[who];
        want.push(`${r.route} ${who} ${ok ?? (who === 'anonymous' ? 401 : 403)}`);
        if (res.statusCode >= 400) expect(res.headers['content-type']).toContain('application/problem+json');
      }
    expect(got).toEqual(want);
  });

  it('the matrix covers every entities, candidates and decisions route in the OpenAPI document', () => {
    const spec = app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const mine = Object.entries(spec.paths)
      // (network, timeline and dossier routes under /entities/{id}/ are tested with their areas)
      .filter(([p]) => /^\/api\/intel\/(entities(\/\{id\})?|candidates|decisions)$/.test(p))
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(mine.sort()).toEqual(routes.map((r) => r.route).sort());
  });

  it('reads an entity with its links, identifiers and judgements, and records who decided', async () => {
    const res = await call('regulator', 'GET', '/api/intel/entities/xx-co-0002');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.entity.caption).toBe('Bluefin Components Pte. Ltd.');
    expect(body.links.map((l: { id: string }) => l.id).sort()).toEqual(['xx-dir-0002', 'xx-own-0001']);
    expect(body.identifiers).toContainEqual({ kind: 'website', value: 'bluefin.example' });
    expect(body.judgements).toEqual([
      { a: 'xx-co-0001', b: 'xx-co-0002', judgement: 'unsure', decisionId: expect.any(Number) },
    ]);
    const trail = (await call('analyst', 'GET', '/api/intel/decisions')).json().decisions;
    expect(trail[0].actor).toMatch(/^key:\d+$/);
    const reverted = await call('analyst', 'POST', '/api/intel/decisions', { revert: trail[0].id, reason: 'too soon' });
    expect(reverted.statusCode).toBe(201);
    expect(reverted.json()).toMatchObject({ judgement: 'revert', reverts: trail[0].id });
    // An analyst's entity is stored with origin 'analyst'.
    const made = (await call('analyst', 'GET', '/api/intel/entities?origin=analyst')).json().entities;
    expect(made.map((e: { caption: string }) => e.caption)).toContain('Made by analyst');
  });

  it('answers bad input with a 4xx problem naming the field', async () => {
    const cases: [string, 'GET' | 'POST', string, unknown, number, RegExp][] = [
      [
        'unknown schema',
        'POST',
        '/api/intel/entities',
        { id: 'b1', schema: 'Airplane', properties: {} },
        400,
        /schema/,
      ],
      [
        'bad country',
        'POST',
        '/api/intel/entities',
        { id: 'b2', schema: 'Company', properties: { country: ['China'] } },
        400,
        /properties\.country/,
      ],
      [
        'link to nothing',
        'POST',
        '/api/intel/entities',
        { id: 'b3', schema: 'Ownership', properties: { owner: ['xx-co-0001'], asset: ['nobody'] } },
        400,
        /properties\.asset/,
      ],
      [
        'judgement',
        'POST',
        '/api/intel/decisions',
        { a: 'xx-co-0001', b: 'xx-co-0002', judgement: 'merge', reason: 'x' },
        400,
        /judgement|body/,
      ],
      [
        'no entity',
        'POST',
        '/api/intel/decisions',
        { a: 'xx-co-0001', b: 'none', judgement: 'same', reason: 'x' },
        404,
        /b/,
      ],
      ['no decision', 'POST', '/api/intel/decisions', { revert: 999999, reason: 'x' }, 404, /revert/],
      ['unknown entity', 'GET', '/api/intel/entities/nobody', undefined, 404, /id/],
      ['since', 'GET', '/api/intel/candidates?since=yesterday', undefined, 400, /since/],
      ['limit', 'GET', '/api/intel/entities?limit=0', undefined, 400, /limit/],
    ];
    for (const [what, method, url, body, status, field] of cases) {
      const res = await call('analyst', method, url, body);
      expect(`${what} ${res.statusCode}`).toBe(`${what} ${status}`);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const p = res.json();
      expect(JSON.stringify([p.field, p.errors, p.detail]), what).toMatch(field);
    }
    expect((await db.query("select id from intel_entities where id in ('b1', 'b2', 'b3')")).length).toBe(0);
  });

  it('never answers 5xx to arbitrary entity bodies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ id: fc.oneof(fc.string(), fc.integer()), schema: fc.string(), properties: fc.jsonValue() }),
        async (body) => {
          const res = await call('analyst', 'POST', '/api/intel/entities', body);
          expect(res.statusCode).toBeLessThan(500);
        },
      ),
      { numRuns: 60 },
    );
  });
});
