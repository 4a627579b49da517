// The 50% rule when lists change: a registry party whose filed owners (owner_parent_N_* columns) become
// listed raises an ownership alert naming the chain; an open case whose customer's owners become listed is
// held with its recomputed verdict (stored beside its hits), not only with the owner's plain hit. On
// PGlite and, when DATABASE_URL is set, on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.js';
import { backends } from '../helpers/db.js';
import { updateLists } from '../../src/screening/lists/update.js';
import { getCase, openCase } from '../../src/screening/cases/store.js';
import { alertsSince } from '../../src/screening/rescreen/store.js';
import { compareOwnership, ownershipBand } from '../../src/screening/rescreen/ownership.js';
import { knownPartySources } from '../../src/app/wiring.js';
import { importFiling } from '../../src/registry/import.js';
import { readSheet } from '../../src/registry/sheet.js';
import { sampleRows } from '../../src/registry/sample.js';
import { TEMPLATE_COLUMNS } from '../../src/registry/template.js';
import { DATA_DIR } from '../../src/paths.js';
import { streamOf, tlog } from '../registry/helpers.js';
import { cslExtract } from './shared-data.js';
import { buildApp } from '../../src/app/server.js';
import { createApiKey } from '../../src/accounts/index.js';

/** V1 lacks the Alagir Resistor Factory (Entity List); V2 adds it; V3 removes it again. */
const V1 = cslExtract(['Albin Technologies', 'Al-Qertas']);
const V2 = cslExtract(['Albin Technologies', 'Al-Qertas', 'Alagir Resistor Factory']);
const V3 = V1;
const all = { organisationId: null, seeAll: true };
const day = (d: string) => new Date(`${d}T12:00:00Z`);
const G1 = ['owner_parent_1_name', 'owner_parent_1_country', 'owner_parent_1_share'];

/** One filing: each new owner (SG) with the Alagir Resistor Factory (RU) as its parent at the share given. */
function filing(owners: Array<[string, string]>): string {
  const cols = [...TEMPLATE_COLUMNS, ...G1];
  const rows = sampleRows({ count: owners.length, seed: 3, serialPrefix: 'OWN-' }).map((r, i) => ({
    ...r,
    new_owner_name: owners[i][0],
    new_owner_country: 'SG',
    owner_parent_1_name: 'Alagir Resistor Factory',
    owner_parent_1_country: 'RU',
    owner_parent_1_share: owners[i][1],
  }));
  const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const line = (r: Record<string, string>) => cols.map((c) => cell(r[c] ?? '')).join(',');
  return [cols.join(','), ...rows.map(line)].join('\n');
}

describe('ownership verdict comparison (pure)', () => {
  const party = { ref: '1', name: 'P', owners: [{ name: 'O', share: 60 }] };
  const state = (verdict: 'none' | 'listed-by-ownership', owners = JSON.stringify(party.owners)) => ({
    verdict,
    listedShare: { low: 0, high: 0 },
    explanation: verdict,
    chains: verdict === 'none' ? [] : ['P <- 60% O (EL: O, match 1)'],
    entries: verdict === 'none' ? [] : [{ id: 'csl:o', list: 'EL', name: 'O' }],
    owners,
  });
  const compared = (baseline: boolean) => ({
    state: {
      kind: 'k',
      ref: '1',
      organisationId: null,
      name: 'P',
      country: null,
      decision: 'clear' as const,
      hits: [],
    },
    alerts: [],
    baseline,
    changed: true,
  });
  const prev = (o: ReturnType<typeof state> | null) => ({ ...compared(false).state, ownership: o });
  const added = new Map([['csl:o', { kind: 'added' as const }]]);

  it('raises on a band change only, and treats new parties and changed owners as a baseline', () => {
    expect(ownershipBand('listed-by-ownership')).toBe('match');
    expect(ownershipBand('owned-by-listed-share-unknown')).toBe('review');
    expect(ownershipBand('minority-listed-owner')).toBe('clear');
    const a = compareOwnership('k', party, prev(state('none')), state('listed-by-ownership'), compared(false), added);
    expect(a).toMatchObject({
      kind: 'new-hit',
      basis: 'ownership',
      entry: { id: 'csl:o' },
      changeKind: 'entry added',
      change: 'entry added; listed-by-ownership: P <- 60% O (EL: O, match 1)',
      before: { decision: 'clear' },
      after: { decision: 'match' },
    });
    const same = state('listed-by-ownership');
    expect(compareOwnership('k', party, prev(same), same, compared(false), added)).toBeNull();
    expect(compareOwnership('k', party, undefined, same, compared(true), added)).toBeNull();
    const otherOwners = prev(state('none', '[]'));
    expect(compareOwnership('k', party, otherOwners, same, compared(false), added)).toBeNull();
    // A party new to re-screening whose source knew its verdict (a case's assessment) compares with that.
    const known = { ...party, knownVerdict: 'none' as const };
    expect(compareOwnership('k', known, undefined, same, compared(true), added)?.kind).toBe('new-hit');
    const gone = compareOwnership('k', party, prev(same), state('none'), compared(false), new Map());
    expect(gone).toMatchObject({ kind: 'hit-gone', after: { decision: 'clear' }, changeKind: 'entry unchanged' });
  });
});

