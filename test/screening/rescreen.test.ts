// Re-screening when the lists change: a list update re-screens the registry's owners and operators and
// the diligence cases' parties, and raises exactly the alerts the change explains (an added alias, a
// removed entry), naming the party and the change; the first update is a baseline; the same update again
// raises nothing. On PGlite and, when DATABASE_URL is set, on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.js';
import { backends } from '../helpers/db.js';
import { updateLists } from '../../src/screening/lists/update.js';
import { caseEvents, getCase, openCase } from '../../src/screening/cases/store.js';
import { alertsSince } from '../../src/screening/rescreen/store.js';
import { changeIndex, compareParty, describeChange } from '../../src/screening/rescreen/core.js';
import { diffLists } from '../../src/screening/lists/diff.js';
import { parseCslCsv } from '../../src/screening/lists/csl-csv.js';
import { knownPartySources } from '../../src/app/wiring.js';
import { DATA_DIR } from '../../src/paths.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConflictError } from '../../src/errors.js';
import { listVersions } from '../../src/screening/lists/store.js';
import { checkListsDir } from '../../src/screening/rescreen/watch.js';
import { casePartySource, type PartySource } from '../../src/screening/rescreen/sources.js';
import { loadConfig } from '../../src/app/config.js';
import { cslExtract } from './shared-data.js';

const V1 = cslExtract(['Albin Technologies', 'Al-Qertas', 'Alagir Resistor Factory']);
/** One change: the Alagir entry gains the alias "Volna Component Supply". */
const V2 = V1.replace('Alagirsky Resistor Factory', 'Alagirsky Resistor Factory; Volna Component Supply');
/** Then Albin Technologies is delisted. */
const V3 = V2.split('\n')
  .filter((l) => !l.includes('Albin Technologies'))
  .join('\n');

const all = { organisationId: null, seeAll: true };
const day = (d: string) => new Date(`${d}T12:00:00Z`);

async function addRegistryParty(db: Db, name: string, country: string, roles: string[]): Promise<number> {
  const rows = await db.query<{ id: string }>(
    `insert into registry_parties (party_key, name_key, name, country, roles) values ($1, $2, $3, $4, $5) returning id`,
    [`${name.toLowerCase()}|${country}`, name.toLowerCase(), name, country, roles],
  );
  return Number(rows[0].id);
}

describe('lists directory configuration', () => {
  it('reads CHIPWATCH_LISTS_DIR and refuses a bad check interval naming the variable', () => {
    expect(loadConfig({ CHIPWATCH_LISTS_DIR: '/srv/lists' })).toMatchObject({
      listsDir: '/srv/lists',
      listsCheckSeconds: 300,
    });
    expect(() => loadConfig({ CHIPWATCH_LISTS_CHECK_SECONDS: '0' })).toThrow(
      /^CHIPWATCH_LISTS_CHECK_SECONDS must be an integer from 1 to 86400, not "0"$/,
    );
  });
});

