// Inputs a fuzzer found to turn into 500s or non-problem answers: NUL characters and unpaired
// surrogates, ids beyond 2^53, malformed URL escapes and over-long parameters, deeply nested models,
// overflowing summaries and oversized model work. Each must be a 4xx problem+json naming the cause.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openDb, type Db } from '../../src/db/index.js';
import { buildApp } from '../../src/app/server.js';
import { createApiKey, ensureOrganisation } from '../../src/accounts/index.js';

describe('API robustness', () => {
  let db: Db;
  let app: FastifyInstance;
  let admin: string, compliance: string, analyst: string;
  beforeAll(async () => {
    db = await openDb({});
    app = await buildApp({ db });
    admin = (await createApiKey(db, { role: 'admin' })).key;
    compliance = (
      await createApiKey(db, { role: 'compliance', organisationId: await ensureOrganisation(db, 'Fuzz Co'), label: '' })
    ).key;
    analyst = (await createApiKey(db, { role: 'analyst' })).key;
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });
  const call = (key: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload ? { payload } : {}) });
  const expectProblem = (
    res: { statusCode: number; headers: Record<string, unknown>; json: () => Record<string, unknown> },
    status: number,
    detail: RegExp,
  ) => {
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(String(res.json().detail)).toMatch(detail);
  };

  it('rejects NUL characters and unpaired surrogates in paths, queries and bodies', async () => {
    expectProblem(
      await call(admin, 'GET', '/api/registry/chips/%00'),
      400,
      /params\.serial: text must not contain NUL/,
    );
    expectProblem(await call(admin, 'GET', '/api/registry/parties?name=a%00'), 400, /querystring\.name/);
    expectProblem(
      await call(compliance, 'POST', '/api/cases', {
        subjectKind: 'order',
        subjectRef: 'x\u0000',
        profile: { customer: { name: 'A' } },
      }),
      400,
      /body\.subjectRef/,
    );
    expectProblem(
      await call(compliance, 'POST', '/api/cases', { subjectKind: 'order', profile: { customer: { name: '\ud800' } } }),
      400,
      /body\.profile\.customer\.name/,
    );
    // Well-formed text outside the BMP is fine.
    expect(
      (
        await call(compliance, 'POST', '/api/cases', {
          subjectKind: 'order',
          profile: { customer: { name: 'Chip 🚀 Co' } },
        })
      ).statusCode,
    ).toBe(201);
  });

  it('rejects ids beyond 2^53 and answers bad URLs with problem+json', async () => {
    expectProblem(await call(admin, 'GET', '/api/cases/18446744073709551616'), 400, /id/);
    const badEscape = await call(admin, 'GET', '/api/registry/chips/%ZZ');
    expect(badEscape.statusCode).toBe(400);
    expect(badEscape.headers['content-type']).toContain('application/problem+json');
    const long = await call(admin, 'GET', `/api/registry/chips/${'A'.repeat(5000)}`);
    expect(long.statusCode).toBeGreaterThanOrEqual(400);
    expect(long.statusCode).toBeLessThan(500);
    expect(long.headers['content-type']).toContain('application/problem+json');
    expect(long.body.length).toBeLessThan(2000); // the URL is not echoed in full
  });

  it('answers hostile models with 400s, not stack overflows or nulls', async () => {
    const estimate = (source: string, samples = 100) => call(analyst, 'POST', '/api/estimate', { source, samples });
    expectProblem(
      await estimate(`x = ${'('.repeat(3000)}1${')'.repeat(3000)}\n{x}`),
      400,
      /nests more than 200 levels/,
    );
    expectProblem(await estimate(`x = ${'-'.repeat(8000)}1\n{x}`), 400, /nests more than 200 levels/);
    expectProblem(await estimate(`x = 1${' + 1'.repeat(8000)}\n{x}`), 400, /more than 1000 operations deep/);
    expectProblem(
      await estimate(`x = ${'max('.repeat(2000)}1${')'.repeat(2000)}\n{x}`),
      400,
      /nests more than 200 levels/,
    );
    expectProblem(await estimate('x = uniform(1e200, 1e300)\n{x}', 1000), 400, /sd overflows double precision/);
    const wide = Array.from({ length: 1000 }, (_, i) => `v${i} = 1 to 2`).join('\n') + '\n{v0}';
    expectProblem(await estimate(wide, 1_000_000), 400, /too large to run 1,000,000 samples/);
  });
});
