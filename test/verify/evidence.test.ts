// A shipment's verdicts as evidence for a diligence case's post-shipment verification.
import { describe, it, expect } from 'vitest';
import { summarise } from '../../src/verify/evidence.js';

const row = (id: number, serial: string, verdict: string, declared: boolean | null, at: string) => ({ id: String(id), serial, verdict, declared_consistent: declared, checked_at: at });

describe('shipment evidence', () => {
  it('passes only when every chip is proven outside and none contradicts its declared site', () => {
    const ok = summarise('S9', [row(4, 'A', 'proven-outside', true, '2026-12-01T00:00:00Z'), row(7, 'B', 'proven-outside', null, '2026-12-02T00:00:00Z')]);
    expect(ok).toMatchObject({ consistent: true, ref: 'shipment S9: verify results 4, 7', summary: '2 of 2 chips proven outside the restricted countries at their declared sites' });
    expect(ok.observedAt.toISOString()).toBe('2026-12-02T00:00:00.000Z');
    // Proven outside CN but 2,000 km from where it was declared: not a pass.
    const moved = summarise('S9', [row(4, 'A', 'proven-outside', false, '2026-12-01T00:00:00Z'), row(7, 'B', 'proven-outside', true, '2026-12-02T00:00:00Z')]);
    expect(moved.consistent).toBe(false);
    expect(moved.summary).toContain('not verified: A (not at its declared site)');
    expect(summarise('S9', [row(1, 'A', 'inconclusive', null, '2026-12-01T00:00:00Z')]).consistent).toBe(false);
  });
});
