// POST /api/estimate with named inputs: a model with observe(...) gives the posterior, the same numbers inline
// and on the worker thread as in the library; a missing input is a problem+json 400 at its line and column.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openDb, type Db } from '../../src/db/index.js';
import { buildApp } from '../../src/app/server.js';
import { createApiKey } from '../../src/accounts/index.js';
import { runEstimate } from '../../src/estimate/engine/run.js';
import { loadModel } from '../../src/estimate/models.js';

describe('POST /api/estimate with inputs', () => {
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
  const post = (payload: object) => app.inject({ method: 'POST', url: '/api/estimate', payload, headers: auth });

  it('runs smuggling-evidence with the inputs given, inline and on the worker, as the library does', async () => {
    const { source } = loadModel('smuggling-evidence');
    for (const samples of [20_000, 60_000]) {
      const res = await post({ model: 'smuggling-evidence', samples, inputs: { seized_gpus_2024: 2400 } });
      expect(res.statusCode).toBe(200);
      const lib = runEstimate({ model: 'smuggling-evidence', source, samples, inputs: { seized_gpus_2024: 2400 } });
      expect(res.json()).toEqual(JSON.parse(JSON.stringify(lib.result)));
      expect(res.json().inputs).toEqual({ seized_gpus_2024: 2400 });
      expect(res.json().posterior.effectiveSamples).toBeGreaterThan(samples / 10);
    }
  });
  it('answers a missing input with problem+json at its line and column', async () => {
    const res = await post({ source: 'a = 1 to 2\nb = a * input("seized")\n{b}', samples: 1000 });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ line: 2, column: 9 });
    expect(res.json().detail).toMatch(/input seized has no value/);
  });
  it('refuses inputs that are not numbers, naming the field', async () => {
    const res = await post({ model: 'smuggling-evidence', inputs: { seized_gpus_2024: 'many' } });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json())).toMatch(/inputs/);
  });
});
