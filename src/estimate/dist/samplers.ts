// Parametric distributions: parameter checks with plain-sentence errors, vectorised sampling into a
// range of a Float64Array, and CDF/quantile where they exist in closed form (used by truncate).
import type { Rng } from './rng.js';
import { fillUniform } from './rng.js';
import { fillNormal, normal01 } from './normal.js';
import { normalCdf, normalQuantile, Z90 } from './special.js';
import { arenaOf } from '../wasm/arena.js';
import { fillNormalWasm, fillUniformWasm } from '../wasm/fill.js';

export type DistSpec =
  | { type: 'normal'; mean: number; sd: number }
  | { type: 'lognormal'; mu: number; sigma: number }
  | { type: 'uniform'; lo: number; hi: number }
  | { type: 'beta'; a: number; b: number }
  | { type: 'triangular'; min: number; mode: number; max: number }
  | { type: 'pointMass'; x: number };

/** Thrown for invalid parameters; the evaluator adds the position. */
export class ParameterError extends Error {}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toPrecision(6).replace(/\.?0+$/, ''));

/** `a to b`: the lognormal whose 5th and 95th percentiles are a and b. */
export function credibleInterval(a: number, b: number): DistSpec {
  if (!(a > 0))
    throw new ParameterError(
      `\`${fmt(a)} to ${fmt(b)}\`: the low end must be above 0 (\`to\` is a lognormal); use normal({p5, p95}) for ` +
        `values that can be negative`,
    );
  if (!(a < b)) throw new ParameterError(`\`${fmt(a)} to ${fmt(b)}\`: the low end must be below the high end`);
  return lognormalFromQuantiles(a, b, 0.05);
}

function lognormalFromQuantiles(lo: number, hi: number, p: number): DistSpec {
  const z = -normalQuantile(p);
  return { type: 'lognormal', mu: (Math.log(lo) + Math.log(hi)) / 2, sigma: (Math.log(hi) - Math.log(lo)) / (2 * z) };
}

/** Builds and checks a distribution from a constructor name and its numeric arguments. */
export function makeDist(
  name: string,
  args: readonly number[],
  quantiles?: { lo: number; hi: number; p: number },
): DistSpec {
  if (quantiles) {
    const { lo, hi, p } = quantiles;
    const pn = `p${Math.round(p * 100)}`;
    const pm = `p${Math.round((1 - p) * 100)}`;
    if (!(lo < hi)) throw new ParameterError(`${name}: ${pn} (${fmt(lo)}) must be below ${pm} (${fmt(hi)})`);
    if (name === 'normal') {
      const z = p === 0.05 ? Z90 : -normalQuantile(p);
      return { type: 'normal', mean: (lo + hi) / 2, sd: (hi - lo) / (2 * z) };
    }
    if (!(lo > 0)) throw new ParameterError(`lognormal: ${pn} must be above 0, got ${fmt(lo)}`);
    return lognormalFromQuantiles(lo, hi, p);
  }
  const [a, b, c] = args;
  switch (name) {
    case 'normal':
      if (!(b > 0)) throw new ParameterError(`normal(mean, sd): sd must be above 0, got ${fmt(b)}`);
      return { type: 'normal', mean: a, sd: b };
    case 'lognormal':
      if (!(b > 0)) throw new ParameterError(`lognormal(mu, sigma): sigma must be above 0, got ${fmt(b)}`);
      return { type: 'lognormal', mu: a, sigma: b };
    case 'uniform':
      if (!(a < b)) throw new ParameterError(`uniform(low, high): low (${fmt(a)}) must be below high (${fmt(b)})`);
      return { type: 'uniform', lo: a, hi: b };
    case 'beta':
      if (!(a > 0 && b > 0))
        throw new ParameterError(`beta(alpha, beta): both parameters must be above 0, got ${fmt(a)} and ${fmt(b)}`);
      return { type: 'beta', a, b };
    case 'triangular':
      if (!(a < c) || !(a <= b && b <= c))
        throw new ParameterError(
          `triangular(min, mode, max): need min ≤ mode ≤ max and min < max, got ${fmt(a)}, ${fmt(b)}, ${fmt(c)}`,
        );
      return { type: 'triangular', min: a, mode: b, max: c };
    case 'pointMass':
      return { type: 'pointMass', x: a };
  }
  throw new ParameterError(`unknown distribution ${name}`);
}

