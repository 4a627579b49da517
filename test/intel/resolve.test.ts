// Resolution on both databases: candidate pairs from the screening matcher (name against name, same country)
// and from shared identifiers, each with its reasons; decisions are appended, reversible and audited, and
// "same" never merges two entities.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.js';
import { ConflictError, NotFoundError, ValidationError } from '../../src/errors.js';
import { upsertEntities, type Entity } from '../../src/intel/entities/store.js';
import { findCandidates, MAX_SHARING } from '../../src/intel/resolve/candidates.js';
import { decide, listDecisions, revert, sameAs } from '../../src/intel/resolve/decisions.js';
import { backends } from '../helpers/db.js';

const T0 = new Date('2026-05-01T00:00:00Z');
const T1 = new Date('2026-05-02T00:00:00Z');

const e = (id: string, schema: string, properties: Record<string, string[]>): Entity => ({
  id,
  schema,
  caption: properties.name?.[0] ?? id,
  properties,
  origin: 'analyst',
  originRef: null,
});

const AGENT_CLIENTS = (
  'Amber Birch Cobalt Delta Mosaic Falcon Granite Indigo Juniper Lantern Nimbus Orchid Pepper Quartz Raven ' +
  'Saffron Thistle Tundra Violet Willow Xylem Yarrow Zephyr Acorn Basalt Cedar Dune Fennel'
).split(' ');

/** Pairs as "a~b" for the assertions. */
const pairs = (cs: { a: { id: string }; b: { id: string } }[]) => cs.map((c) => `${c.a.id}~${c.b.id}`).sort();

