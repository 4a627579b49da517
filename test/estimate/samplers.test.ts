// Samplers checked statistically with fixed seeds. Tolerances are stated in standard errors (SE):
// with a fixed seed each check is deterministic; 5 SE would fail by chance with probability < 1e-6
// for an unlucky seed, so a failure here means a real bias.
import { describe, expect, it } from 'vitest';
import { Rng, fillUniform } from '../../src/estimate/dist/rng.js';
import { fillNormal } from '../../src/estimate/dist/normal.js';
import { makeDist, credibleInterval, sampleInto, cdf } from '../../src/estimate/dist/samplers.js';
import { sampleTruncated } from '../../src/estimate/dist/truncate.js';
import { normalCdf, normalQuantile } from '../../src/estimate/dist/special.js';
import { quantiles } from '../../src/estimate/analysis/summary.js';

const N = 200_000;

function meanSd(x: Float64Array): [number, number] {
  let m = 0;
  for (const v of x) m += v;
  m /= x.length;
  let s = 0;
  for (const v of x) s += (v - m) ** 2;
  return [m, Math.sqrt(s / (x.length - 1))];
}

/** Kolmogorov–Smirnov statistic of x against a CDF. */
function ks(x: Float64Array, F: (v: number) => number): number {
  const s = x.slice().sort();
  let d = 0;
  for (let i = 0; i < s.length; i++) {
    const f = F(s[i]);
    d = Math.max(d, Math.abs(f - i / s.length), Math.abs(f - (i + 1) / s.length));
  }
  return d;
}
// KS critical value at the 0.1% level: 1.95 / sqrt(n).
const KS_CRIT = 1.95 / Math.sqrt(N);

function draw(spec: ReturnType<typeof makeDist>, seed = 11): Float64Array {
  const out = new Float64Array(N);
  sampleInto(spec, new Rng(seed, 'test'), out);
  return out;
}

describe('PRNG', () => {
  it('uniforms lie in (0, 1) with mean 1/2 and variance 1/12', () => {
    const u = new Float64Array(N);
    fillUniform(new Rng(1), u);
    expect(u.reduce((a, b) => Math.min(a, b)) > 0 && u.reduce((a, b) => Math.max(a, b)) < 1).toBe(true);
    const [m, sd] = meanSd(u);
    expect(Math.abs(m - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / N));
    expect(Math.abs(sd * sd - 1 / 12)).toBeLessThan(0.001);
    expect(ks(u, (v) => v)).toBeLessThan(KS_CRIT);
  });
  it('different keys and chunks give independent-looking streams', () => {
    const a = new Float64Array(N),
      b = new Float64Array(N);
    fillUniform(new Rng(1, 'a', 0), a);
    fillUniform(new Rng(1, 'a', 1), b);
    let c = 0;
    for (let i = 0; i < N; i++) c += (a[i] - 0.5) * (b[i] - 0.5);
    // correlation SE = 1/sqrt(N)
    expect(Math.abs(c / N / (1 / 12))).toBeLessThan(5 / Math.sqrt(N));
  });
});

describe('normal (ziggurat)', () => {
  it('has mean 0, sd 1 and passes KS against Φ, tails included', () => {
    const z = new Float64Array(N);
    fillNormal(new Rng(5), z);
    const [m, sd] = meanSd(z);
    expect(Math.abs(m)).toBeLessThan(5 / Math.sqrt(N));
    expect(Math.abs(sd - 1)).toBeLessThan(5 / Math.sqrt(2 * N));
    expect(ks(z, normalCdf)).toBeLessThan(KS_CRIT);
    // tail beyond 3.442 (the ziggurat's tail start) has probability 2.88e-4 per side
    let tail = 0;
    for (const v of z) if (v > 3.442619855899) tail++;
    const p = 1 - normalCdf(3.442619855899);
    expect(Math.abs(tail - p * N)).toBeLessThan(5 * Math.sqrt(p * N));
  });
});

describe('distributions', () => {
  it('`a to b` has p5 = a and p95 = b', () => {
    const x = draw(credibleInterval(38, 150));
    const [p5, p95] = quantiles(x, [0.05, 0.95]);
    // quantile SE ≈ sqrt(p(1-p)/N)/f(q); ~0.7% relative here, so allow 3%.
    expect(p5 / 38).toBeCloseTo(1, 1);
    expect(p95 / 150).toBeCloseTo(1, 1);
  });
  it('normal({p5, p95}) and lognormal({p5, p95})', () => {
    const n = makeDist('normal', [], { lo: 10, hi: 20, p: 0.05 });
    expect(n).toEqual({ type: 'normal', mean: 15, sd: 5 / 1.6448536269514722 });
    const l = makeDist('lognormal', [], { lo: 1, hi: 100, p: 0.05 });
    expect(cdf(l, 1)).toBeCloseTo(0.05, 12);
    expect(cdf(l, 100)).toBeCloseTo(0.95, 12);
  });
  it('uniform, beta and triangular match their CDFs or moments', () => {
    const u = draw(makeDist('uniform', [2, 5]));
    expect(ks(u, (v) => cdf({ type: 'uniform', lo: 2, hi: 5 }, v)!)).toBeLessThan(KS_CRIT);
    const t = makeDist('triangular', [1, 2, 6]);
    expect(ks(draw(t), (v) => cdf(t, v)!)).toBeLessThan(KS_CRIT);
    // beta(2, 5): mean 2/7, variance 10/392
    const [m, sd] = meanSd(draw(makeDist('beta', [2, 5])));
    expect(Math.abs(m - 2 / 7)).toBeLessThan(5 * Math.sqrt(10 / 392 / N));
    expect(Math.abs(sd * sd - 10 / 392)).toBeLessThan(0.0005);
    // beta(0.5, 0.5) exercises the shape < 1 branch: mean 1/2, variance 1/8
    const [m2, sd2] = meanSd(draw(makeDist('beta', [0.5, 0.5])));
    expect(Math.abs(m2 - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 8 / N));
    expect(Math.abs(sd2 * sd2 - 1 / 8)).toBeLessThan(0.002);
  });
  it('truncated normal follows the renormalised CDF', () => {
    const d = makeDist('normal', [0, 1]);
    const x = new Float64Array(N);
    sampleTruncated(d, 0.5, 3, new Rng(2), x);
    const F = (v: number) => (normalCdf(v) - normalCdf(0.5)) / (normalCdf(3) - normalCdf(0.5));
    expect(ks(x, F)).toBeLessThan(KS_CRIT);
  });
  it('normalQuantile inverts normalCdf to near machine precision', () => {
    for (const p of [1e-12, 1e-6, 0.01, 0.05, 0.3, 0.5, 0.77, 0.95, 0.999999])
      expect(normalCdf(normalQuantile(p)) / p).toBeCloseTo(1, 10);
  });
});
