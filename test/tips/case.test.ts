// The case flow of a tip (issue 16, Must 5-6): the state machine, deadlines and links (pure), and on the
// database (PGlite, and PostgreSQL when DATABASE_URL is set): events written with their effect in one
// transaction, an append-only audit trail, award decisions, and HTTP routes only investigators may use.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/accounts/store.js';
import { buildApp } from '../../src/app/server.js';
import type { Db } from '../../src/db/index.js';
import { computeAward } from '../../src/tips/award.js';
import { checkLink, checkTransition, deadlineOf } from '../../src/tips/case-flow.js';
import { caseOf, changeStatus, dueTips, investigatorActor, linkTip, recordAward } from '../../src/tips/cases.js';
import { generateKeyPair } from '../../src/tips/keys.js';
import { addRecipient, readTips, submitTip } from '../../src/tips/service.js';
import { loadSodium } from '../../src/tips/sodium.js';
import { backends } from '../helpers/db.js';

const DAY = '2026-12-01';

describe('the case flow (pure)', () => {
  it('allows only the transitions of the flow, each with its reason', () => {
    expect(checkTransition('received', { to: 'triaged', reason: 'credible' })).toEqual({
      from: 'received',
      to: 'triaged',
      reason: 'credible',
    });
    expect(() => checkTransition('received', { to: 'referred', reason: 'x' })).toThrow(
      'a tip that is received cannot become referred (allowed: triaged, closed)',
    );
    expect(() => checkTransition('received', { to: 'triaged', reason: '  ' })).toThrow('needs a reason');
    expect(() => checkTransition('triaged', { to: 'closed', reason: 'x' })).toThrow('--close-reason');
    expect(() => checkTransition('triaged', { to: 'closed', reason: 'x', closeReason: 'bored' })).toThrow(
      '--close-reason',
    );
    expect(checkTransition('triaged', { to: 'closed', reason: 'x', closeReason: 'duplicate' }).closeReason).toBe(
      'duplicate',
    );
    expect(() => checkTransition('investigating', { to: 'referred', reason: 'x' })).toThrow('--referred-to');
    expect(() => checkTransition('triaged', { to: 'investigating', reason: 'x', referredTo: 'FBI' })).toThrow(
      '--referred-to applies',
    );
    expect(() => checkTransition('received', { to: 'nonsense' as never, reason: 'x' })).toThrow('--to must be');
  });

  it('computes deadlines and marks overdue ones', () => {
    expect(deadlineOf('received', '2026-12-01', '2026-12-15')).toMatchObject({ due: '2026-12-15', overdue: false });
    expect(deadlineOf('received', '2026-12-01', '2026-12-18')).toMatchObject({ overdue: true, daysOverdue: 3 });
    expect(deadlineOf('investigating', '2026-01-01', '2026-01-02')?.due).toBe('2026-04-01');
    expect(deadlineOf('closed', '2026-01-01', '2026-01-02')).toBeNull();
  });

  it('validates links', () => {
    expect(checkLink({ serial: 'GPU-0001/A' })).toEqual({ serial: 'GPU-0001/A' });
    expect(() => checkLink({ serial: 'bad serial' })).toThrow('a serial is');
    expect(() => checkLink({ entity: '' })).toThrow('an entity id is');
    expect(() => checkLink({})).toThrow('--serial or --entity');
    expect(() => checkLink({ serial: 'a', entity: 'b' })).toThrow('--serial or --entity');
  });
});

