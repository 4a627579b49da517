// Issue 15, Musts 3 and 4, the way users meet them: a case with a listed-party match (or owned 50% by
// listed parties) cannot be assessed low and shipped in two calls; only a second person with the
// compliance-lead role can override, and the audit trail shows it. Over real HTTP against a started
// server, and through the built bin with API key files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../src/db/index.js';
import { buildApp } from '../../src/app/server.js';
import { createApiKey, ensureOrganisation, ROLES } from '../../src/accounts/index.js';
import { setScreeningService } from '../../src/screening/http.js';
import { ScreeningService } from '../../src/screening/service.js';
import { loadListFiles } from '../../src/screening/lists/load.js';
import { prepareSet } from '../../src/screening/lists/snapshot.js';
import { DATA_DIR } from '../../src/paths.js';
import { cslExtract } from './shared-data.js';
import { backends } from '../helpers/db.js';
import { apiCaller } from '../helpers/api-caller.js';
import { type KeyedBin, keyedBin } from './keyed-bin.js';

const HUAWEI = { customer: { name: 'Huawei Technologies Co., Ltd.', country: 'CN' }, order: { endUse: 'AI research' } };

describe.each(backends)('holds and overrides over HTTP ($name)', (backend) => {
  let db: Db;
  let app: FastifyInstance;
  let base = '';
  const keys: Record<string, string> = {};
  const ids: Record<string, number> = {};
  const call = apiCaller(() => base, keys);
  const act = (who: string, id: number, body: unknown) => call(who, 'POST', `/api/cases/${id}/actions`, body);

  beforeAll(async () => {
    db = await backend.open();
    const set = loadListFiles([
      { name: 'csl.csv', text: cslExtract(['Albin Technologies', 'Huawei Technologies Co., Ltd.']) },
    ]);
    setScreeningService({ db }, new ScreeningService(db, { dataDir: DATA_DIR, fallback: prepareSet(set, 'test') }));
    app = await buildApp({ db, now: () => new Date('2026-03-02T10:00:00Z'), rateLimitPerMinute: 100_000 });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    const org = await ensureOrganisation(db, 'Chipmaker Inc');
    for (const [who, role] of [
      ['officer', 'compliance'],
      ['lead1', 'compliance-lead'],
      ['lead2', 'compliance-lead'],
    ] as const) {
      const k = await createApiKey(db, { role, organisationId: org });
      keys[who] = k.key;
      ids[who] = k.id;
    }
    keys.regulator = (await createApiKey(db, { role: 'regulator' })).key;
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it('refuses assess-low-then-ship on an SDN/CMIC match until a second compliance-lead overrides', async () => {
    const opened = await call('officer', 'POST', '/api/cases', { profile: HUAWEI });
    expect(opened.status).toBe(201);
    const id = opened.body.case.id;
    expect(opened.body.assessment.hits).toEqual([
      expect.objectContaining({ id: 'h1', kind: 'match', role: 'customer' }),
    ]);
    expect(opened.body.case.hits).toHaveLength(1);

    // The two-call path of the bug: both refused, with the hit and the way out named.
    const low = await act('officer', id, { action: 'assess', risk: 'low', reason: 'known customer' });
    expect(low.status).toBe(409);
    expect(low.type).toContain('application/problem+json');
    expect(low.body.detail).toMatch(/held by h1 customer "Huawei Technologies Co\., Ltd\." match .*override --hits h1/);
    expect((await act('officer', id, { action: 'ship', reason: 'AWB 1' })).status).toBe(409);

    // The officer cannot override; a lead who assessed the case cannot either.
    const own = await act('officer', id, { action: 'override', hits: ['h1'], reason: 'mine' });
    expect(own.status).toBe(403);
    expect(own.body.detail).toMatch(/only a compliance-lead key may override/);
    expect((await act('lead1', id, { action: 'assess', risk: 'high', reason: 'listed customer' })).status).toBe(200);
    const self = await act('lead1', id, { action: 'override', hits: ['h1'], reason: 'I assessed it myself' });
    expect(self.status).toBe(403);
    expect(self.body.detail).toMatch(new RegExp(`second person: key:${ids.lead1}/compliance-lead assessed`));
    expect((await act('lead2', id, { action: 'override', hits: [], reason: 'x' })).status).toBe(400);

    const ok = await act('lead2', id, { action: 'override', hits: ['h1'], reason: 'BIS licence D123456 covers it' });
    expect(ok.status).toBe(200);
    expect(ok.body.case.hits[0].resolution).toMatchObject({ how: 'override', by: `key:${ids.lead2}/compliance-lead` });

    const trail = await call('regulator', 'GET', `/api/cases/${id}`);
    expect(trail.body.events.map((e: { action: string; actor: string }) => [e.action, e.actor])).toEqual([
      ['open', `key:${ids.officer}/compliance`],
      ['assess', `key:${ids.lead1}/compliance-lead`],
      ['override', `key:${ids.lead2}/compliance-lead`],
    ]);
    expect(trail.body.events[2]).toMatchObject({ reason: 'BIS licence D123456 covers it', data: { stillOpen: [] } });
  });

  it('does not let a compliance-lead override a case they opened', async () => {
    const opened = await call('lead1', 'POST', '/api/cases', { profile: HUAWEI });
    const id = opened.body.case.id;
    const self = await act('lead1', id, { action: 'override', hits: ['h1'], reason: 'my own case' });
    expect(self.status).toBe(403);
    expect(self.body.detail).toMatch(/opened this case/);
    expect((await call('regulator', 'GET', `/api/cases/${id}`)).body.events).toHaveLength(1);
    expect((await act('lead2', id, { action: 'override', hits: ['h1'], reason: 'checked' })).status).toBe(200);
    expect((await act('officer', id, { action: 'assess', risk: 'low', reason: 'licensed' })).body.case.state).toBe(
      'approved',
    );
    expect((await act('officer', id, { action: 'ship', reason: 'AWB 2' })).body.case.state).toBe('post-shipment');
  });

  it('holds a customer two listed owners hold 30% each, with both chains', async () => {
    const opened = await call('officer', 'POST', '/api/cases', {
      profile: {
        customer: {
          name: 'Bright Future Trading Sdn Bhd',
          country: 'MY',
          owners: [
            { name: 'Huawei Technologies Co., Ltd.', share: 30 },
            { name: 'Albin Technologies Sdn Bhd', share: 30 },
            { name: 'Tan Ah Kow', share: 40 },
          ],
        },
        order: { endUse: 'AI research' },
      },
    });
    expect(opened.status).toBe(201);
    const { assessment } = opened.body;
    expect(assessment.ownership).toMatchObject({ verdict: 'listed-by-ownership', listedShare: { low: 60, high: 60 } });
    expect(assessment.ownership.chains).toEqual([
      expect.stringMatching(/^Bright Future Trading Sdn Bhd <- 30% Huawei Technologies Co\., Ltd\. \(/),
      expect.stringMatching(/^Bright Future Trading Sdn Bhd <- 30% Albin Technologies Sdn Bhd \(EL: /),
    ]);
    expect(assessment.hits.map((h: { kind: string }) => h.kind)).toEqual(['match', 'match', 'listed-by-ownership']);
    const low = await act('officer', opened.body.case.id, { action: 'assess', risk: 'low', reason: 'x' });
    expect(low.status).toBe(409);
    expect(low.body.detail).toMatch(/h3 customer "Bright Future Trading Sdn Bhd" listed-by-ownership/);
  });

  it('gives compliance-lead keys what compliance keys have (the roles matrix of the screening routes)', async () => {
    const org = await ensureOrganisation(db, 'Chipmaker Inc');
    const expected: Record<(typeof ROLES)[number], [number, number, number]> = {
      // POST /api/cases, GET /api/cases, POST /api/screen
      admin: [201, 200, 200],
      regulator: [403, 200, 200],
      filer: [403, 403, 403],
      auditor: [403, 403, 403],
      analyst: [403, 403, 200],
      compliance: [201, 200, 200],
      'compliance-lead': [201, 200, 200],
      investigator: [403, 403, 403],
    };
    for (const role of ROLES) {
      keys[`m-${role}`] = (await createApiKey(db, { role, organisationId: org })).key;
      const got = [
        (await call(`m-${role}`, 'POST', '/api/cases', { profile: { customer: { name: 'Acme Widgets GmbH' } } }))
          .status,
        (await call(`m-${role}`, 'GET', '/api/cases')).status,
        (await call(`m-${role}`, 'POST', '/api/screen', { name: 'Acme Widgets GmbH' })).status,
      ];
      expect(got, role).toEqual(expected[role]);
    }
  });

  it('answers bad owners with problem+json naming the field, and keeps its OpenAPI document', async () => {
    const bad = await call('officer', 'POST', '/api/cases', {
      profile: {
        customer: {
          name: 'X',
          owners: [
            { name: 'A', share: 70 },
            { name: 'B', share: 40 },
          ],
        },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.type).toContain('application/problem+json');
    expect(bad.body.detail).toMatch(/owners: the known shares add up to 110%/);
    const spec = await fetch(`${base}/openapi.json`);
    expect(spec.status).toBe(200);
  });
});

// The built bin (dist/bundle via bin/chipwatch.js) with the shipped lists, acting as API keys.
describe('holds and overrides through the built bin', () => {
  let dir = '';
  let cw: KeyedBin['cw'];
  let key: KeyedBin['key'];
  beforeAll(() => {
    ({ dir, cw, key } = keyedBin('cw-override-'));
    writeFileSync(join(dir, 'huawei.json'), JSON.stringify(HUAWEI));
    key('compliance', 'officer.key');
    key('compliance-lead', 'lead1.key');
    key('compliance-lead', 'lead2.key');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('closes the two-call path and records the override of a second compliance-lead', () => {
    const opened = cw('cases', 'open', 'huawei.json', '--key-file', 'lead1.key');
    expect(opened.code, opened.err).toBe(0);
    expect(opened.out).toMatch(/hit h1 match\s+customer "Huawei Technologies Co\., Ltd\."\s+CMIC .* — OPEN/);
    expect(opened.out).toMatch(/held: no approval or shipment until a compliance-lead/);
    const low = cw('cases', 'act', '1', 'assess', '--risk', 'low', '--reason', 'known', '--key-file', 'officer.key');
    expect(low.code).toBe(1);
    expect(low.err).toMatch(/^chipwatch: .*cannot assess low risk .*held by h1/);
    expect(low.err.trim().split('\n')).toHaveLength(1);
    expect(cw('cases', 'act', '1', 'ship', '--reason', 'AWB 1', '--key-file', 'officer.key').code).toBe(1);
    // Neither the officer, nor the local user without a key, nor the lead who opened the case.
    const args = ['cases', 'act', '1', 'override', '--hits', 'h1', '--reason', 'licence D1'];
    expect(cw(...args, '--key-file', 'officer.key').err).toMatch(/only a compliance-lead key may override/);
    expect(cw(...args).err).toMatch(/only a compliance-lead key may override a hold \(this is cli:/);
    const self = cw(...args, '--key-file', 'lead1.key');
    expect(self.code).toBe(1);
    expect(self.err).toMatch(/needs a second person: key:\d+\/compliance-lead opened this case/);
    const ok = cw(...args, '--key-file', 'lead2.key');
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/hit h1 match .* — overridden by key:\d+\/compliance-lead: "licence D1"/);
    expect(
      cw('cases', 'act', '1', 'assess', '--risk', 'low', '--reason', 'licensed', '--key-file', 'officer.key').code,
    ).toBe(0);
    const shipped = cw('cases', 'act', '1', 'ship', '--reason', 'AWB 1', '--key-file', 'officer.key');
    expect(shipped.out).toMatch(/post-shipment/);
    const shown = JSON.parse(cw('cases', 'show', '1', '--json').out);
    expect(shown.events.map((e: { action: string }) => e.action)).toEqual(['open', 'override', 'assess', 'ship']);
    expect(shown.events[1]).toMatchObject({
      actor: expect.stringMatching(/^key:3\/compliance-lead$/),
      reason: 'licence D1',
    });
  }, 120_000);

  it('refuses a key file that is not a valid key, in one line', () => {
    writeFileSync(join(dir, 'bogus.key'), 'cw_aaaaaaaaaaaa_' + 'b'.repeat(43));
    const r = cw('cases', 'act', '1', 'note', '--reason', 'x', '--key-file', 'bogus.key');
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe('chipwatch: bogus.key: not a valid, unrevoked API key of this database');
  }, 60_000);
});
