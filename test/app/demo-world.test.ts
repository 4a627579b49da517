// The demo world's pure core: the plan is a function of seed and day (another seed, another world), it spans
// 18 months and ~10,000 chips with diverted batches and one lost chip, and the latency model never answers
// faster than light in fibre allows (an honest chip stays consistent) nor slower than its route bound.
import { describe, expect, it } from 'vitest';
import { distanceKm, FIBER_KM_PER_MS } from '../../src/geo/index.js';
import { FLOOR_MICROS, routeFactor, rttMicros } from '../../src/app/demo/latency.js';
import { CHIPS, LANDMARKS, MONTHS, planWorld, SHENZHEN, worldDay } from '../../src/app/demo/world.js';

const DAY = new Date('2026-12-07T00:00:00Z');

describe('demo world plan', () => {
  const w = planWorld(17, DAY);

  it('is the same for the same seed and day, and differs for another seed', () => {
    expect(JSON.stringify(planWorld(17, DAY))).toBe(JSON.stringify(w));
    const other = planWorld(18, DAY);
    expect(other.filings.map((f) => f.rows.map((r) => r.location_address))).not.toEqual(
      w.filings.map((f) => f.rows.map((r) => r.location_address)),
    );
    expect(worldDay(new Date('2026-12-07T23:59:59Z'))).toEqual(DAY);
  });

  it('files ~10,000 chips over the 18 months before the day, one serial per exported chip', () => {
    const months = new Set(w.filings.map((f) => f.receivedAt.toISOString().slice(0, 7)));
    expect(months.size).toBe(MONTHS);
    expect([...months].sort().at(-1)).toBe('2026-11');
    expect([...months].sort()[0]).toBe('2025-06');
    const active = w.filings.flatMap((f) => f.rows).filter((r) => r.item_status === 'active');
    expect(active.length).toBe(CHIPS + 1); // the lost chip is filed again
    expect(new Set(active.map((r) => r.serial_number)).size).toBe(CHIPS);
    const sorted = w.filings.map((f) => f.receivedAt.getTime());
    expect(sorted).toEqual([...sorted].sort((a, b) => a - b));
  });

  it('reports one chip lost and files it again later; checks it; diverts two batches to Shenzhen', () => {
    const history = w.filings.filter((f) => f.rows.some((r) => r.serial_number === w.lost));
    expect(history.map((f) => f.rows.find((r) => r.serial_number === w.lost)!.item_status)).toEqual([
      'active',
      'lost',
      'active',
    ]);
    expect(w.checked.some((c) => c.serial === w.lost)).toBe(true);
    expect(w.diverted).toHaveLength(16);
    const at = new Map(w.checked.map((c) => [c.serial, c.at]));
    for (const s of w.diverted) expect(at.get(s)).toEqual(SHENZHEN);
    expect(w.checked.filter((c) => c.at === SHENZHEN)).toHaveLength(16);
  });
});

describe('latency model', () => {
  it('stays between light in fibre over the great circle and the route bound plus jitter', () => {
    const site = { lat: 1.2966, lon: 103.7875 };
    for (const l of LANDMARKS) {
      const d = distanceKm(l, site);
      const f = routeFactor(l, site);
      expect(f).toBeGreaterThanOrEqual(1.3);
      expect(f).toBeLessThan(1.9);
      expect(routeFactor(l, site)).toBe(f);
      const fastest = rttMicros(l, site, 0);
      expect(fastest).toBe(Math.round(((2 * d * f) / FIBER_KM_PER_MS) * 1000) + FLOOR_MICROS);
      expect(fastest).toBeGreaterThan((2 * d * 1000) / FIBER_KM_PER_MS);
      expect(rttMicros(l, site, 0.99)).toBeGreaterThan(fastest); // jitter only adds
    }
  });
});
