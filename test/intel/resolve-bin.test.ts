// Resolution through the built bin, on both databases: `intel candidates` names the pairs and why,
// `intel decide` records judgements (never a merge), `--revert` records a reversal, and `intel decisions`
// shows the audit trail; mistakes are one line on stderr with exit 1 or 2.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { databases, intelDir, removeIntelDirs } from './entities-bin-harness.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
afterAll(removeIntelDirs);

interface Pair {
  a: { id: string };
  b: { id: string };
  score: number;
  reasons: { kind: string }[];
  judgement?: { judgement: string; decisionId: number };
}

describe.each(databases)('intel candidates / decide / decisions, built bin ($name)', (database) => {
  it('finds the near-duplicates, records and reverts judgements, and keeps the trail', {
    timeout: 600_000,
  }, async () => {
    const d = await intelDir(database.url);
    d.ok('import', join(FIXTURES, 'ftm-sample.jsonl'), '--format', 'ftm');
    d.ok('import', join(FIXTURES, 'ftm-near-duplicates.jsonl'), '--format', 'ftm');
    const pairs = JSON.parse(d.ok('candidates', '--entity', 'yy-co-0001', '--json')) as Pair[];
    expect(pairs.map((p) => [p.a.id, p.b.id])).toEqual([['xx-co-0001', 'yy-co-0001']]);
    expect(pairs[0].reasons.map((r) => r.kind).sort()).toEqual(['name', 'registration']);
    const phone = JSON.parse(d.ok('candidates', '--entity', 'yy-co-0002', '--json')) as Pair[];
    expect(phone.map((p) => [p.a.id, p.b.id, p.reasons.map((r) => r.kind)])).toEqual([
      ['xx-co-0002', 'yy-co-0002', ['phone']],
    ]);

    const same = JSON.parse(
      d.ok('decide', 'yy-co-0001', 'xx-co-0001', 'same', '--reason', 'same HK registration', '--json'),
    ) as { id: number; actor: string };
    expect(same.actor).toMatch(/^cli:/);
    // Judged pairs leave the list, unless --all.
    expect(JSON.parse(d.ok('candidates', '--entity', 'yy-co-0001', '--json'))).toEqual([]);
    const all = JSON.parse(d.ok('candidates', '--entity', 'yy-co-0001', '--all', '--json')) as Pair[];
    expect(all[0].judgement).toEqual({ judgement: 'same', decisionId: same.id });
    // Never merged: both entities are still exported, each with its own id.
    const exported = d.ok('export', '--format', 'ftm');
    expect(exported).toContain('"id":"xx-co-0001"');
    expect(exported).toContain('"id":"yy-co-0001"');

    expect(d.ok('decide', '--revert', String(same.id), '--reason', 'registration typo')).toMatch(
      new RegExp(`^recorded decision \\d+ .* revert ${same.id} `),
    );
    expect(JSON.parse(d.ok('candidates', '--entity', 'yy-co-0001', '--json'))).toHaveLength(1);
    const trail = JSON.parse(d.ok('decisions', '--entity', 'xx-co-0001', '--json')) as {
      judgement: string;
      reverted: boolean;
      reason: string;
    }[];
    expect(trail.map((t) => [t.judgement, t.reverted, t.reason])).toEqual([
      ['revert', false, 'registration typo'],
      ['same', true, 'same HK registration'],
    ]);

    const bad = d.run('decide', 'xx-co-0001', 'yy-co-0001', 'merge', '--reason', 'x');
    expect([bad.status, bad.stderr]).toEqual([
      1,
      'chipwatch: field judgement: judgement must be one of same, different, unsure\n',
    ]);
    const missing = d.run('decide', 'xx-co-0001', 'nobody', 'same', '--reason', 'x');
    expect([missing.status, missing.stderr]).toEqual([1, 'chipwatch: field b: no entity nobody\n']);
    const twice = d.run('decide', '--revert', String(same.id), '--reason', 'again');
    expect([twice.status, twice.stderr]).toEqual([
      1,
      `chipwatch: field revert: decision ${same.id} is already reverted\n`,
    ]);
    const usage = d.run('decide', 'xx-co-0001', '--reason', 'x');
    expect(usage.status).toBe(2);
    const unknown = d.run('candidates', '--entity', 'nobody');
    expect([unknown.status, unknown.stderr]).toEqual([1, 'chipwatch: field entity: no entity nobody\n']);
  });
});
