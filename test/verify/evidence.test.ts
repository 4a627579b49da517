// A shipment's status from its chips' latest verdicts, in the verifier's terms, and its adaptation to
// due diligence's location evidence (src/app/wiring.ts).
import { describe, it, expect } from 'vitest';
import { summarise } from '../../src/verify/evidence.js';
import type { VerdictKind } from '../../src/verify/verdict.js';

const chip = (
  resultId: number,
  serial: string,
  verdict: VerdictKind,
  declaredConsistent: boolean | null,
  at: string,
) => ({ resultId, serial, verdict, declaredConsistent, checkedAt: new Date(at) });

describe('shipment verification status', () => {
  it('verified only when every chip is proven outside and none contradicts its declared site', () => {
    const ok = summarise('S9', [
      chip(4, 'A', 'proven-outside', true, '2026-12-01T00:00:00Z'),
      chip(7, 'B', 'proven-outside', null, '2026-12-02T00:00:00Z'),
    ]);
    expect(ok).toMatchObject({
      allVerified: true,
      ref: 'shipment S9: verify results 4, 7',
      summary: '2 of 2 chips proven outside the restricted countries at their declared sites',
    });
    expect(ok.checkedAt.toISOString()).toBe('2026-12-02T00:00:00.000Z');
    // Proven outside CN but 2,000 km from where it was declared: not verified.
    const moved = summarise('S9', [
      chip(4, 'A', 'proven-outside', false, '2026-12-01T00:00:00Z'),
      chip(7, 'B', 'proven-outside', true, '2026-12-02T00:00:00Z'),
    ]);
    expect(moved.allVerified).toBe(false);
    expect(moved.summary).toContain('not verified: A (not at its declared site)');
    expect(summarise('S9', [chip(1, 'A', 'inconclusive', null, '2026-12-01T00:00:00Z')]).allVerified).toBe(false);
  });
});
