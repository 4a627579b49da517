// The JavaScript exp used by the lognormal sampler agrees with Math.exp to a few units in the last place.
import { describe, expect, it } from 'vitest';
import { fastExp, expInPlace } from '../../src/estimate/dist/fastexp.js';
import { Rng } from '../../src/estimate/dist/rng.js';

describe('fastExp', () => {
  it('is within 2 ulp (relative error ≤ 2^-51 ≈ 4.5e-16) of Math.exp over [-708, 709]', () => {
    const rng = new Rng(3);
    let worst = 0;
    for (let i = 0; i < 200_000; i++) {
      const x = -708 + rng.uniform() * 1417;
      worst = Math.max(worst, Math.abs(fastExp(x) / Math.exp(x) - 1));
    }
    for (const x of [0, 1e-300, -1e-300, 1, -1, 0.5, 700, -700, 708.9, -707.9])
      worst = Math.max(worst, Math.abs(fastExp(x) / Math.exp(x) - 1));
    expect(worst).toBeLessThanOrEqual(2 ** -51);
  });
  it('is exact at 0 and handles the edges like Math.exp', () => {
    expect(fastExp(0)).toBe(1);
    for (const x of [710, 1000, Infinity, -746, -Infinity, NaN, -708.5])
      expect(Object.is(fastExp(x), Math.exp(x))).toBe(true);
  });
  it('expInPlace equals fastExp elementwise', () => {
    const a = Float64Array.from([0, 1, -3.5, 12, 800, -800]);
    const b = a.map(fastExp);
    expInPlace(a, 0, a.length);
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});
