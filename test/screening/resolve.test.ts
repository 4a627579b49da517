// `resolve`: a review hit recorded as a false positive, the way users meet it — over real HTTP against a
// started server (both databases) and through the built bin with API key files. Only a compliance-lead
// who neither opened nor assessed the case may resolve; only a review (never a match) can be resolved;
// the resolution and who made it are in the audit trail, and the case can then be approved and shipped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../src/db/index.js';
import { buildApp } from '../../src/app/server.js';
import { createApiKey, ensureOrganisation } from '../../src/accounts/index.js';
import { setScreeningService } from '../../src/screening/http.js';
import { ScreeningService } from '../../src/screening/service.js';
import { DEFAULT_CONFIG } from '../../src/screening/match/screen.js';
import { loadListFiles } from '../../src/screening/lists/load.js';
import { prepareSet } from '../../src/screening/lists/snapshot.js';
import { DATA_DIR } from '../../src/paths.js';
import { cslExtract } from './shared-data.js';
import { backends } from '../helpers/db.js';
import { apiCaller } from '../helpers/api-caller.js';
import { type KeyedBin, keyedBin } from './keyed-bin.js';

/** A misspelt listed name: a review under the bands below (the matcher's tuning is not what is tested). */
const NEAR = { customer: { name: 'Albyn Technologies', country: 'MY' }, order: { endUse: 'AI research' } };
const LISTED = { customer: { name: 'Albin Technologies Sdn Bhd', country: 'MY' }, order: { endUse: 'AI research' } };