describe.each(backends)('tip cases on $name', (backend) => {
  let db: Db;
  let app: FastifyInstance;
  let tipId: string;
  const investigator = generateKeyPair;
  let actor: string;
  let keys: { investigator: string; admin: string };
  const call = (method: 'GET' | 'POST', url: string, key: string, payload?: object) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, payload });

  beforeAll(async () => {
    await loadSodium();
    db = await backend.open();
    const kp = investigator();
    await addRecipient(db, 'alice', kp.publicKey, DAY);
    await submitTip(db, 'a tip', [], DAY);
    tipId = (await readTips(db, kp))[0].id;
    actor = await investigatorActor(db, kp.publicKey);
    app = await buildApp({ db, rateLimitPerMinute: 100_000 });
    keys = {
      investigator: (await createApiKey(db, { role: 'investigator' })).key,
      admin: (await createApiKey(db, { role: 'admin' })).key,
    };
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('refuses a key that is not a current recipient as actor', async () => {
    await expect(investigatorActor(db, generateKeyPair().publicKey)).rejects.toThrow('not a current investigator');
  });

  it('records status changes, links and awards as events, and shows them in the case', async () => {
    expect((await caseOf(db, tipId, '2026-12-20')).deadline).toMatchObject({
      status: 'received',
      due: '2026-12-15',
      overdue: true,
    });
    expect((await dueTips(db, '2026-12-20')).map((d) => d.tipId)).toEqual([tipId]);
    await changeStatus(db, tipId, { to: 'triaged', reason: 'credible' }, actor, '2026-12-05');
    await changeStatus(db, tipId, { to: 'investigating', reason: 'open' }, actor, '2026-12-06');
    await linkTip(db, tipId, { serial: 'SN-123' }, actor, '2026-12-06');
    await linkTip(db, tipId, { entity: 'ent:acme-hk' }, actor, '2026-12-06');
    await expect(linkTip(db, tipId, { serial: 'SN-123' }, actor, '2026-12-06')).rejects.toThrow('already linked');
    await changeStatus(db, tipId, { to: 'referred', reason: 'to OEE', referredTo: 'BIS-OEE' }, actor, '2026-12-07');
    const award = computeAward('sec', 2_000_000_00n);
    await expect(recordAward(db, tipId, award, 50, 'too much', actor, '2026-12-08')).rejects.toThrow(
      'outside the range',
    );
    await recordAward(db, tipId, award, 20, 'timely and specific', actor, '2026-12-08');
    const c = await caseOf(db, tipId, '2026-12-09');
    expect(c.status).toBe('referred');
    expect(c.deadline).toMatchObject({ since: '2026-12-07', due: '2027-03-07', overdue: false });
    expect(c.links).toEqual([{ serial: 'SN-123' }, { entity: 'ent:acme-hk' }]);
    expect(c.awards).toEqual([
      expect.objectContaining({ programme: 'sec', percent: 20, decidedUSD: 400_000, minUSD: 200_000, maxUSD: 600_000 }),
    ]);
    expect(c.history.map((e) => e.kind)).toEqual(['status', 'status', 'link', 'link', 'status', 'award']);
    expect(c.history[0]).toMatchObject({ on: '2026-12-05', actor, detail: { from: 'received', to: 'triaged' } });
  });

  it('writes nothing when a change is refused, and the trail is append-only', async () => {
    const count = async () => Number((await db.query<{ n: string }>('select count(*) as n from tip_case_events'))[0].n);
    const before = await count();
    await expect(changeStatus(db, tipId, { to: 'received', reason: 'x' }, actor, DAY)).rejects.toThrow(
      'cannot become received',
    );
    await expect(changeStatus(db, 'tip-0000000000000000', { to: 'triaged', reason: 'x' }, actor, DAY)).rejects.toThrow(
      'no tip',
    );
    expect(await count()).toBe(before);
    expect((await caseOf(db, tipId, DAY)).status).toBe('referred');
    await expect(db.query('update tip_case_events set actor = $1', ['someone'])).rejects.toThrow('append-only');
    await expect(db.query('delete from tip_case_events')).rejects.toThrow('append-only');
  });

  it('serves the case routes to investigators only, not even to an admin', async () => {
    for (const [m, url] of [
      ['GET', `/api/tips/${tipId}/case`],
      ['GET', '/api/tips/due'],
      ['POST', `/api/tips/${tipId}/status`],
      ['POST', `/api/tips/${tipId}/links`],
    ] as const) {
      const r = await call(m, url, keys.admin, m === 'POST' ? { to: 'closed', reason: 'x' } : undefined);
      expect(r.statusCode, url).toBe(403);
      expect((await app.inject({ method: m, url })).statusCode, url).toBe(401);
    }
    const bad = await call('POST', `/api/tips/${tipId}/status`, keys.investigator, { to: 'closed', reason: 'done' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toContain('--close-reason');
    const ok = await call('POST', `/api/tips/${tipId}/status`, keys.investigator, {
      to: 'closed',
      reason: 'done',
      closeReason: 'referred-and-resolved',
    });
    expect(ok.statusCode).toBe(201);
    const link = await call('POST', `/api/tips/${tipId}/links`, keys.investigator, { serial: 'bad serial' });
    expect(link.statusCode).toBe(400);
    const c = (await call('GET', `/api/tips/${tipId}/case`, keys.investigator)).json();
    expect(c).toMatchObject({ status: 'closed', deadline: null });
    expect(c.history.at(-1).actor).toMatch(/^api-key \d+$/);
    expect((await call('GET', '/api/tips/due', keys.investigator)).json()).toEqual([]);
  });
});
