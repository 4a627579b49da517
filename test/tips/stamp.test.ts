// Form stamps (src/tips/form/stamp.ts): good once, between the minimum and maximum age, with its own MAC.
import { describe, expect, it } from 'vitest';
import { FormStamps } from '../../src/tips/form/stamp.js';

const RULES = { minAgeMs: 3_000, maxAgeMs: 60_000, maxRemembered: 3 };
const T = 1_800_000_000_000;

describe('form stamps', () => {
  it('redeems a stamp once, only between its minimum and maximum age', () => {
    const s = new FormStamps(new Uint8Array(32).fill(7), RULES);
    const stamp = s.issue(T);
    expect(s.redeem(stamp, T + 1_000)).toEqual({ ok: false, reason: 'too-new' });
    expect(s.redeem(stamp, T + 61_000)).toEqual({ ok: false, reason: 'expired' });
    expect(s.redeem(stamp, T + 5_000)).toEqual({ ok: true });
    expect(s.redeem(stamp, T + 6_000)).toEqual({ ok: false, reason: 'used' });
    expect(s.redeem(undefined, T)).toEqual({ ok: false, reason: 'missing' });
  });

  it('refuses a stamp of another secret, a changed time and a malformed one', () => {
    const mine = new FormStamps(new Uint8Array(32).fill(7), RULES);
    const theirs = new FormStamps(new Uint8Array(32).fill(8), RULES);
    expect(mine.redeem(theirs.issue(T), T + 5_000)).toEqual({ ok: false, reason: 'malformed' });
    const stamp = mine.issue(T);
    const older = `${T - 10_000}${stamp.slice(13)}`;
    expect(mine.redeem(older, T + 5_000)).toEqual({ ok: false, reason: 'malformed' });
    expect(mine.redeem('1.2.3', T)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('forgets redeemed stamps once they expire, and keeps at most maxRemembered', () => {
    const s = new FormStamps(new Uint8Array(32), RULES);
    const first = s.issue(T);
    expect(s.redeem(first, T + 5_000).ok).toBe(true);
    for (let i = 0; i < 3; i++) expect(s.redeem(s.issue(T + 100_000), T + 105_000).ok).toBe(true);
    // `first` has expired and is forgotten, but it is refused for its age all the same.
    expect(s.redeem(first, T + 105_000)).toEqual({ ok: false, reason: 'expired' });
    expect((s as unknown as { redeemed: Map<string, number> }).redeemed.size).toBeLessThanOrEqual(3);
  });
});
