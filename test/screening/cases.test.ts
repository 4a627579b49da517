// The Figure 9 workflow: pure transitions, then the SQL store on every backend (append-only trail,
// scoping, verifications satisfied by location evidence).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAction, newCase, type CaseView } from '../../src/screening/cases/workflow.js';
import {
  actOnCase,
  caseEvents,
  dueVerifications,
  getCase,
  listCases,
  openCase,
  type Scope,
} from '../../src/screening/cases/store.js';
import { applyLocationEvidence } from '../../src/screening/cases/verify-due.js';
import type { LocationEvidenceSource } from '../../src/screening/cases/location.js';
import { ConflictError, NotFoundError, ValidationError } from '../../src/errors.js';
import { backends } from '../helpers/db.js';
import type { Db } from '../../src/db/index.js';

const T0 = new Date('2026-03-02T09:00:00Z');
const day = (n: number) => new Date(T0.getTime() + n * 86_400_000);
const run = (c: CaseView, ...steps: Parameters<typeof applyAction>[1][]) =>
  steps.reduce((cur, s, i) => applyAction(cur, s, 'officer', day(i)).next, c);

describe('workflow (pure)', () => {
  it('takes a high-risk reseller through vetting, mitigation, shipment and both verifications', () => {
    let c = run(newCase('reseller'), { action: 'assess', risk: 'high', reason: 'first order, MY hub' });
    expect(c.state).toBe('enhanced-vetting');
    expect(() => applyAction(c, { action: 'complete-vetting', reason: 'done' }, 'o', T0)).toThrowError(
      /incomplete: .*reseller-audit/,
    );
    for (const item of [
      'sales-history',
      'key-personnel',
      'operating-history',
      'vouching-parties',
      'site-visit',
      'ear-red-flags',
      'end-use-statement',
    ]) {
      c = applyAction(c, { action: 'check', item, outcome: 'ok', reason: 'checked' }, 'o', T0).next;
    }
    c = applyAction(
      c,
      { action: 'check', item: 'reseller-audit', outcome: 'concern', reason: 'no KYC records' },
      'o',
      T0,
    ).next;
    c = applyAction(c, { action: 'complete-vetting', reason: 'one concern remains' }, 'o', T0).next;
    expect(c.state).toBe('mitigation');
    c = applyAction(c, { action: 'decide', decision: 'hold', reason: 'await KYC records' }, 'o', T0).next;
    expect(c.state).toBe('mitigation');
    expect(() => applyAction(c, { action: 'decide', decision: 'limit-quantity', reason: 'x' }, 'o', T0)).toThrowError(
      /maxQuantity/,
    );
    c = applyAction(
      c,
      { action: 'decide', decision: 'limit-quantity', maxQuantity: 32, reason: 'records partial: ship a first rack' },
      'o',
      T0,
    ).next;
    expect(c).toMatchObject({ state: 'approved', decision: { decision: 'limit-quantity', maxQuantity: 32 } });
    const shipped = applyAction(c, { action: 'ship', shippedAt: T0.toISOString(), reason: 'AWB 123' }, 'o', T0);
    c = shipped.next;
    expect(c.state).toBe('post-shipment');
    expect(c.verifications.map((v) => [v.kind, v.dueAt.slice(0, 10)])).toEqual([
      ['one-week', '2026-03-09'],
      ['six-month', '2026-08-31'],
    ]);
    c = applyAction(
      c,
      {
        action: 'verify',
        kind: 'one-week',
        result: 'passed',
        source: 'inspection',
        ref: 'visit-1',
        observedAt: day(5).toISOString(),
        reason: 'site visit',
      },
      'o',
      day(5),
    ).next;
    expect(c.state).toBe('post-shipment');
    expect(() =>
      applyAction(
        c,
        {
          action: 'verify',
          kind: 'six-month',
          result: 'passed',
          source: 'inspection',
          ref: 'v2',
          observedAt: day(30).toISOString(),
          reason: 'too early',
        },
        'o',
        day(30),
      ),
    ).toThrowError(/on or after 2026-08-01/);
    c = applyAction(
      c,
      {
        action: 'verify',
        kind: 'six-month',
        result: 'passed',
        source: 'inspection',
        ref: 'v2',
        observedAt: day(180).toISOString(),
        reason: 'still in use',
      },
      'o',
      day(180),
    ).next;
    expect(c.state).toBe('closed');
  });

  it('sends a failed verification back to mitigation and refuses out-of-order actions', () => {
    let c = run(newCase(), { action: 'assess', risk: 'low', reason: 'clean' }, { action: 'ship', reason: 'shipped' });
    expect(() => applyAction(c, { action: 'assess', risk: 'high', reason: 'x' }, 'o', T0)).toThrowError(ConflictError);
    c = applyAction(
      c,
      {
        action: 'verify',
        kind: 'one-week',
        result: 'failed',
        source: 'location-verification',
        ref: 'r9',
        reason: 'chips in another country',
      },
      'o',
      day(3),
    ).next;
    expect(c).toMatchObject({ state: 'mitigation', risk: 'high' });
    c = applyAction(
      c,
      { action: 'decide', decision: 'cancel', reason: 'diversion confirmed; BIS informed' },
      'o',
      day(4),
    ).next;
    expect(c.state).toBe('cancelled');
    expect(() => applyAction(c, { action: 'ship', reason: 'x' }, 'o', T0)).toThrowError(
      /cannot ship a case in state cancelled/,
    );
    expect(() => applyAction(c, { action: 'note', reason: ' ' }, 'o', T0)).toThrowError(ValidationError);
  });
});

