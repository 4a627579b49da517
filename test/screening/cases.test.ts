// The Figure 9 workflow: pure transitions, then the SQL store on every backend (append-only trail,
// scoping, verifications satisfied by location evidence).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyAction,
  newCase,
  openHits,
  personOf,
  type CaseView,
  type Hit,
} from '../../src/screening/cases/workflow.js';
import {
  actOnCase,
  caseEvents,
  dueVerifications,
  getCase,
  holdCase,
  listCases,
  openCase,
  type Scope,
} from '../../src/screening/cases/store.js';
import { applyLocationEvidence } from '../../src/screening/cases/verify-due.js';
import type { LocationEvidenceSource } from '../../src/screening/cases/location.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../src/errors.js';
import { backends } from '../helpers/db.js';
import type { Db } from '../../src/db/index.js';
import { MIGRATIONS_DIR } from '../../src/paths.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

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

describe('holds (pure)', () => {
  const HITS: Hit[] = [
    { id: 'h1', kind: 'match', role: 'customer', party: 'Huawei Technologies Co Ltd', detail: 'CMIC HUAWEI, score 1' },
    { id: 'h2', kind: 'review', role: 'payer', party: 'Albin Tech', detail: 'EL Albin Technologies, score 0.9' },
  ];
  const officer = { name: 'key:1/compliance', role: 'compliance' };
  const lead = { name: 'key:2/compliance-lead', role: 'compliance-lead' };
  const held = () => newCase('end-user', HITS, officer.name);
  const step = (c: CaseView, a: Parameters<typeof applyAction>[1], who: Parameters<typeof applyAction>[2] = officer) =>
    applyAction(c, a, who, T0).next;

  it('closes the two-call path: no low-risk assessment, approval or shipment while a hit is open', () => {
    const c = held();
    expect(() => step(c, { action: 'assess', risk: 'low', reason: 'known customer' })).toThrowError(
      /cannot assess low risk .*held by h1 customer "Huawei Technologies Co Ltd" match .*h2 payer .*--hits h1,h2/,
    );
    expect(() => step(c, { action: 'assess', risk: 'low', reason: 'x' })).toThrowError(ConflictError);
    let v = step(c, { action: 'assess', risk: 'high', reason: 'listed customer' });
    for (const item of ['sales-history', 'key-personnel', 'operating-history', 'vouching-parties', 'site-visit'])
      v = step(v, { action: 'check', item, outcome: 'ok', reason: 'ok' });
    for (const item of ['ear-red-flags', 'end-use-statement'])
      v = step(v, { action: 'check', item, outcome: 'ok', reason: 'ok' });
    // A clean checklist does not clear the hits: mitigation, not approval.
    const t = applyAction(v, { action: 'complete-vetting', reason: 'done' }, officer, T0);
    expect(t.to).toBe('mitigation');
    expect(t.data).toEqual({ concerns: [], heldBy: ['h1', 'h2'] });
    v = t.next;
    expect(() =>
      step(v, { action: 'decide', decision: 'limit-quantity', maxQuantity: 8, reason: 'small first lot' }),
    ).toThrowError(/cannot decide limit-quantity .*held by h1/);
    expect(() => step(v, { action: 'decide', decision: 'staged-delivery', stages: 2, reason: 'x' })).toThrowError(
      ConflictError,
    );
    expect(step(v, { action: 'decide', decision: 'consult-bis', reason: 'ask BIS' }).state).toBe('mitigation');
    expect(step(v, { action: 'decide', decision: 'cancel', reason: 'listed' }).state).toBe('cancelled');
    // Even a case that reached `approved` some other way cannot ship while held.
    expect(() => step({ ...v, state: 'approved' }, { action: 'ship', reason: 'AWB' })).toThrowError(
      /cannot ship: the case is held by h1/,
    );
  });

  it('lets only a second person with the compliance-lead role override, and records who', () => {
    const c = step(held(), { action: 'assess', risk: 'high', reason: 'listed' }, { name: 'key:3/compliance' });
    const override = { action: 'override' as const, hits: ['h1'], reason: 'licence D123456 covers this export' };
    expect(() => step(c, override, officer)).toThrowError(ForbiddenError);
    expect(() => step(c, override, 'cli:alice')).toThrowError(/only a compliance-lead key may override/);
    expect(() => step(c, override, { name: 'key:9/admin', role: 'admin' })).toThrowError(ForbiddenError);
    // The opener and the assessor are the same person whatever the role of the key they use now.
    expect(() => step(c, override, { name: 'key:1/compliance-lead', role: 'compliance-lead' })).toThrowError(
      /needs a second person: key:1\/compliance-lead opened this case/,
    );
    expect(() => step(c, override, { name: 'key:3/compliance-lead', role: 'compliance-lead' })).toThrowError(
      /key:3\/compliance-lead assessed this case/,
    );
    expect(() => step(c, { ...override, hits: ['h7'] }, lead)).toThrowError(/no hit h7 on this case \(hits: h1, h2\)/);
    const t = applyAction(c, override, lead, T0);
    expect(t.data).toEqual({
      hits: [{ id: 'h1', kind: 'match', party: 'Huawei Technologies Co Ltd' }],
      stillOpen: ['h2'],
    });
    expect(t.next.hits![0].resolution).toEqual({
      how: 'override',
      by: 'key:2/compliance-lead',
      at: T0.toISOString(),
      reason: 'licence D123456 covers this export',
    });
    expect(openHits(t.next).map((h) => h.id)).toEqual(['h2']);
    expect(() => step(t.next, override, lead)).toThrowError(/hit h1 is already resolved \(override by key:2/);
  });

  it('resolves a review (not a match) as a false positive, which also unblocks', () => {
    const c = held();
    expect(() => step(c, { action: 'resolve', hit: 'h1', reason: 'different company' }, lead)).toThrowError(
      /h1 is a match, not a review.*override --hits h1/,
    );
    let v = step(c, { action: 'resolve', hit: 'h2', reason: 'different registration number' }, lead);
    expect(v.hits![1].resolution).toMatchObject({ how: 'false-positive', by: 'key:2/compliance-lead' });
    v = step(v, { action: 'override', hits: ['h1'], reason: 'licence granted' }, lead);
    v = step(v, { action: 'assess', risk: 'low', reason: 'licensed, checked' });
    expect(v.state).toBe('approved');
    expect(step(v, { action: 'ship', reason: 'AWB 9' }).state).toBe('post-shipment');
  });

  it('names the person behind an audit name', () => {
    expect(personOf('key:12/compliance-lead')).toBe('key:12');
    expect(personOf('key:12/compliance')).toBe('key:12');
    expect(personOf('cli:alice')).toBe('cli:alice');
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

    it('stores the hits, refuses to ship past them, and records the override and who made it', async () => {
      const hits: Hit[] = [
        { id: 'h1', kind: 'match', role: 'customer', party: 'Huawei', detail: 'CMIC HUAWEI, score 1' },
      ];
      const officer = { name: 'key:1/compliance', role: 'compliance' };
      const c = await openCase(
        db,
        {
          organisationId: null,
          subjectKind: 'order',
          subjectName: 'Huawei',
          profile: {},
          assessment: { hits },
          reason: 'r',
        },
        officer,
        T0,
      );
      expect(c.hits).toEqual(hits);
      expect(c.openedBy).toBe('key:1/compliance');
      await expect(
        actOnCase(db, c.id, { action: 'assess', risk: 'low', reason: 'known' }, officer, day(1), all),
      ).rejects.toThrow(/held by h1/);
      const assessed = await actOnCase(
        db,
        c.id,
        { action: 'assess', risk: 'high', reason: 'listed' },
        officer,
        day(1),
        all,
      );
      expect(assessed.assessedBy).toBe('key:1/compliance');
      const same = { name: 'key:1/compliance-lead', role: 'compliance-lead' };
      const override = { action: 'override' as const, hits: ['h1'], reason: 'licence D1 granted' };
      await expect(actOnCase(db, c.id, override, same, day(2), all)).rejects.toThrow(ForbiddenError);
      expect((await caseEvents(db, c.id, all)).map((e) => e.action)).toEqual(['open', 'assess']);
      const lead = { name: 'key:2/compliance-lead', role: 'compliance-lead' };
      const after = await actOnCase(db, c.id, override, lead, day(2), all);
      expect(after.hits[0].resolution).toMatchObject({ how: 'override', by: 'key:2/compliance-lead' });
      const events = await caseEvents(db, c.id, all);
      expect(events[2]).toMatchObject({
        seq: 3,
        action: 'override',
        actor: 'key:2/compliance-lead',
        reason: 'licence D1 granted',
        data: { hits: [{ id: 'h1', kind: 'match', party: 'Huawei' }], stillOpen: [] },
      });
      expect(events[0].data).toMatchObject({ hits });
    });

    it('holds a case again when a hit is found after it was opened, but not after shipment', async () => {
      const c = await openCase(
        db,
        {
          organisationId: null,
          subjectKind: 'order',
          subjectName: 'Later Listed',
          profile: {},
          assessment: {},
          reason: 'r',
        },
        'key:1/compliance',
        T0,
      );
      await actOnCase(db, c.id, { action: 'assess', risk: 'low', reason: 'clean' }, 'key:1/compliance', day(1), all);
      const hit = {
        kind: 'match' as const,
        role: 'customer',
        party: 'Later Listed',
        detail: 'SDN LATER LISTED, score 1',
      };
      const reason = 'list update 7: entry added';
      const added = await db.transaction((tx) => holdCase(tx, c.id, [hit], 'system:rescreen', day(2), reason));
      expect(added).toEqual([{ id: 'h1', ...hit }]);
      expect(await db.transaction((tx) => holdCase(tx, c.id, [hit], 'system:rescreen', day(2), reason))).toEqual([]);
      await expect(
        actOnCase(db, c.id, { action: 'ship', reason: 'AWB' }, 'key:1/compliance', day(3), all),
      ).rejects.toThrow(/cannot ship: the case is held by h1 customer "Later Listed" match/);
      const events = await caseEvents(db, c.id, all);
      expect(events.map((e) => [e.action, e.actor, e.reason])).toEqual([
        ['open', 'key:1/compliance', 'r'],
        ['assess', 'key:1/compliance', 'clean'],
        ['hold', 'system:rescreen', reason],
      ]);
      const lead = { name: 'key:2/compliance-lead', role: 'compliance-lead' };
      await actOnCase(db, c.id, { action: 'override', hits: ['h1'], reason: 'licence' }, lead, day(3), all);
      const shipped = await actOnCase(db, c.id, { action: 'ship', reason: 'AWB' }, 'key:1/compliance', day(3), all);
      expect(shipped.state).toBe('post-shipment');
      const after = { ...hit, detail: 'SDN LATER LISTED, alias added' };
      expect(await db.transaction((tx) => holdCase(tx, c.id, [after], 'system:rescreen', day(4), reason))).toEqual([]);
    });

    it('turns the stored assessments of open cases into hits when migrating (042)', async () => {
      const screening = (decision: string, name: string) => ({
        role: 'customer',
        result: {
          query: { name },
          decision,
          matches: decision === 'clear' ? [] : [{ list: 'SDN', name: 'X', score: 1 }],
        },
      });
      const rows = await db.query<{ id: string }>(
        `insert into screening_cases (subject_kind, subject_name, profile, state, opened_by, opened_at, updated_at)
         values ('customer', 'Old', '{}', 'approved', 'a', now(), now()), ('customer', 'Shipped', '{}', 'post-shipment',
         'a', now(), now()) returning id`,
      );
      for (const r of rows)
        await db.query(
          `insert into screening_case_events (case_id, seq, at, actor, action, to_state, reason, data)
           values ($1, 1, now(), 'a', 'open', 'initial-assessment', 'r', $2)`,
          [r.id, JSON.stringify({ assessment: { screenings: [screening('clear', 'A'), screening('match', 'B')] } })],
        );
      await db.query(
        `insert into screening_case_events (case_id, seq, at, actor, action, to_state, reason)
         values ($1, 2, now(), 'key:4/compliance', 'assess', 'approved', 'r')`,
        [rows[0].id],
      );
      const sql = readFileSync(join(MIGRATIONS_DIR, '042_screening_ownership.sql'), 'utf8');
      await db.exec(sql.slice(sql.indexOf('update screening_cases')));
      const open = await getCase(db, Number(rows[0].id), all);
      expect(open.hits).toEqual([{ id: 'h1', kind: 'match', role: 'customer', party: 'B', detail: 'SDN X, score 1' }]);
      expect(open.assessedBy).toBe('key:4/compliance');
      await expect(actOnCase(db, open.id, { action: 'ship', reason: 'AWB' }, 'x', day(1), all)).rejects.toThrow(
        /held by h1/,
      );
      expect((await getCase(db, Number(rows[1].id), all)).hits).toEqual([]);
    });
  });
}