/** Draws samples of `d` into out[from, to). */
export function sampleInto(d: DistSpec, rng: Rng, out: Float64Array, from = 0, to = out.length): void {
  const arena = arenaOf(out);
  if (arena) {
    // Arrays in a WebAssembly arena take the WebAssembly loops: the same numbers, faster.
    switch (d.type) {
      case 'normal':
        fillNormalWasm(arena, rng, out, d.mean, d.sd, from, to, false);
        return;
      case 'lognormal':
        fillNormalWasm(arena, rng, out, d.mu, d.sigma, from, to, true);
        return;
      case 'uniform':
        fillUniformWasm(arena, rng, out, d.lo, d.hi, from, to);
        return;
    }
  }
  switch (d.type) {
    case 'normal':
      fillNormal(rng, out, d.mean, d.sd, from, to);
      return;
    case 'lognormal':
      fillNormal(rng, out, d.mu, d.sigma, from, to, true);
      return;
    case 'uniform':
      fillUniform(rng, out, d.lo, d.hi, from, to);
      return;
    case 'triangular': {
      fillUniform(rng, out, 0, 1, from, to);
      for (let i = from; i < to; i++) out[i] = triangularQuantile(d, out[i]);
      return;
    }
    case 'beta':
      for (let i = from; i < to; i++) {
        const x = gamma(rng, d.a);
        out[i] = x / (x + gamma(rng, d.b));
      }
      return;
    case 'pointMass':
      out.fill(d.x, from, to);
      return;
  }
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000), with the U^(1/a) boost for shape < 1. */
function gamma(rng: Rng, shape: number): number {
  if (shape < 1) return gamma(rng, shape + 1) * rng.uniform() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do {
      x = normal01(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.uniform();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

function triangularQuantile(d: { min: number; mode: number; max: number }, u: number): number {
  const w = d.max - d.min;
  const fc = (d.mode - d.min) / w;
  return u < fc ? d.min + Math.sqrt(u * w * (d.mode - d.min)) : d.max - Math.sqrt((1 - u) * w * (d.max - d.mode));
}

/** CDF, where closed-form (all but beta). */
export function cdf(d: DistSpec, x: number): number | undefined {
  switch (d.type) {
    case 'normal':
      return normalCdf((x - d.mean) / d.sd);
    case 'lognormal':
      return x <= 0 ? 0 : normalCdf((Math.log(x) - d.mu) / d.sigma);
    case 'uniform':
      return x <= d.lo ? 0 : x >= d.hi ? 1 : (x - d.lo) / (d.hi - d.lo);
    case 'triangular': {
      if (x <= d.min) return 0;
      if (x >= d.max) return 1;
      const w = d.max - d.min;
      return x <= d.mode ? (x - d.min) ** 2 / (w * (d.mode - d.min)) : 1 - (d.max - x) ** 2 / (w * (d.max - d.mode));
    }
    case 'pointMass':
      return x >= d.x ? 1 : 0;
    case 'beta':
      return undefined;
  }
}

/** Quantile function, where closed-form (all but beta and pointMass). */
export function quantile(d: DistSpec, p: number): number | undefined {
  switch (d.type) {
    case 'normal':
      return d.mean + d.sd * normalQuantile(p);
    case 'lognormal':
      return Math.exp(d.mu + d.sigma * normalQuantile(p));
    case 'uniform':
      return d.lo + p * (d.hi - d.lo);
    case 'triangular':
      return triangularQuantile(d, p);
    default:
      return undefined;
  }
}