describe('re-screening core', () => {
  it('names the list change behind each kind of alert', () => {
    const d = changeIndex(diffLists(parseCslCsv(V1), parseCslCsv(V2)));
    const alagir = [...d.keys()][0];
    expect(describeChange('new-hit', alagir, d)).toEqual(['alias added', 'alias added: Volna Component Supply']);
    const gone = changeIndex(diffLists(parseCslCsv(V2), parseCslCsv(V3)));
    const albin = [...gone.keys()][0];
    expect(describeChange('hit-gone', albin, gone)).toEqual(['entry removed', 'entry removed']);
    expect(describeChange('new-hit', 'csl:nothing', gone)[0]).toBe('entry unchanged');
  });

  it('raises nothing for a score that moves within its band, and a band change for one that crosses', () => {
    const bands = { review: 0.89, match: 0.93 };
    const party = { ref: '1', name: 'X', country: 'RU' };
    const hit = (score: number) => ({ entryId: 'csl:a', list: 'EL', name: 'A', score });
    const prev = { kind: 'k', ref: '1', organisationId: null, name: 'X', country: 'RU', decision: 'match' as const };
    const result = (score: number) => ({
      query: { name: 'X' },
      decision: (score >= 0.93 ? 'match' : 'review') as 'match' | 'review',
      matches: [hit(score)],
    });
    const same = compareParty('k', party, { ...prev, hits: [hit(0.97)] }, result(0.95), new Map(), bands);
    expect(same.alerts).toEqual([]);
    expect(same.changed).toBe(true); // the new score is stored
    const down = compareParty('k', party, { ...prev, hits: [hit(0.97)] }, result(0.9), new Map(), bands);
    expect(down.alerts.map((a) => [a.kind, a.before.decision, a.after.decision])).toEqual([
      ['changed-hit', 'match', 'review'],
    ]);
    const baseline = compareParty('k', party, undefined, result(0.97), new Map(), bands);
    expect([baseline.baseline, baseline.alerts.length]).toEqual([true, 0]);
    // A party renamed since its last screening starts a new baseline: the list did not change for it.
    const renamed = compareParty('k', party, { ...prev, name: 'Y', hits: [] }, result(0.97), new Map(), bands);
    expect([renamed.baseline, renamed.alerts.length, renamed.changed]).toEqual([true, 0, true]);
    const moved = compareParty('k', party, { ...prev, country: 'CN', hits: [] }, result(0.97), new Map(), bands);
    expect([moved.baseline, moved.alerts.length]).toEqual([true, 0]);
  });
});