for (const backend of backends) {
  describe(`re-screening with owners (${backend.name})`, () => {
    let db: Db;
    let caseId = 0;
    let lateCaseId = 0;
    const update = (text: string, at: string) =>
      updateLists(
        db,
        [{ name: 'csl.csv', text }],
        { dataDir: DATA_DIR, rescreen: knownPartySources() },
        'test',
        day(at),
      );
    const profile = (name: string) => ({
      customer: { name, country: 'SG', owners: [{ name: 'Alagir Resistor Factory', country: 'RU', share: 60 }] },
      order: {},
    });

    beforeAll(async () => {
      db = await backend.open();
      const { items, problems } = await readSheet(
        streamOf(
          filing([
            ['Harbour Compute Pte Ltd', '60'],
            ['Minority Compute Pte Ltd', '30'],
            ['Unknown Share Compute Pte Ltd', ''],
          ]),
        ),
        'csv',
      );
      expect(problems.items).toEqual([]);
      await importFiling(
        db,
        { filer: { name: 'Filer Co' }, items, problems, source: 'csv', receivedAt: day('2026-01-01') },
        tlog,
      );
      const c = await openCase(
        db,
        {
          organisationId: null,
          subjectKind: 'customer',
          subjectName: 'Harbour Retail Pte Ltd',
          profile: profile('Harbour Retail Pte Ltd'),
          assessment: {},
          reason: 'new customer',
        },
        'test',
        day('2026-01-01'),
      );
      caseId = c.id;
    }, 60_000);
    afterAll(async () => {
      await db.close();
    });

    it('the first update stores every verdict and raises nothing', async () => {
      const r = await update(V1, '2026-01-02');
      expect(r.rescreen).toMatchObject({ alerts: 0, casesHeld: [] });
      const rows = await db.query<{ party_ref: string; ownership: { verdict: string } | null }>(
        `select party_ref, ownership from screening_party_hits where ownership is not null order by party_ref`,
      );
      expect(rows.map((x) => x.ownership?.verdict)).toEqual(['none', 'none', 'none', 'none']);
      // A case opened after this update: its opening assessment's verdict is what the next update compares with.
      const late = await openCase(
        db,
        {
          organisationId: null,
          subjectKind: 'customer',
          subjectName: 'Late Harbour Pte Ltd',
          profile: profile('Late Harbour Pte Ltd'),
          assessment: { ownership: { verdict: 'none' } },
          reason: 'new customer',
        },
        'test',
        day('2026-01-03'),
      );
      lateCaseId = late.id;
    });

    it('a list update that adds the 60% owner raises an ownership alert naming the chain', async () => {
      const r = await update(V2, '2026-02-01');
      const { alerts } = await alertsSince(db, day('2026-02-01'), all);
      const registry = alerts.filter((a) => a.party.kind === 'registry');
      expect(registry.map((a) => [a.party.name, a.basis, a.kind, a.after.decision])).toEqual([
        ['Harbour Compute Pte Ltd', 'ownership', 'new-hit', 'match'],
        ['Unknown Share Compute Pte Ltd', 'ownership', 'new-hit', 'review'],
      ]);
      expect(registry[0]).toMatchObject({
        listVersion: r.versionId,
        entry: { list: 'EL', name: 'Alagir Resistor Factory' },
        changeKind: 'entry added',
        before: { decision: 'clear', score: null },
      });
      expect(registry[0].change).toMatch(
        new RegExp(
          '^entry added; listed parties own 60% \\(>= 50%\\): treated as listed under the 50% rule: ' +
            'Harbour Compute Pte Ltd <- 60% Alagir Resistor Factory \\(EL: Alagir Resistor Factory, match [\\d.]+\\)$',
        ),
      );
      expect(registry[1].change).toMatch(/owned by a listed party, share unknown/);
      // Case customers raise no ownership alert of their own (their owners alert as case parties) ...
      expect(alerts.filter((a) => a.basis === 'ownership' && a.party.kind === 'case')).toEqual([]);
      expect(r.rescreen?.casesHeld).toEqual([caseId, lateCaseId]);

      // The same alert over real HTTP, for a regulator: GET /api/screen/changes carries its basis.
      const app = await buildApp({ db, now: () => day('2026-02-03'), rateLimitPerMinute: 100_000 });
      try {
        await app.listen({ port: 0, host: '127.0.0.1' });
        const addr = app.server.address();
        const port = typeof addr === 'object' && addr ? addr.port : 0;
        const { key } = await createApiKey(db, { role: 'regulator' });
        const res = await fetch(`http://127.0.0.1:${port}/api/screen/changes?since=2026-02-01`, {
          headers: { authorization: `Bearer ${key}` },
        });
        expect(res.status).toBe(200);
        const body = (await res.json()) as { alerts: Array<{ basis: string; party: { name: string } }> };
        expect(body.alerts.filter((a) => a.basis === 'ownership').map((a) => a.party.name)).toEqual([
          'Harbour Compute Pte Ltd',
          'Unknown Share Compute Pte Ltd',
        ]);
        expect(body.alerts.filter((a) => a.basis === 'screening').map((a) => a.party.name)).toEqual([
          'Alagir Resistor Factory', // the first case's owner (the late case's owner was new: a baseline)
        ]);
      } finally {
        await app.close();
      }
    });

    it('re-computes and stores an open case verdict, holding the case with it and the chain', async () => {
      const held = await getCase(db, caseId, all);
      expect(held.hits.map((h) => [h.kind, h.role, h.party])).toEqual([
        ['match', 'owner', 'Alagir Resistor Factory'],
        ['listed-by-ownership', 'customer', 'Harbour Retail Pte Ltd'],
      ]);
      expect(held.hits[1].detail).toMatch(
        new RegExp(
          '^listed parties own 60% \\(>= 50%\\).*: Harbour Retail Pte Ltd <- 60% Alagir Resistor Factory ' +
            '\\(EL: .*\\); list version \\d+: entry added$',
        ),
      );
      const [stored] = await db.query<{ ownership: { verdict: string; chains: string[] } }>(
        `select ownership from screening_party_hits where party_kind = 'case' and party_ref = $1`,
        [`${caseId}/customer`],
      );
      expect(stored.ownership).toMatchObject({ verdict: 'listed-by-ownership', chains: [expect.any(String)] });
      // The late case was new to re-screening: its owner's hit was a baseline, but its verdict was known.
      const late = await getCase(db, lateCaseId, all);
      expect(late.hits.map((h) => h.kind)).toEqual(['listed-by-ownership']);
    });

    it('the same update again raises nothing; removing the entry ends the ownership hit', async () => {
      expect((await update(V2, '2026-02-02')).rescreen).toMatchObject({ alerts: 0, casesHeld: [] });
      await update(V3, '2026-03-01');
      const { alerts } = await alertsSince(db, day('2026-03-01'), all);
      expect(
        alerts.filter((a) => a.party.kind === 'registry').map((a) => [a.party.name, a.kind, a.changeKind]),
      ).toEqual([
        ['Harbour Compute Pte Ltd', 'hit-gone', 'entry removed'],
        ['Unknown Share Compute Pte Ltd', 'hit-gone', 'entry removed'],
      ]);
    });
  });
}
