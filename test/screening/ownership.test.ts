// The 50% rule (src/screening/ownership/rule.ts): aggregation across listed owners, chains through owners
// that are themselves listed by ownership (OFAC FAQ 401's examples), unknown shares as a state of their
// own, cycles; then the profile's owners in the initial assessment over a real list extract.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assessOwnership, type ListedEvidence, type OwnershipParty } from '../../src/screening/ownership/rule.js';
import { profileSchema } from '../../src/screening/redflags/profile.js';
import { assessProfile } from '../../src/screening/cases/assess.js';
import { loadRules } from '../../src/screening/redflags/rules.js';
import { buildIndex } from '../../src/screening/match/index-build.js';
import { Screener } from '../../src/screening/match/screen.js';
import { parseCslCsv } from '../../src/screening/lists/csl-csv.js';
import { ValidationError } from '../../src/errors.js';
import { DATA_DIR } from '../../src/paths.js';
import { cslExtract } from './shared-data.js';

const SDN = (name: string): ListedEvidence => ({
  decision: 'match',
  list: 'SDN',
  name,
  entryId: `sdn:${name}`,
  score: 1,
});

/** A graph from lines "Owned <- share Owner" (share a number or ?) and the listed parties' names. */
function graph(edges: string[], listed: string[] = []): OwnershipParty[] {
  const parties = new Map<string, OwnershipParty>();
  const party = (name: string) => {
    let p = parties.get(name);
    if (!p) {
      p = { id: name, name, listed: listed.includes(name) ? SDN(name.toUpperCase()) : null, owners: [] };
      parties.set(name, p);
    }
    return p;
  };
  for (const e of edges) {
    const m = /^(\w+) <- (\d+(?:\.\d+)?|\?) (\w+)$/.exec(e);
    if (!m) throw new Error(`bad edge ${e}`);
    const share = m[2] === '?' ? undefined : Number(m[2]);
    party(m[1]).owners.push({ id: party(m[3]).id, ...(share !== undefined ? { share } : {}) });
  }
  for (const l of listed) party(l);
  return [...parties.values()];
}

