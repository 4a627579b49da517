// POST /api/estimate with named inputs: a model with observe(...) gives the posterior, the same numbers inline
// and on the worker thread as in the library; an analyst's request reads the evidence for the inputs it lacks,
// other roles' requests do not; a missing input is a problem+json 400 at its line and column.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openDb, type Db } from '../../src/db/index.js';
import { buildApp } from '../../src/app/server.js';
import { createApiKey } from '../../src/accounts/index.js';
import { runEstimate } from '../../src/estimate/engine/run.js';
import { loadModel } from '../../src/estimate/models.js';
import { insertEvidence } from '../../src/intel/evidence/store.js';
import type { EvidenceItem } from '../../src/intel/evidence/model.js';

const SEIZURE: EvidenceItem = {
  id: 'SZ-HTTP-1',
  category: 'case',
  kind: 'seizure',
  title: 'Customs seize H100s',
  date: '2024-03-01',
  datePrecision: 'month',
  jurisdiction: ['US'],
  route: { from: [], via: [], to: ['CN'] },
  country: null,
  place: null,
  chipModel: 'NVIDIA H100',
  quantity: 800,
  quantityUnit: 'gpu',
  gpus: 800,
  h100e: 800,
  valueUsd: null,
  parties: [],
  outcome: null,
  confidence: 'reported',
  source: { title: 'A press release', publisher: null, date: null, url: 'https://example.test/pr' },
  reportSection: null,
  serials: [],
  attributes: {},
};

describe('POST /api/estimate with inputs', () => {
  let db: Db;
  let app: FastifyInstance;
  let auth: { authorization: string };
  let filer: { authorization: string };
  beforeAll(async () => {
    db = await openDb({});
    app = await buildApp({ db });
    auth = { authorization: `Bearer ${(await createApiKey(db, { role: 'analyst' })).key}` };
    filer = { authorization: `Bearer ${(await createApiKey(db, { role: 'filer' })).key}` };
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });
  const post = (payload: object, headers = auth) =>
    app.inject({ method: 'POST', url: '/api/estimate', payload, headers });

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
  it('reads the evidence for an analyst’s missing inputs, never for a filer', async () => {
    await db.transaction((tx) => insertEvidence(tx, [{ item: SEIZURE }], new Date('2026-01-05T00:00:00Z')));
    const analyst = await post({ model: 'smuggling-evidence', samples: 5000 });
    expect(analyst.statusCode).toBe(200);
    expect(analyst.json().inputs).toEqual({ seized_gpus_2024: 800 });
    const given = await post({ model: 'smuggling-evidence', samples: 5000, inputs: { seized_gpus_2024: 5 } });
    expect(given.json().inputs).toEqual({ seized_gpus_2024: 5 });
    const denied = await post({ model: 'smuggling-evidence', samples: 5000 }, filer);
    expect(denied.statusCode).toBe(400);
    expect(denied.json().detail).toMatch(/input seized_gpus_2024 has no value/);
    const allowed = await post(
      { model: 'smuggling-evidence', samples: 5000, inputs: { seized_gpus_2024: 800 } },
      filer,
    );
    expect(allowed.json()).toEqual(analyst.json());
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
