// Summaries against a sorted reference; sensitivity and correlation on models with known answers.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { quantiles, summarize } from '../../src/estimate/analysis/summary.js';
import { ranks } from '../../src/estimate/analysis/sensitivity.js';
import { runEstimate } from '../../src/estimate/engine/run.js';

function type7(sorted: number[], p: number): number {
  const h = p * (sorted.length - 1);
  const lo = Math.floor(h);
  return lo + 1 < sorted.length ? sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
}

describe('summary', () => {
  it('quantiles equal the sorted-array reference (property, with ties and tiny arrays)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 300 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 6 }),
        (xs, ps) => {
          const a = Float64Array.from(xs);
          const sorted = [...xs].sort((x, y) => x - y);
          const got = quantiles(a, ps);
          ps.forEach((p, i) => {
            expect(got[i]).toBeCloseTo(type7(sorted, p), 9);
          });
          expect(Array.from(a)).toEqual(xs); // input untouched
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });
  it('mean, sd, min, max and P(X > x)', () => {
    const s = summarize(Float64Array.from([1, 2, 3, 4, 10]), [3, 0]);
    expect(s).toMatchObject({ mean: 4, min: 1, max: 10, p50: 3, pAbove: { '3': 0.4, '0': 1 } });
    expect(s.sd).toBeCloseTo(Math.sqrt(12.5), 12);
  });
  it('average ranks for ties', () => {
    expect(Array.from(ranks(Float64Array.from([5, 1, 5, 3])))).toEqual([2.5, 0, 2.5, 1]);
  });
});

describe('sensitivity', () => {
  it('ranks inputs of y = 3·a + b: variance shares 0.9 and 0.1', () => {
    const { result } = runEstimate({
      model: 'm',
      source: 'a = normal(0, 1)\nb = normal(0, 1)\ny = 3 * a + b\n{y}',
      samples: 100_000,
      sensitivity: true,
    });
    const rows = result.sensitivity!.y;
    expect(rows.map((r) => r.input)).toEqual(['a', 'b']);
    // True S1: 9/10 and 1/10; binning bias and MC error are below 0.02 at 100k samples.
    expect(rows[0].varianceShare).toBeCloseTo(0.9, 1);
    expect(Math.abs(rows[0].varianceShare - 0.9)).toBeLessThan(0.02);
    expect(Math.abs(rows[1].varianceShare - 0.1)).toBeLessThan(0.02);
    // Spearman of a bivariate normal with Pearson 3/√10: (6/π)·asin(ρ/2)
    const rho = 3 / Math.sqrt(10);
    expect(Math.abs(rows[0].spearman - (6 / Math.PI) * Math.asin(rho / 2))).toBeLessThan(0.01);
  });
  it('reports a mixture’s component choice as an input', () => {
    const { result } = runEstimate({
      model: 'm',
      source: 'a = normal(0, 1)\ny = mx(a, a + 100, [0.5, 0.5])\n{y}',
      samples: 50_000,
      sensitivity: true,
    });
    const top = result.sensitivity!.y[0];
    expect(top.input).toBe('y component');
    expect(top.varianceShare).toBeGreaterThan(0.99);
  });
});