describe.each(backends)('resolving a review hit as a false positive over HTTP ($name)', (backend) => {
  let db: Db;
  let app: FastifyInstance;
  let base = '';
  const keys: Record<string, string> = {};
  const ids: Record<string, number> = {};
  const call = apiCaller(() => base, keys);
  const act = (who: string, id: number, body: unknown) => call(who, 'POST', `/api/cases/${id}/actions`, body);

  beforeAll(async () => {
    db = await backend.open();
    const set = loadListFiles([{ name: 'csl.csv', text: cslExtract(['Albin Technologies']) }]);
    const config = { ...DEFAULT_CONFIG, bands: { review: 0.8, match: 0.99 } };
    setScreeningService(
      { db },
      new ScreeningService(db, { dataDir: DATA_DIR, fallback: prepareSet(set, 'test'), config }),
    );
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
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it('lets a second compliance-lead resolve the review, audited, and the case then ships', async () => {
    const opened = await call('lead1', 'POST', '/api/cases', { profile: NEAR });
    expect(opened.status).toBe(201);
    const id = opened.body.case.id;
    expect(opened.body.case.hits).toEqual([expect.objectContaining({ id: 'h1', kind: 'review', role: 'customer' })]);
    expect((await act('officer', id, { action: 'assess', risk: 'low', reason: 'known' })).status).toBe(409);

    const resolve = { action: 'resolve', hit: 'h1', reason: 'a different company: Penang, registered 2019' };
    const officer = await act('officer', id, resolve);
    expect([officer.status, officer.type]).toEqual([403, expect.stringContaining('application/problem+json')]);
    expect(officer.body.detail).toMatch(/only a compliance-lead key may resolve a hold/);
    const own = await act('lead1', id, resolve);
    expect(own.status).toBe(403);
    expect(own.body.detail).toMatch(/opened this case/);
    const unknown = await act('lead2', id, { ...resolve, hit: 'h9' });
    expect([unknown.status, unknown.body.detail]).toEqual([400, expect.stringMatching(/h9/)]);

    const ok = await act('lead2', id, resolve);
    expect(ok.status).toBe(200);
    expect(ok.body.case.hits[0].resolution).toMatchObject({
      how: 'false-positive',
      by: `key:${ids.lead2}/compliance-lead`,
      reason: resolve.reason,
    });
    expect((await act('lead2', id, resolve)).status).not.toBe(200); // resolved once
    expect((await act('officer', id, { action: 'assess', risk: 'low', reason: 'known' })).body.case.state).toBe(
      'approved',
    );
    expect((await act('officer', id, { action: 'ship', reason: 'AWB 9' })).body.case.state).toBe('post-shipment');
    const trail = await call('officer', 'GET', `/api/cases/${id}`);
    expect(trail.body.events.map((e: { action: string; actor: string }) => [e.action, e.actor])).toEqual([
      ['open', `key:${ids.lead1}/compliance-lead`],
      ['resolve', `key:${ids.lead2}/compliance-lead`],
      ['assess', `key:${ids.officer}/compliance`],
      ['ship', `key:${ids.officer}/compliance`],
    ]);
    expect(trail.body.events[1]).toMatchObject({ reason: resolve.reason, data: { hit: { id: 'h1' }, stillOpen: [] } });
  });

  it('refuses to resolve a match as a false positive, naming the override instead', async () => {
    const opened = await call('officer', 'POST', '/api/cases', { profile: LISTED });
    const id = opened.body.case.id;
    expect(opened.body.case.hits[0]).toMatchObject({ id: 'h1', kind: 'match' });
    const r = await act('lead1', id, { action: 'resolve', hit: 'h1', reason: 'looks different' });
    expect([r.status, r.type]).toEqual([409, expect.stringContaining('application/problem+json')]);
    expect(r.body.detail).toMatch(/hit h1 is a match, not a review: .*override --hits h1/);
    expect((await act('officer', id, { action: 'ship', reason: 'AWB 10' })).status).toBe(409);
  });
});

// The built bin (dist/bundle via bin/chipwatch.js) with the shipped lists, acting as API keys.
describe('resolving a review hit through the built bin', () => {
  let dir = '';
  let cw: KeyedBin['cw'];
  let key: KeyedBin['key'];
  beforeAll(() => {
    ({ dir, cw, key } = keyedBin('cw-resolve-'));
    key('compliance', 'officer.key');
    key('compliance-lead', 'lead.key');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('records a compliance-lead resolution of a review hit, and the case then ships', () => {
    // A near name that the shipped lists score as a review (picked by the bin itself, so the matcher's
    // tuning can move without making this test about it).
    const candidates = ['Albin Sdn Bhd', 'Albin Technologies Holdings Group', 'Albyn Technologies', 'Albin Tech Sdn'];
    const review = candidates.find((n) => {
      const r = cw('screen', n, '--country', 'MY', '--json');
      return r.code === 0 && JSON.parse(r.out).decision === 'review';
    });
    expect(review, `one of ${candidates.join(', ')} screens as a review`).toBeDefined();
    writeFileSync(join(dir, 'near.json'), JSON.stringify({ ...NEAR, customer: { ...NEAR.customer, name: review } }));
    const opened = cw('cases', 'open', 'near.json', '--key-file', 'officer.key');
    expect(opened.code, opened.err).toBe(0);
    expect(opened.out).toMatch(/hit h1 review\s+customer .* — OPEN/);
    const args = ['cases', 'act', '1', 'resolve', '--hit', 'h1', '--reason', 'different company'];
    const officer = cw(...args, '--key-file', 'officer.key');
    expect(officer.code).toBe(1);
    expect(officer.err.trim()).toMatch(
      /^chipwatch: field action: only a compliance-lead key may resolve a hold \(this is key:\d+\/compliance\)$/,
    );
    const ok = cw(...args, '--key-file', 'lead.key');
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/hit h1 review .* — false positive by key:\d+\/compliance-lead: "different company"/);
    const low = ['cases', 'act', '1', 'assess', '--risk', 'low', '--reason', 'checked', '--key-file', 'officer.key'];
    expect(cw(...low).code).toBe(0);
    expect(cw('cases', 'act', '1', 'ship', '--reason', 'AWB 1', '--key-file', 'officer.key').out).toMatch(
      /post-shipment/,
    );
    const shown = JSON.parse(cw('cases', 'show', '1', '--json').out);
    expect(shown.events.map((e: { action: string }) => e.action)).toEqual(['open', 'resolve', 'assess', 'ship']);
    expect(shown.events[1]).toMatchObject({ actor: 'key:2/compliance-lead', reason: 'different company' });
  }, 180_000);
});
