// The screening and diligence API in-process: roles, validation (problem+json 4xx), batch order,
// the case workflow over HTTP and organisation scoping.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openDb, type Db } from '../../src/db/index.js';
import { buildApp } from '../../src/app/server.js';
import { createApiKey, ensureOrganisation } from '../../src/accounts/index.js';
import { setScreeningService } from '../../src/screening/http.js';
import { ScreeningService } from '../../src/screening/service.js';
import { loadListFiles } from '../../src/screening/lists/load.js';
import { prepareSet } from '../../src/screening/lists/snapshot.js';
import { DATA_DIR } from '../../src/paths.js';
import { cslExtract } from './shared-data.js';

describe('screening API', () => {
  let db: Db;
  let app: FastifyInstance;
  const keys: Record<string, string> = {};
  const now = new Date('2026-03-02T10:00:00Z');
  const call = (role: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    app.inject({ method, url, payload: payload as object, headers: { authorization: `Bearer ${keys[role]}` } });

  beforeAll(async () => {
    db = await openDb({});
    // A small real extract keeps the test fast; the full lists are exercised in match.test.ts.
    const set = loadListFiles([
      {
        name: 'csl.csv',
        text: cslExtract(['Albin Technologies', 'Huawei Technologies Co., Ltd.', 'BANCO NACIONAL DE CUBA']),
      },
    ]);
    setScreeningService({ db }, new ScreeningService(db, { dataDir: DATA_DIR, fallback: prepareSet(set, 'test') }));
    app = await buildApp({ db, now: () => now });
    const org = await ensureOrganisation(db, 'Chipmaker Inc');
    const other = await ensureOrganisation(db, 'Distributor Ltd');
    keys.compliance = (await createApiKey(db, { role: 'compliance', organisationId: org })).key;
    keys.otherCompliance = (await createApiKey(db, { role: 'compliance', organisationId: other })).key;
    keys.regulator = (await createApiKey(db, { role: 'regulator' })).key;
    keys.filer = (await createApiKey(db, { role: 'filer', organisationId: org })).key;
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it('screens one party with the documented shape', async () => {
    const res = await call('compliance', 'POST', '/api/screen', {
      name: 'Albin Technologies Sdn. Bhd.',
      country: 'MY',
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.query).toEqual({ name: 'Albin Technologies Sdn. Bhd.', country: 'MY' });
    expect(body.decision).toBe('match');
    expect(Object.keys(body.matches[0]).sort()).toEqual([
      'aliases',
      'entryId',
      'explanation',
      'list',
      'matchedName',
      'name',
      'score',
    ]);
    // Every scored name of the entry, with its own score and matched words (issue 15, Must 5).
    const alias = body.matches[0].aliases[0];
    expect(alias).toMatchObject({ name: expect.any(String), alias: expect.any(Boolean), score: expect.any(Number) });
    expect(alias.words).toContainEqual({ query: 'albin', listed: 'albin', how: 'exact', similarity: 1 });
  });

  it('screens a batch in input order', async () => {
    const res = await call('regulator', 'POST', '/api/screen', {
      parties: [{ name: 'Nobody Special Ltd' }, { name: 'National Bank of Cuba' }, { name: 'Albin Technolgies' }],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().results.map((r: { decision: string }) => r.decision)).toEqual(['clear', 'match', 'match']);
  });

  it('answers bad input with problem+json 4xx, never 5xx', async () => {
    for (const payload of [{}, { name: '' }, { name: 'x'.repeat(501) }, { name: 'x', extra: 1 }, { parties: [] }]) {
      const res = await call('compliance', 'POST', '/api/screen', payload);
      expect(res.statusCode, JSON.stringify(payload).slice(0, 40)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const badCountry = await call('compliance', 'POST', '/api/screen', {
      parties: [{ name: 'a' }, { name: 'b', country: 'Atlantis' }],
    });
    expect(badCountry.statusCode).toBe(400);
    expect(badCountry.json()).toMatchObject({ row: 2, field: 'country' });
  });

  it('enforces roles', async () => {
    expect((await app.inject({ method: 'POST', url: '/api/screen', payload: { name: 'x' } })).statusCode).toBe(401);
    expect((await call('filer', 'POST', '/api/screen', { name: 'x' })).statusCode).toBe(403);
    expect((await call('regulator', 'POST', '/api/cases', { profile: { customer: { name: 'x' } } })).statusCode).toBe(
      403,
    );
  });

  it('runs a case through the workflow, with an audit trail regulators can read', async () => {
    const opened = await call('compliance', 'POST', '/api/cases', {
      subjectKind: 'order',
      subjectRef: 'PO-77',
      profile: {
        customer: { name: 'Bright Future Trading', country: 'MY', webPresence: 'none', isFirstOrder: true },
        order: { quantity: 256, consigneeName: 'Albin Technologies', shipToCountry: 'MY', endUse: 'AI research' },
      },
    });
    expect(opened.statusCode).toBe(201);
    const { case: c, assessment } = opened.json();
    expect(assessment.suggestedRisk).toBe('high');
    expect(assessment.flags.map((f: { id: string }) => f.id)).toEqual(
      expect.arrayContaining(['listed-party', 'transshipment-hub', 'first-time-large-volume', 'minimal-web-presence']),
    );
    const act = (body: unknown) => call('compliance', 'POST', `/api/cases/${c.id}/actions`, body);
    expect(
      (await act({ action: 'assess', risk: 'high', reason: 'consignee is on the Entity List' })).json().case.state,
    ).toBe('enhanced-vetting');
    const refused = await act({ action: 'ship', reason: 'too early' });
    expect(refused.statusCode).toBe(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect((await act({ action: 'decide', decision: 'cancel', reason: 'x' })).statusCode).toBe(409);
    expect((await act({ action: 'assess', risk: 'high' })).statusCode).toBe(400); // no reason
    const view = await call('regulator', 'GET', `/api/cases/${c.id}`);
    expect(view.statusCode).toBe(200);
    expect(view.json().events.map((e: { action: string; actor: string }) => e.action)).toEqual(['open', 'assess']);
    expect(view.json().events[1].actor).toMatch(/^key:\d+\/compliance$/);
    // Another organisation's compliance officer does not see it.
    expect((await call('otherCompliance', 'GET', `/api/cases/${c.id}`)).statusCode).toBe(404);
    expect((await call('otherCompliance', 'GET', '/api/cases')).json().cases).toEqual([]);
    expect((await call('compliance', 'GET', '/api/cases?state=enhanced-vetting')).json().cases).toHaveLength(1);
  });

  it('evaluates red flags and lists the rules with citations', async () => {
    const res = await call('compliance', 'POST', '/api/redflags', {
      customer: { name: 'X', addressType: 'residential' },
      order: { quantity: 64, consigneeType: 'freight-forwarder', endUse: 'x' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().flags.map((f: { id: string }) => f.id)).toEqual(['residential-address', 'forwarder-consignee']);
    const rules = await call('regulator', 'GET', '/api/redflags/rules');
    expect(rules.json().rules.every((r: { citation: string }) => r.citation.length > 0)).toBe(true);
    const bad = await call('compliance', 'POST', '/api/redflags', { customer: { name: 'X', country: 'Chinaa' } });
    expect(bad.statusCode).toBe(400);
  });

  it('reports the active list set', async () => {
    const res = await call('compliance', 'GET', '/api/screen/lists');
    expect(res.json().active).toMatchObject({ version: 'shipped', entries: expect.any(Number) });
  });
});