describe.each(backends)('resolution ($name)', (backend) => {
  let db: Db;
  beforeAll(async () => {
    db = await backend.open();
    const shared = 'Room 5, 88 Common Registered Agent Street, Victoria, Seychelles';
    await upsertEntities(
      db,
      [
        e('co-harbour', 'Company', { name: ['Harbourline Trading Limited'], country: ['hk'] }),
        e('list-harbour', 'LegalEntity', { name: ['HARBOURLINE TRADING LTD.'], country: ['hk'] }),
        // The same name in a person: never a candidate for a company (a LegalEntity may be either).
        e('p-harbour', 'Person', { name: ['Harbourline Trading'], country: ['hk'] }),
        // Different names, the same phone and e-mail written differently.
        e('co-bluefin', 'Company', { name: ['Bluefin Components'], phone: ['+65 6000 0001'], email: ['A@Bf.example'] }),
        e('co-redfin', 'Company', { name: ['Kestrel Systems'], phone: ['0065-6000-0001'], email: ['a@bf.example'] }),
        e('co-unrelated', 'Company', { name: ['Quiet Meadow Bakery'], country: ['fr'] }),
        // A registered agent's address shared by more than MAX_SHARING companies pairs none of them.
        ...AGENT_CLIENTS.slice(0, MAX_SHARING + 1).map((w, i) =>
          e(`co-agent-${i}`, 'Company', { name: [`${w} Logistics`], address: [shared] }),
        ),
      ],
      T0,
    );
    // A later entity: "new" for --since; it shares a registration number with an earlier one.
    await upsertEntities(
      db,
      [e('co-reg-old', 'Company', { name: ['Northwind Semiconductors'], registrationNumber: ['HK-2871-1190'] })],
      T0,
    );
    await upsertEntities(
      db,
      [e('co-reg-new', 'Company', { name: ['Southwind Holdings'], registrationNumber: ['hk 28711190'] })],
      T1,
    );
  });
  afterAll(() => db.close());

  it('finds name pairs with the matcher and identifier pairs with their reasons', async () => {
    const all = await findCandidates(db);
    expect(pairs(all)).toEqual([
      'co-bluefin~co-redfin',
      'co-harbour~list-harbour',
      'co-reg-new~co-reg-old',
      'list-harbour~p-harbour',
    ]);
    const harbour = all.find((c) => c.a.id === 'co-harbour')!;
    expect(harbour.reasons[0]).toMatchObject({ kind: 'name' });
    expect(harbour.reasons[0].kind === 'name' && harbour.reasons[0].explanation).toMatch(/country HK matches/);
    const fins = all.find((c) => c.a.id === 'co-bluefin')!;
    expect(fins.reasons).toEqual([
      { kind: 'email', values: ['a@bf.example'], weight: 0.8 },
      { kind: 'phone', values: ['6560000001'], weight: 0.6 },
    ]);
    // Two independent pieces of evidence: 1 - 0.2 × 0.4.
    expect(fins.score).toBe(0.92);
    expect(all.map((c) => c.score)).toEqual([...all.map((c) => c.score)].sort((x, y) => y - x));
  });

  it('limits the pairs to one entity, or to the entities created since a time', async () => {
    expect(pairs(await findCandidates(db, { entity: 'co-harbour' }))).toEqual(['co-harbour~list-harbour']);
    expect(pairs(await findCandidates(db, { entity: 'co-unrelated' }))).toEqual([]);
    expect(pairs(await findCandidates(db, { since: T1 }))).toEqual(['co-reg-new~co-reg-old']);
  });

  it('records decisions, never merges, and reverses them on request', async () => {
    await expect(
      decide(db, { a: 'co-harbour', b: 'nobody', judgement: 'same', reason: 'x', actor: 't' }, T1),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      decide(db, { a: 'co-harbour', b: 'list-harbour', judgement: 'merge', reason: 'x', actor: 't' }, T1),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      decide(db, { a: 'co-harbour', b: 'list-harbour', judgement: 'same', reason: ' ', actor: 't' }, T1),
    ).rejects.toThrow(/needs a reason/);
    const d1 = await decide(
      db,
      { a: 'list-harbour', b: 'co-harbour', judgement: 'same', reason: 'same HK registry extract', actor: 'alice' },
      T1,
    );
    expect(d1).toMatchObject({ a: 'co-harbour', b: 'list-harbour', judgement: 'same', reverted: false });
    expect(await sameAs(db, ['co-harbour'])).toEqual([{ a: 'co-harbour', b: 'list-harbour', decisionId: d1.id }]);
    // Both entities are still there, each with its own id.
    expect(await db.query("select id from intel_entities where id in ('co-harbour', 'list-harbour')")).toHaveLength(2);
    // A judged pair leaves the candidates, unless asked for with its judgement.
    expect(pairs(await findCandidates(db))).not.toContain('co-harbour~list-harbour');
    const judged = (await findCandidates(db, { includeDecided: true })).find((c) => c.a.id === 'co-harbour');
    expect(judged?.judgement).toEqual({ judgement: 'same', decisionId: d1.id });

    const d2 = await decide(
      db,
      { a: 'co-harbour', b: 'list-harbour', judgement: 'unsure', reason: 'director differs', actor: 'bob' },
      T1,
    );
    expect(await sameAs(db, ['list-harbour'])).toEqual([]);
    const r = await revert(db, { decisionId: d2.id, reason: 'bob was wrong', actor: 'alice' }, T1);
    expect(r).toMatchObject({ judgement: 'revert', reverts: d2.id });
    // The latest judgement standing is d1 again.
    expect(await sameAs(db, ['list-harbour'])).toEqual([{ a: 'co-harbour', b: 'list-harbour', decisionId: d1.id }]);
    await expect(revert(db, { decisionId: d2.id, reason: 'again', actor: 'a' }, T1)).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(revert(db, { decisionId: r.id, reason: 'undo', actor: 'a' }, T1)).rejects.toThrow(/is a reversal/);
    await expect(revert(db, { decisionId: 99_999, reason: 'x', actor: 'a' }, T1)).rejects.toBeInstanceOf(NotFoundError);

    const trail = await listDecisions(db, { entity: 'co-harbour', limit: 10 });
    expect(trail.map((d) => [d.judgement, d.actor, d.reverted])).toEqual([
      ['revert', 'alice', false],
      ['unsure', 'bob', true],
      ['same', 'alice', false],
    ]);
    expect(await listDecisions(db, { entity: 'co-bluefin', limit: 10 })).toEqual([]);
  });
});