for (const backend of backends) {
  describe(`case store (${backend.name})`, () => {
    let db: Db;
    const orgScope: Scope = { organisationId: null, seeAll: false };
    const all: Scope = { organisationId: null, seeAll: true };
    beforeAll(async () => {
      db = await backend.open();
    });
    afterAll(async () => {
      await db.close();
    });

    it('records every decision with who, when and why, in order', async () => {
      const c = await openCase(
        db,
        {
          organisationId: null,
          subjectKind: 'order',
          subjectName: 'Bright Future Trading',
          subjectRef: 'PO-1',
          country: 'MY',
          businessType: 'reseller',
          profile: { customer: { name: 'Bright Future Trading' } },
          assessment: { suggestedRisk: 'high' },
          reason: 'new order',
        },
        'key:1/compliance',
        T0,
      );
      expect(c).toMatchObject({ state: 'initial-assessment', subjectRef: 'PO-1', version: 1 });
      await actOnCase(
        db,
        c.id,
        { action: 'assess', risk: 'low', reason: 'known customer since 2015' },
        'key:2/compliance',
        day(1),
        orgScope,
      );
      const shipped = await actOnCase(
        db,
        c.id,
        { action: 'ship', shippedAt: day(2).toISOString(), reason: 'AWB 42' },
        'key:2/compliance',
        day(2),
        orgScope,
      );
      expect(shipped.state).toBe('post-shipment');
      expect(shipped.verifications).toHaveLength(2);
      const events = await caseEvents(db, c.id, all);
      expect(events.map((e) => [e.seq, e.action, e.actor, e.fromState, e.toState])).toEqual([
        [1, 'open', 'key:1/compliance', null, 'initial-assessment'],
        [2, 'assess', 'key:2/compliance', 'initial-assessment', 'approved'],
        [3, 'ship', 'key:2/compliance', 'approved', 'post-shipment'],
      ]);
      expect(events[1]).toMatchObject({ reason: 'known customer since 2015', at: day(1).toISOString() });
      expect(await dueVerifications(db, all, day(20))).toEqual([
        {
          caseId: c.id,
          subjectName: 'Bright Future Trading',
          subjectRef: 'PO-1',
          kind: 'one-week',
          dueAt: day(9).toISOString(),
        },
      ]);
    });

    it('refuses to update or delete the audit trail', async () => {
      await expect(db.query('update screening_case_events set reason = $1', ['rewritten'])).rejects.toThrow(
        /append-only/,
      );
      await expect(db.query('delete from screening_case_events')).rejects.toThrow(/append-only/);
      const [{ n }] = await db.query<{ n: number }>('select count(*)::int as n from screening_case_events');
      expect(Number(n)).toBeGreaterThan(0);
    });

    it('leaves nothing behind when an action is refused', async () => {
      const c = (await listCases(db, all))[0];
      const before = (await caseEvents(db, c.id, all)).length;
      await expect(
        actOnCase(db, c.id, { action: 'assess', risk: 'high', reason: 'again' }, 'x', day(3), all),
      ).rejects.toThrow(ConflictError);
      expect((await caseEvents(db, c.id, all)).length).toBe(before);
      expect((await getCase(db, c.id, all)).version).toBe(c.version);
    });

    it("hides other organisations' cases", async () => {
      const [{ id: org }] = await db.query<{ id: number }>(
        "insert into organisations (name) values ('Other Co " + backend.name + "') returning id",
      );
      const c = await openCase(
        db,
        {
          organisationId: Number(org),
          subjectKind: 'customer',
          subjectName: 'X',
          profile: {},
          assessment: {},
          reason: 'r',
        },
        'a',
        T0,
      );
      await expect(getCase(db, c.id, orgScope)).rejects.toThrow(NotFoundError);
      expect((await getCase(db, c.id, { organisationId: Number(org), seeAll: false })).id).toBe(c.id);
      expect((await listCases(db, orgScope)).some((x) => x.id === c.id)).toBe(false);
    });

    it('satisfies due verifications from location-verification results', async () => {
      const c = (await listCases(db, all, { state: 'post-shipment' }))[0];
      const source: LocationEvidenceSource = {
        async resultsFor(ref, since) {
          expect(ref).toBe('PO-1');
          return [
            {
              ref: 'verdict-7',
              observedAt: new Date(since.getTime() + 3 * 86_400_000),
              consistent: true,
              summary: 'within 50 km of the declared site',
            },
          ];
        },
      };
      const applied = await applyLocationEvidence(db, source, all, 'system:location', day(10));
      expect(applied).toEqual([{ caseId: c.id, kind: 'one-week', result: 'passed', ref: 'verdict-7' }]);
      const after = await getCase(db, c.id, all);
      expect(after.verifications.find((v) => v.kind === 'one-week')).toMatchObject({
        status: 'passed',
        evidence: { source: 'location-verification', ref: 'verdict-7' },
      });
      expect(after.state).toBe('post-shipment'); // the six-month check is still pending
    });
  });
}
