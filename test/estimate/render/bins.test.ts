import { describe, expect, it } from 'vitest';
import { binSamples } from '../../../src/estimate/render/bins.js';
import { chooseLog } from '../../../src/estimate/render/plan.js';
import { subsample } from '../../../src/estimate/render/stats.js';
import { lognormals, normals, rng } from './samples.js';

function total(b: ReturnType<typeof binSamples>): number {
  return b.counts.reduce((a, c) => a + c, 0) + b.below + b.above + b.nan;
}

/** Reference: binary search on the same exact edges, with Math.log10 nowhere in the loop. */
function referenceLogCounts(samples: Float64Array, lo: number, hi: number, bins: number): Float64Array {
  const edges = Array.from({ length: bins + 1 }, (_, k) => 10 ** (lo + ((hi - lo) * k) / bins));
  const counts = new Float64Array(bins);
  for (const v of samples) {
    if (!(v >= edges[0] && v <= edges[bins])) continue;
    let a = 0;
    let b = bins - 1;
    while (a < b) {
      const m = (a + b + 1) >> 1;
      if (v >= edges[m]) a = m;
      else b = m - 1;
    }
    counts[a]++;
  }
  return counts;
}

describe('binSamples', () => {
  const mixed = normals(20_000, 5, 10, 1);
  mixed[3] = NaN;
  mixed[4] = Infinity;
  mixed[5] = -Infinity;
  mixed[6] = 0;

  it('puts every sample somewhere: bins + below + above + NaN = n (linear)', () => {
    const b = binSamples(mixed, { log: false, lo: -10, hi: 20 }, 37);
    expect(total(b)).toBe(mixed.length);
    expect(b.nan).toBe(1);
    expect(b.above).toBeGreaterThan(0);
    expect(b.below).toBeGreaterThan(0);
  });

  it('puts every sample somewhere on a log axis too; zeros and negatives count as below', () => {
    const b = binSamples(mixed, { log: true, lo: -1, hi: 1.2 }, 64);
    expect(total(b)).toBe(mixed.length);
    const nonPositive = mixed.filter((v) => v <= 0).length;
    expect(b.nonPositive).toBe(nonPositive);
    expect(b.below).toBeGreaterThanOrEqual(nonPositive);
  });

  it('includes the upper end in the last bin and the lower end in the first', () => {
    const s = new Float64Array([0, 10, 10, 5]);
    const b = binSamples(s, { log: false, lo: 0, hi: 10 }, 4);
    expect(Array.from(b.counts)).toEqual([1, 0, 1, 2]);
    const l = binSamples(new Float64Array([1, 100, 10]), { log: true, lo: 0, hi: 2 }, 2);
    expect(Array.from(l.counts)).toEqual([1, 2]);
  });

  it('fast log binning matches exact edges, for coarse and very fine bins', () => {
    const s = lognormals(200_000, 0, 3, 2);
    for (const [lo, hi, bins] of [
      [-5, 5, 80],
      [-1, 2, 4096],
      [0.5, 0.5001, 64],
    ] as const) {
      const b = binSamples(s, { log: true, lo, hi }, bins);
      expect(Array.from(b.counts)).toEqual(Array.from(referenceLogCounts(s, lo, hi, bins)));
      expect(total(b)).toBe(s.length);
    }
  });

  it('rejects an empty axis or a bad bin count', () => {
    expect(() => binSamples(mixed, { log: false, lo: 1, hi: 1 }, 10)).toThrow(RangeError);
    expect(() => binSamples(mixed, { log: false, lo: 0, hi: 1 }, 0)).toThrow(RangeError);
  });
});

describe('chooseLog', () => {
  it('picks a log axis for lognormal(0, 3) and not for normal data', () => {
    expect(chooseLog(subsample(lognormals(100_000, 0, 3, 3)), 'auto').log).toBe(true);
    expect(chooseLog(subsample(normals(100_000, 0, 1, 4)), 'auto').log).toBe(false);
    // Positive but narrow: still linear.
    expect(chooseLog(subsample(normals(100_000, 100, 10, 5)), 'auto').log).toBe(false);
    // lognormal(0, 0.5): positive, spans well under two decades.
    expect(chooseLog(subsample(lognormals(100_000, 0, 0.5, 6)), 'auto').log).toBe(false);
  });

  it('honours a forced log axis only for positive data, with a note otherwise', () => {
    expect(chooseLog(subsample(normals(1000, 100, 10, 7)), true)).toEqual({ log: true });
    const c = chooseLog(subsample(normals(1000, 0, 1, 8)), true);
    expect(c.log).toBe(false);
    expect(c.note).toMatch(/positive/);
    expect(chooseLog(subsample(lognormals(1000, 0, 3, 9)), false).log).toBe(false);
  });

  it('subsample is deterministic and within the data', () => {
    const s = normals(1_000_000, 0, 1, 10);
    const a = subsample(s);
    expect(Array.from(a)).toEqual(Array.from(subsample(s)));
    expect(a.length).toBe(16384);
    let sorted = true;
    for (let i = 1; i < a.length; i++) if (a[i] < a[i - 1]) sorted = false;
    expect(sorted).toBe(true);
    expect(rng(1)()).not.toBe(rng(2)());
  });
});
