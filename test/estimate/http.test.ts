// POST /api/estimate in-process: same JSON as the CLI, limits, problem+json with line and column.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openDb, type Db } from '../../src/db/index.js';
import { buildApp } from '../../src/app/server.js';
import { createApiKey } from '../../src/accounts/index.js';

describe('POST /api/estimate', () => {
  let db: Db;
  let app: FastifyInstance;
  let auth: { authorization: string };
  beforeAll(async () => {
    db = await openDb({});
    app = await buildApp({ db });
    auth = { authorization: `Bearer ${(await createApiKey(db, { role: 'analyst' })).key}` };
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });
  const post = (payload: unknown, headers: Record<string, string> = auth) =>
    app.inject({ method: 'POST', url: '/api/estimate', payload: payload as object, headers });

  it('runs a bundled model with thresholds', async () => {
    const res = await post({ model: 'smuggling-2024', samples: 20000, seed: 2, thresholds: { smuggled: 100000 } });
    expect(res.statusCode).toBe(200);
    const j = res.json();
    expect(j).toMatchObject({ model: 'smuggling-2024', samples: 20000, seed: 2 });
    expect(j.outputs.smuggled.pAbove['100000']).toBeGreaterThan(0.5);
    expect(j.sensitivity).toBeUndefined();
  });
  it('gives the same numbers as the library for the same seed', async () => {
    const { runEstimate } = await import('../../src/estimate/engine/run.js');
    const { loadModel } = await import('../../src/estimate/models.js');
    const lib = runEstimate({
      model: 'enforcement-2026',
      source: loadModel('enforcement-2026').source,
      samples: 5000,
      seed: 5,
    }).result;
    const res = await post({ model: 'enforcement-2026', samples: 5000, seed: 5 });
    expect(res.json()).toEqual(lib);
  });
  it('runs large requests on its worker thread: same numbers, errors with positions, event loop free', async () => {
    const { runEstimate } = await import('../../src/estimate/engine/run.js');
    const { loadModel } = await import('../../src/estimate/models.js');
    const lib = runEstimate({
      model: 'smuggling-2024',
      source: loadModel('smuggling-2024').source,
      samples: 300_000,
      seed: 4,
    }).result;
    expect((await post({ model: 'smuggling-2024', samples: 300_000, seed: 4 })).json()).toEqual(lib);
    const bad = await post({ source: 'a = 1 to 10\nb = a * nope\n{b}', samples: 200_000 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ line: 2, column: 9 });
    // While a million-sample run is on the worker, the event loop answers other requests.
    const order: string[] = [];
    const big = post({ model: 'smuggling-2024', samples: 1_000_000 }).then((r) => {
      order.push('estimate');
      return r;
    });
    const health = app.inject({ method: 'GET', url: '/healthz' }).then((r) => {
      order.push('healthz');
      return r;
    });
    const [b, h] = await Promise.all([big, health]);
    expect([b.statusCode, h.statusCode]).toEqual([200, 200]);
    expect(order).toEqual(['healthz', 'estimate']);
  });
  it('runs submitted source with overrides and sensitivity', async () => {
    const res = await post({
      source: 'a = 1 to 10\nb = normal(0, 1)\nc = a + b\n{c}',
      samples: 5000,
      set: { b: '0' },
      sensitivity: true,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().sensitivity.c[0].input).toBe('a');
  });
  it('names the `set` or `thresholds` field at fault, not a line of the model, inline or on the worker', async () => {
    const problem = async (payload: object) => {
      const res = await post({ model: 'smuggling-2024', samples: 1000, ...payload });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      return res.json();
    };
    expect(await problem({ set: { vendors: 'banana' } })).toMatchObject({
      field: 'set.vendors',
      column: 1,
      detail: 'set.vendors: unknown name banana',
    });
    expect(await problem({ set: { vendors: '50 to banana' } })).toMatchObject({ field: 'set.vendors', column: 7 });
    expect(await problem({ set: { vendorz: '3' } })).toMatchObject({
      field: 'set.vendorz',
      detail: 'set.vendorz: the model has no binding named vendorz; did you mean vendors?',
    });
    expect(await problem({ thresholds: { smugled: 5 } })).toMatchObject({ field: 'thresholds.smugled' });
    // Found while sampling on the worker thread (a large run): the field survives the thread boundary.
    const nan = await problem({ samples: 200_000, set: { vendors: 'log(0 - 1)' } });
    expect(nan).toMatchObject({ field: 'set.vendors', detail: expect.stringMatching(/^set\.vendors: vendors is NaN/) });
    expect(nan.line).toBeUndefined();
  });
  it('answers model errors with problem+json carrying line and column', async () => {
    const res = await post({ source: 'x = 5 to 1\n{x}' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({
      status: 400,
      line: 1,
      column: 5,
      detail: expect.stringMatching(/low end must be below/),
    });
  });
  it('enforces limits and validates the body', async () => {
    expect((await post({ model: 'smuggling-2024', samples: 50_000_000 })).statusCode).toBe(400);
    expect((await post({ source: 'x = 1\n'.repeat(50_000) + '{x}' })).statusCode).toBe(400);
    const both = await post({ model: 'smuggling-2024', source: '{a: 1}' });
    expect(both.statusCode).toBe(400);
    expect(both.json().detail).toMatch(/exactly one of model or source/);
    expect((await post({ model: '../etc/passwd' })).statusCode).toBe(400);
    expect((await post({ model: 'nope' })).json().detail).toMatch(/no bundled model named nope/);
    expect((await post({ model: 'smuggling-2024', extra: 1 })).statusCode).toBe(400);
  });
  it('needs an API key, and lists models', async () => {
    expect((await post({ model: 'smuggling-2024' }, {})).statusCode).toBe(401);
    const res = await app.inject({ method: 'GET', url: '/api/estimate/models', headers: auth });
    expect(res.json().map((m: { name: string }) => m.name)).toContain('smuggling-2024');
  });
});