describe('the 50% rule (pure)', () => {
  it('aggregates two listed owners of 30% each, with both chains', () => {
    const r = assessOwnership(graph(['S <- 30 X', 'S <- 30 Y', 'S <- 40 Z'], ['X', 'Y']), 'S');
    expect(r.verdict).toBe('listed-by-ownership');
    expect(r.listedShare).toEqual({ low: 60, high: 60 });
    expect(r.chains).toEqual(['S <- 30% X (SDN: X, match 1)', 'S <- 30% Y (SDN: Y, match 1)']);
    expect(r.explanation).toMatch(/listed parties own 60% \(>= 50%\): treated as listed/);
  });

  it('follows a chain through an owner that is itself listed by ownership: A <- 60% B <- 60% C', () => {
    const r = assessOwnership(graph(['A <- 60 B', 'B <- 60 C'], ['C']), 'A');
    expect(r.verdict).toBe('listed-by-ownership');
    expect(r.listedShare.low).toBe(60);
    expect(r.chains).toEqual(['A <- 60% B [60% listed-owned] <- 60% C (SDN: C, match 1)']);
  });

  it("agrees with OFAC FAQ 401's examples", () => {
    // 1: X owns 50% of A, A owns 50% of B: B is blocked.
    expect(assessOwnership(graph(['A <- 50 X', 'B <- 50 A'], ['X']), 'B').verdict).toBe('listed-by-ownership');
    // 2: X owns 50% of A and of B; A and B each own 25% of C: C is blocked.
    const ex2 = graph(['A <- 50 X', 'B <- 50 X', 'C <- 25 A', 'C <- 25 B'], ['X']);
    expect(assessOwnership(ex2, 'C')).toMatchObject({ verdict: 'listed-by-ownership', listedShare: { low: 50 } });
    // 3: X owns 50% of A and 10% of B; A owns 40% of B: B is blocked.
    const ex3 = graph(['A <- 50 X', 'B <- 10 X', 'B <- 40 A'], ['X']);
    expect(assessOwnership(ex3, 'B')).toMatchObject({ verdict: 'listed-by-ownership', listedShare: { low: 50 } });
  });

  it('counts nothing through an owner that is not itself listed, but reports it as a minority', () => {
    const r = assessOwnership(graph(['S <- 100 A', 'A <- 40 X'], ['X']), 'S');
    expect(r.verdict).toBe('minority-listed-owner');
    expect(r.listedShare).toEqual({ low: 0, high: 0 });
    expect(r.chains).toEqual(['S <- 100% A <- 40% X (SDN: X, match 1)']);
    const just = assessOwnership(graph(['S <- 49.99 X', 'S <- 50.01 Y'], ['X']), 'S');
    expect(just).toMatchObject({ verdict: 'minority-listed-owner', listedShare: { low: 49.99, high: 49.99 } });
  });

  it('makes an unknown share a state of its own, never zero', () => {
    const alone = assessOwnership(graph(['S <- ? X'], ['X']), 'S');
    expect(alone).toMatchObject({ verdict: 'owned-by-listed-share-unknown', listedShare: { low: 0, high: 100 } });
    expect(alone.chains).toEqual(['S <- ?% X (SDN: X, match 1)']);
    expect(alone.explanation).toMatch(/^owned by a listed party, share unknown/);
    // 30% known plus an unknown share: below 50% only if the unknown one is small.
    const some = assessOwnership(graph(['S <- 30 X', 'S <- ? Y'], ['X', 'Y']), 'S');
    expect(some).toMatchObject({ verdict: 'owned-by-listed-share-unknown', listedShare: { low: 30, high: 100 } });
    // Known shares alone reach 50%: listed whatever the unknown one is.
    expect(assessOwnership(graph(['S <- 50 X', 'S <- ? Y'], ['X', 'Y']), 'S').verdict).toBe('listed-by-ownership');
    // Unknown deeper in the chain: B may or may not be listed-owned, so S may be.
    const deep = assessOwnership(graph(['S <- 60 B', 'B <- ? C'], ['C']), 'S');
    expect(deep).toMatchObject({ verdict: 'owned-by-listed-share-unknown', listedShare: { low: 0, high: 60 } });
    // Other owners already hold 60%: the unknown listed stake is at most 40%, a minority.
    const capped = assessOwnership(graph(['S <- 60 Z', 'S <- ? X'], ['X']), 'S');
    expect(capped).toMatchObject({ verdict: 'minority-listed-owner', listedShare: { low: 0, high: 40 } });
  });

  it('guards cycles: nobody becomes listed through a loop of owners', () => {
    const r = assessOwnership(graph(['A <- 60 B', 'B <- 60 A', 'A <- 40 X'], ['X']), 'A');
    expect(r).toMatchObject({ verdict: 'minority-listed-owner', listedShare: { low: 40 } });
    expect(r.chains).toEqual(['A <- 40% X (SDN: X, match 1)']);
    expect(assessOwnership(graph(['A <- 50 B', 'B <- 50 C', 'C <- 50 A']), 'A').verdict).toBe('none');
    // A listed party inside the loop still counts along it.
    const loop = assessOwnership(graph(['A <- 60 B', 'B <- 60 C', 'C <- 60 B', 'C <- 40 X'], ['X']), 'A');
    expect(loop.verdict).toBe('minority-listed-owner');
  });

  it('counts a review as listed and says so', () => {
    const parties = graph(['S <- 55 X']);
    parties.find((p) => p.id === 'X')!.listed = {
      decision: 'review',
      list: 'EL',
      name: 'X LTD',
      entryId: 'csl:1',
      score: 0.9,
    };
    const r = assessOwnership(parties, 'S');
    expect(r.verdict).toBe('listed-by-ownership');
    expect(r.chains).toEqual(['S <- 55% X (EL: X LTD, review 0.9)']);
  });

  it('rejects shares that cannot be', () => {
    expect(() => assessOwnership(graph(['S <- 60 X', 'S <- 50 Y']), 'S')).toThrowError(/hold 110% in total/);
    expect(() => assessOwnership(graph(['S <- 101 X']), 'S')).toThrowError(ValidationError);
    expect(() => assessOwnership(graph(['S <- 10 X']), 'nobody')).toThrowError(/not among the parties/);
  });

  // Trees of owners with random shares (some unknown) and random listed leaves, against a recursive
  // reference written from the rule's words: listed = screened, or >= 50% held by listed owners.
  type Tree = { listed: boolean; owners: { share: number | null; tree: Tree }[] };
  const tree: fc.Arbitrary<Tree> = fc.letrec<{ t: Tree }>((tie) => ({
    t: fc.oneof(
      { maxDepth: 4, depthIdentifier: 'tree' },
      fc.record({ listed: fc.boolean(), owners: fc.constant([] as Tree['owners']) }),
      fc.record({
        listed: fc.boolean(),
        owners: fc.array(
          fc.record({ share: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }), tree: tie('t') }),
          { minLength: 1, maxLength: 3 },
        ),
      }),
    ),
  })).t;
  const normalised = tree.map(function fix(t: Tree): Tree {
    // Scale each level's known shares to at most 100%.
    const sum = t.owners.reduce((s, o) => s + (o.share ?? 0), 0);
    const k = sum > 100 ? 100 / sum : 1;
    return {
      listed: t.listed,
      owners: t.owners.map((o) => ({ share: o.share === null ? null : Math.floor(o.share * k), tree: fix(o.tree) })),
    };
  });
  const toParties = (t: Tree, root = true): OwnershipParty[] => {
    const out: OwnershipParty[] = [];
    let n = 0;
    const walk = (x: Tree, id: string) => {
      const p: OwnershipParty = {
        id,
        name: id,
        listed: x.listed && !(root && id === 'p0') ? SDN(id) : null,
        owners: [],
      };
      out.push(p);
      for (const o of x.owners) {
        const oid = `p${++n}`;
        p.owners.push({ id: oid, ...(o.share !== null ? { share: o.share } : {}) });
        walk(o.tree, oid);
      }
    };
    walk(t, 'p0');
    return out;
  };
  const reference = (
    t: Tree,
    unknownAs: (rest: number) => number,
    isRoot = true,
  ): { listed: boolean; share: number } => {
    const known = t.owners.reduce((s, o) => s + (o.share ?? 0), 0);
    let share = 0;
    let unknown = false;
    for (const o of t.owners) {
      if (!reference(o.tree, unknownAs, false).listed) continue;
      if (o.share === null) unknown = true;
      else share += o.share;
    }
    if (unknown) share += unknownAs(Math.max(0, 100 - known));
    share = Math.min(100, share);
    return { listed: (t.listed && !isRoot) || share >= 50, share };
  };

  it('matches a recursive reference on random owner trees, with low <= high', () => {
    fc.assert(
      fc.property(normalised, (t) => {
        const r = assessOwnership(toParties(t), 'p0');
        const low = reference(t, () => 0).share;
        const high = reference(t, (rest) => rest).share;
        expect(r.listedShare.low).toBeCloseTo(low, 6);
        expect(r.listedShare.high).toBeCloseTo(high, 6);
        expect(r.listedShare.low).toBeLessThanOrEqual(r.listedShare.high);
        const verdict = low >= 50 ? 'listed-by-ownership' : high >= 50 ? 'owned-by-listed-share-unknown' : r.verdict;
        expect(r.verdict).toBe(verdict);
        if (r.verdict === 'none') expect(r.chains).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('never lowers the listed share when an owner becomes listed', () => {
    fc.assert(
      fc.property(normalised, fc.nat(), (t, pick) => {
        const before = toParties(t);
        const after = toParties(t);
        const candidates = after.filter((p) => p.id !== 'p0' && !p.listed);
        if (!candidates.length) return;
        candidates[pick % candidates.length].listed = SDN('NEW');
        const a = assessOwnership(before, 'p0').listedShare;
        const b = assessOwnership(after, 'p0').listedShare;
        expect(b.low).toBeGreaterThanOrEqual(a.low);
        expect(b.high).toBeGreaterThanOrEqual(a.high);
      }),
      { numRuns: 200 },
    );
  });
});

describe('owners in the profile and the assessment', () => {
  const rules = loadRules(DATA_DIR);
  const screener = new Screener(
    buildIndex(parseCslCsv(cslExtract(['Albin Technologies', 'Huawei Technologies Co., Ltd.']))),
  );

  it('screens every owner down the chain and holds a customer owned through a listed-owned holding', () => {
    const profile = profileSchema.parse({
      customer: {
        name: 'Bright Future Trading Sdn Bhd',
        country: 'MY',
        owners: [
          { name: 'Harbour Holdings Ltd', share: 60, owners: [{ name: 'Albin Technologies Sdn Bhd', share: 60 }] },
          { name: 'Tan Ah Kow', share: 40 },
        ],
      },
      order: { endUse: 'AI research' },
    });
    const a = assessProfile(profile, screener, rules);
    expect(a.screenings.map((s) => [s.role, s.path, s.result.decision])).toEqual([
      ['customer', undefined, 'clear'],
      ['owner', 'customer.owners[0]', 'clear'],
      ['owner', 'customer.owners[0].owners[0]', 'match'],
      ['owner', 'customer.owners[1]', 'clear'],
    ]);
    expect(a.ownership.verdict).toBe('listed-by-ownership');
    expect(a.ownership.chains[0]).toMatch(
      new RegExp(
        '^Bright Future Trading Sdn Bhd <- 60% Harbour Holdings Ltd \\[60% listed-owned\\] ' +
          '<- 60% Albin Technologies Sdn Bhd \\(EL: Albin',
      ),
    );
    expect(a.flags.map((f) => f.id)).toEqual(expect.arrayContaining(['listed-party', 'listed-owner']));
    expect(a.suggestedRisk).toBe('high');
    expect(a.hits.map((h) => [h.id, h.kind, h.party])).toEqual([
      ['h1', 'match', 'Albin Technologies Sdn Bhd'],
      ['h2', 'listed-by-ownership', 'Bright Future Trading Sdn Bhd'],
    ]);
    expect(a.reasons.join('\n')).toMatch(/ownership: listed parties own 60%[\s\S]*chain: Bright Future/);
  });

  it('treats beneficial owners as owners of unknown share', () => {
    const profile = profileSchema.parse({
      customer: { name: 'Gulf AI Cloud LLC', beneficialOwners: [{ name: 'Huawei Technologies Co., Ltd.' }] },
      order: { endUse: 'AI research' },
    });
    const a = assessProfile(profile, screener, rules);
    expect(a.ownership.verdict).toBe('owned-by-listed-share-unknown');
    expect(a.hits.map((h) => h.kind)).toEqual(['match', 'owned-by-listed-share-unknown']);
    expect(a.flags.map((f) => f.id)).toContain('listed-owner');
  });

  it('leaves a clean owner tree alone', () => {
    const profile = profileSchema.parse({
      customer: { name: 'Acme Widgets GmbH', country: 'DE', owners: [{ name: 'Acme Holding AG', share: 100 }] },
      order: { endUse: 'rendering farm' },
    });
    const a = assessProfile(profile, screener, rules);
    expect(a).toMatchObject({ ownership: { verdict: 'none' }, hits: [], suggestedRisk: 'low' });
  });

  it('counts only lists a 50% rule reaches (SDN, SSI, EL, MEU) towards ownership', () => {
    const result = (name: string, list: string, score: number) => ({
      query: { name },
      decision: 'match' as const,
      matches: [{ entryId: `${list}-1`, list, name: name.toUpperCase(), matchedName: name, score, explanation: '' }],
    });
    const stub = {
      screen: (q: { name: string }) =>
        q.name === 'Cmic Co'
          ? result(q.name, 'CMIC', 1)
          : q.name === 'Sdn Co'
            ? result(q.name, 'SDN', 0.95)
            : { query: q, decision: 'clear' as const, matches: [] },
    } as unknown as Screener;
    const profile = (owner: string) =>
      profileSchema.parse({ customer: { name: 'S', owners: [{ name: owner, share: 80 }] }, order: { endUse: 'x' } });
    const cmic = assessProfile(profile('Cmic Co'), stub, rules);
    expect(cmic.ownership.verdict).toBe('none');
    expect(cmic.hits.map((h) => [h.kind, h.party])).toEqual([['match', 'Cmic Co']]); // still a hit of its own
    const sdn = assessProfile(profile('Sdn Co'), stub, rules);
    expect(sdn.ownership).toMatchObject({
      verdict: 'listed-by-ownership',
      chains: ['S <- 80% Sdn Co (SDN: SDN CO, match 0.95)'],
    });
  });

  it('rejects owner shares over 100% and chains nested too deep, naming where', () => {
    const over = profileSchema.safeParse({
      customer: {
        name: 'X',
        owners: [
          {
            name: 'A',
            share: 60,
            owners: [
              { name: 'B', share: 70 },
              { name: 'C', share: 40 },
            ],
          },
        ],
      },
    });
    expect(over.success).toBe(false);
    expect(over.error!.issues[0]).toMatchObject({ path: ['customer', 'owners', 0, 'owners'] });
    expect(over.error!.issues[0].message).toMatch(/add up to 110%/);
    const bad = profileSchema.safeParse({ customer: { name: 'X', owners: [{ name: 'A', share: 120 }] } });
    expect(bad.error!.issues[0]).toMatchObject({ path: ['customer', 'owners', 0, 'share'] });
    let deep: { name: string; owners?: unknown[] } = { name: 'leaf' };
    for (let i = 0; i < 12; i++) deep = { name: `n${i}`, owners: [deep] };
    const tooDeep = profileSchema.safeParse({ customer: { name: 'X', owners: [deep] } });
    expect(tooDeep.error!.issues[0].message).toMatch(/at most 10 levels/);
  });
});