for (const backend of backends) {
  describe(`re-screening on list update (${backend.name})`, () => {
    let db: Db;
    let volna = 0;
    let albin = 0;
    let caseId = 0;
    let orgA = 0;
    const update = (text: string, at: string) =>
      updateLists(
        db,
        [{ name: 'csl.csv', text }],
        { dataDir: DATA_DIR, rescreen: knownPartySources() },
        'test',
        day(at),
      );

    beforeAll(async () => {
      db = await backend.open();
      orgA = Number(
        (await db.query<{ id: string }>(`insert into organisations (name) values ('Org A') returning id`))[0].id,
      );
      volna = await addRegistryParty(db, 'Volna Component Supply', 'RU', ['owner']);
      albin = await addRegistryParty(db, 'Albin Technologies Sdn Bhd', 'MY', ['operator']);
      await addRegistryParty(db, 'Acme Widgets', 'US', ['owner']);
      await addRegistryParty(db, 'Volna Component Supply Filer', 'RU', ['filer']); // filers are not screened
      const c = await openCase(
        db,
        {
          organisationId: orgA,
          subjectKind: 'order',
          subjectName: 'Harbour Compute',
          country: 'SG',
          profile: {
            customer: {
              name: 'Harbour Compute',
              country: 'SG',
              owners: [{ name: 'Harbour Holdings', share: 60, owners: [{ name: 'Albin Technologies Sdn Bhd' }] }],
            },
            order: { consigneeName: 'Volna Component Supply', shipToCountry: 'RU' },
          },
          assessment: {},
          reason: 'order',
        },
        'test',
        day('2026-01-01'),
      );
      caseId = c.id;
    }, 60_000);
    afterAll(async () => {
      await db.close();
    });

    it('the first update is a baseline: every party screened, hits stored, no alerts', async () => {
      const r = await update(V1, '2026-01-02');
      expect(r.rescreen).toMatchObject({ bySource: { registry: 3, case: 4 }, parties: 7, baseline: 7, alerts: 0 });
      expect((await alertsSince(db, day('2026-01-01'), all)).alerts).toEqual([]);
    });

    it('one added alias raises exactly one alert per party it now hits, naming the party and the alias', async () => {
      const r = await update(V2, '2026-02-01');
      expect(r.rescreen).toMatchObject({ parties: 7, baseline: 0, alerts: 2, alertsByChange: { 'alias added': 2 } });
      expect(r.rescreen?.casesHeld).toEqual([caseId]);
      const { alerts } = await alertsSince(db, day('2026-02-01'), all);
      expect(alerts.map((a) => [a.party.kind, a.party.ref, a.party.name, a.kind, a.change])).toEqual([
        ['registry', String(volna), 'Volna Component Supply', 'new-hit', 'alias added: Volna Component Supply'],
        ['case', `${caseId}/consignee`, 'Volna Component Supply', 'new-hit', 'alias added: Volna Component Supply'],
      ]);
      expect(alerts[0]).toMatchObject({
        listVersion: r.versionId,
        entry: { list: 'EL', name: 'Alagir Resistor Factory' },
        before: { decision: 'clear', score: null },
        after: { decision: 'match' },
        partyDecision: { before: 'clear', after: 'match' },
        party: { country: 'RU' },
      });
      // The case is held for the new hit, with a hold event naming the list version.
      const held = await getCase(db, caseId, all);
      expect(held.hits).toEqual([
        expect.objectContaining({
          kind: 'match',
          role: 'consignee',
          party: 'Volna Component Supply',
          detail: expect.stringMatching(
            new RegExp(`^EL Alagir Resistor Factory, score [\\d.]+; list version ${r.versionId}: alias added: Volna`),
          ),
        }),
      ]);
      const events = await caseEvents(db, caseId, all);
      expect(events.at(-1)).toMatchObject({ action: 'hold', actor: `rescreen:list-version-${r.versionId}` });
    });

    it('the same update again raises nothing', async () => {
      const r = await update(V2, '2026-02-02');
      expect(r.rescreen).toMatchObject({ parties: 7, alerts: 0, casesHeld: [] });
      expect((await alertsSince(db, day('2026-02-02'), all)).alerts).toEqual([]);
    });

    it('a removed entry raises a hit-gone alert for the party that hit it', async () => {
      const r = await update(V3, '2026-03-01');
      expect(r.rescreen).toMatchObject({ alerts: 2, alertsByChange: { 'entry removed': 2 }, casesHeld: [] });
      const { alerts } = await alertsSince(db, day('2026-03-01'), all);
      expect(alerts[1]).toMatchObject({
        kind: 'hit-gone',
        party: {
          kind: 'case',
          ref: `${caseId}/owner/customer.owners[0].owners[0]`,
          name: 'Albin Technologies Sdn Bhd',
        },
        changeKind: 'entry removed',
      });
      expect(alerts.slice(0, 1)).toEqual([
        expect.objectContaining({
          kind: 'hit-gone',
          party: { kind: 'registry', ref: String(albin), name: 'Albin Technologies Sdn Bhd', country: 'MY' },
          entry: expect.objectContaining({ name: 'Albin Technologies Sdn Bhd.' }),
          changeKind: 'entry removed',
          before: expect.objectContaining({ decision: 'match' }),
          after: { decision: 'clear', score: null },
        }),
      ]);
    });

    it('scopes alerts: an organisation sees its case parties only; regulators see all', async () => {
      const since = day('2026-01-01');
      expect((await alertsSince(db, since, all)).alerts).toHaveLength(4);
      const mine = await alertsSince(db, since, { organisationId: orgA, seeAll: false });
      expect(mine.alerts.map((a) => a.party.ref)).toEqual([
        `${caseId}/consignee`,
        `${caseId}/owner/customer.owners[0].owners[0]`,
      ]);
      expect((await alertsSince(db, since, { organisationId: orgA + 1, seeAll: false })).alerts).toEqual([]);
      expect((await alertsSince(db, since, { organisationId: null, seeAll: false })).alerts).toEqual([]);
    });

    it('stores nothing when another update was stored while it re-screened', async () => {
      const before = (await listVersions(db)).length;
      const alertsBefore = (await alertsSince(db, day('2000-01-01'), all)).alerts.length;
      const racing: PartySource = {
        kind: 'racing',
        async *parties() {
          yield { ref: 'r1', name: 'Volna Component Supply', country: 'RU' };
          await updateLists(db, [{ name: 'csl.csv', text: V1 }], { dataDir: DATA_DIR }, 'other', day('2026-04-01'));
        },
      };
      const opts = { dataDir: DATA_DIR, rescreen: [racing, casePartySource] };
      const err = await updateLists(db, [{ name: 'csl.csv', text: V2 }], opts, 'test', day('2026-04-01')).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ConflictError);
      expect((err as Error).message).toMatch(/another list update \(version \d+\) was stored while this one ran/);
      expect((await listVersions(db)).length).toBe(before + 1); // the other one only
      expect((await alertsSince(db, day('2000-01-01'), all)).alerts.length).toBe(alertsBefore);
      const states = await db.query(`select 1 from screening_party_hits where party_kind = 'racing'`);
      expect(states).toEqual([]);
    });

    it('checks a lists directory: empty, a bad file (named by row and column), new content, unchanged', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'cw-lists-dir-'));
      try {
        const check = (failed?: string) =>
          checkListsDir({ db, dir, sources: knownPartySources(), now: day('2026-05-01'), failed });
        expect(await check()).toEqual({ status: 'empty' });
        writeFileSync(join(dir, 'csl.csv'), V2.replace('2022-04-07', 'soon'));
        const bad = await check();
        expect(bad).toMatchObject({ status: 'failed', again: false });
        expect(bad.status === 'failed' && bad.error).toMatch(/^row \d+, column start_date: .*csl\.csv: "soon"/);
        expect(await check(bad.status === 'failed' ? bad.sha256 : '')).toMatchObject({ status: 'failed', again: true });
        writeFileSync(join(dir, 'csl.csv'), V2);
        writeFileSync(join(dir, '.hidden'), 'not a list');
        const loaded = await check();
        expect(loaded.status).toBe('updated');
        expect(loaded.status === 'updated' && loaded.report.rescreen?.parties).toBe(7);
        expect((await check()).status).toBe('unchanged');
        // Any other failure is remembered by the files' hash too (not parsed again every interval).
        const broken: PartySource = {
          kind: 'broken',
          // biome-ignore lint/correctness/useYield: fails before its first party
          async *parties() {
            throw new Error('party source unavailable');
          },
        };
        writeFileSync(join(dir, 'csl.csv'), V3);
        const versions = (await listVersions(db)).length;
        const failed = await checkListsDir({ db, dir, sources: [broken], now: day('2026-05-02') });
        expect(failed).toMatchObject({ status: 'failed', error: 'party source unavailable', again: false });
        expect((await listVersions(db)).length).toBe(versions);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('compares a case opened since the last update with its opening assessment: new hits alert, hold', async () => {
      await update(V3, '2026-05-01'); // Albin Technologies delisted
      const opened = await openCase(
        db,
        {
          organisationId: orgA,
          subjectKind: 'customer',
          subjectName: 'Albin Technologies Sdn Bhd',
          country: 'MY',
          profile: { customer: { name: 'Albin Technologies Sdn Bhd', country: 'MY' }, order: {} },
          assessment: { screenings: [{ role: 'customer', result: { decision: 'clear', matches: [] } }] },
          reason: 'new customer',
        },
        'test',
        day('2026-05-02'),
      );
      const r = await update(V2, '2026-05-03'); // ... and listed again
      expect(r.rescreen?.casesHeld).toContain(opened.id);
      const { alerts } = await alertsSince(db, day('2026-05-03'), all);
      expect(alerts.find((a) => a.party.ref === `${opened.id}/customer`)).toMatchObject({
        kind: 'new-hit',
        changeKind: 'entry added',
        before: { decision: 'clear', score: null },
        after: expect.objectContaining({ decision: 'match' }),
      });
    });

    it('keeps alerts append-only', async () => {
      await expect(db.query(`update screening_alerts set change = 'x'`)).rejects.toThrow(/append-only/);
      await expect(db.query('delete from screening_alerts')).rejects.toThrow(/append-only/);
    });
  });
}