describe('correlate (Iman–Conover)', () => {
  const src =
    'a = 10 to 100\nb = normal(5, 2)\nc = uniform(0, 1)\n' +
    'correlate([a, b, c], [[1, 0.7, -0.4], [0.7, 1, 0], [-0.4, 0, 1]])\ns = a + b + c\n{s, a, b, c}';
  it('imposes the target rank correlations and keeps the marginals', () => {
    const { evaluation } = runEstimate({ model: 'm', source: src, samples: 200_000, seed: 3 });
    const o = evaluation.outputs;
    const spearman = (x: Float64Array, y: Float64Array) => {
      const rx = ranks(x),
        ry = ranks(y);
      let sxy = 0,
        sxx = 0,
        syy = 0;
      const m = (x.length - 1) / 2;
      for (let i = 0; i < x.length; i++) {
        sxy += (rx[i] - m) * (ry[i] - m);
        sxx += (rx[i] - m) ** 2;
        syy += (ry[i] - m) ** 2;
      }
      return sxy / Math.sqrt(sxx * syy);
    };
    // Iman–Conover matches Pearson of normal scores; Spearman differs from it by < 0.02 for |r| ≤ 0.7.
    expect(Math.abs(spearman(o.get('a')!, o.get('b')!) - 0.7)).toBeLessThan(0.03);
    expect(Math.abs(spearman(o.get('a')!, o.get('c')!) + 0.4)).toBeLessThan(0.03);
    expect(Math.abs(spearman(o.get('b')!, o.get('c')!))).toBeLessThan(0.03);
    // Marginals unchanged: same multiset of values as the uncorrelated run.
    const plain = runEstimate({ model: 'm', source: src.replace(/correlate.*\n/, ''), samples: 200_000, seed: 3 })
      .evaluation.outputs;
    expect(Array.from(o.get('a')!.slice().sort())).toEqual(Array.from(plain.get('a')!.slice().sort()));
  });
  it('rejects matrices that are not correlation matrices, and late correlation', () => {
    const bad = (m: string) => () =>
      runEstimate({ model: 'm', source: `a = 1 to 2\nb = 1 to 3\ncorrelate([a, b], ${m})\n{a, b}`, samples: 100 });
    expect(bad('[[1, 2], [2, 1]]')).toThrow(/must lie in \[-1, 1\]/);
    expect(bad('[[1, 0.5], [0.4, 1]]')).toThrow(/symmetric/);
    expect(bad('[[1, 0.5], [0.5]]')).toThrow(/2×2/);
    expect(() =>
      runEstimate({
        model: 'm',
        source: 'a = 1 to 2\nb = 1 to 3\nc = a * 2\ncorrelate([a, b], [[1, 0.5], [0.5, 1]])\n{c}',
        samples: 100,
      }),
    ).toThrow(/a is used on line 3 before this correlate/);
    expect(() =>
      runEstimate({
        model: 'm',
        source:
          'a = 1 to 2\nb = 1 to 3\nc = 1 to 4\n' +
          'correlate([a, b, c], [[1, 0.9, 0.9], [0.9, 1, -0.9], [0.9, -0.9, 1]])\n{a}',
        samples: 100,
      }),
    ).toThrow(/not positive definite/);
  });
});

describe('multi-rank selection on large arrays (radix buckets)', () => {
  it('matches a full sort for mixed-sign, heavy-tailed, tied and narrow data', async () => {
    const { multiSelect } = await import('../../src/estimate/analysis/select.js');
    const { Rng } = await import('../../src/estimate/dist/rng.js');
    const rng = new Rng(7);
    const n = 50_000;
    const datasets = [
      Float64Array.from({ length: n }, () => (rng.uniform() - 0.3) * Math.exp(10 * rng.uniform())), // both signs, wide
      Float64Array.from({ length: n }, () => Math.round(rng.uniform() * 5)), // heavy ties
      Float64Array.from({ length: n }, () => 1e6 + rng.uniform() * 1e-3), // one bucket
      Float64Array.from({ length: n }, (_, i) => (i % 2 ? -0 : 0) + (i % 7 === 0 ? -1e-300 : 1e300 * rng.uniform())),
    ];
    const ranks = [0, 1, 17, 2499, 2500, 12_345, 25_000, 25_001, 47_500, n - 2, n - 1];
    for (const d of datasets) {
      const sorted = d.slice().sort();
      expect(multiSelect(d, ranks)).toEqual(ranks.map((r) => sorted[r]));
    }
  });
});

describe('summarize on large arrays (two-pass radix path)', () => {
  it('matches naive mean, sd, min, max and sorted quantiles', async () => {
    const { Rng } = await import('../../src/estimate/dist/rng.js');
    const rng = new Rng(11);
    const a = Float64Array.from({ length: 100_003 }, () => Math.exp(4 * rng.uniform()) - 20);
    const sorted = [...a].sort((x, y) => x - y);
    const mean = sorted.reduce((s, x) => s + x, 0) / a.length;
    const sd = Math.sqrt(sorted.reduce((s, x) => s + (x - mean) ** 2, 0) / (a.length - 1));
    const s = summarize(a, [0]);
    expect(s.mean).toBeCloseTo(mean, 9);
    expect(s.sd).toBeCloseTo(sd, 9);
    expect(s.min).toBe(sorted[0]);
    expect(s.max).toBe(sorted[sorted.length - 1]);
    expect(s.p5).toBeCloseTo(type7(sorted, 0.05), 12);
    expect(s.p50).toBeCloseTo(type7(sorted, 0.5), 12);
    expect(s.p95).toBeCloseTo(type7(sorted, 0.95), 12);
    expect(s.pAbove!['0']).toBe(sorted.filter((x) => x > 0).length / a.length);
  });
});
