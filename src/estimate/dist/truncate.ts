// truncate(d, lo, hi). A parametric distribution with a closed-form CDF and quantile is sampled
// exactly by inverse CDF on [F(lo), F(hi)]; otherwise out-of-range draws are rejected. A sample set is
// truncated by replacing each out-of-range sample with a random in-range one of the same chunk, so
// in-range samples keep their alignment (and correlation) with the rest of the model.
import { cdf, quantile, sampleInto, ParameterError, type DistSpec } from './samplers.js';
import { fillUniform, type Rng } from './rng.js';

const MIN_MASS = 1e-12;

export function checkBounds(lo: number, hi: number): void {
  if (!(lo < hi)) throw new ParameterError(`truncate(dist, low, high): low (${lo}) must be below high (${hi})`);
}

export function sampleTruncated(
  d: DistSpec,
  lo: number,
  hi: number,
  rng: Rng,
  out: Float64Array,
  from = 0,
  to = out.length,
): void {
  checkBounds(lo, hi);
  if (d.type === 'pointMass') {
    if (d.x < lo || d.x > hi) throw new ParameterError(`truncate: pointMass(${d.x}) lies outside [${lo}, ${hi}]`);
    out.fill(d.x, from, to);
    return;
  }
  const flo = cdf(d, lo);
  const fhi = cdf(d, hi);
  if (flo !== undefined && fhi !== undefined && quantile(d, 0.5) !== undefined) {
    if (fhi - flo < MIN_MASS)
      throw new ParameterError(`truncate: the distribution has (almost) no probability between ${lo} and ${hi}`);
    fillUniform(rng, out, flo, fhi, from, to);
    for (let i = from; i < to; i++) out[i] = Math.min(hi, Math.max(lo, quantile(d, out[i])!));
    return;
  }
  // Rejection sampling (beta): draw in blocks, keep what lands in range.
  const block = new Float64Array(Math.max(64, to - from));
  let filled = from;
  let drawn = 0;
  while (filled < to) {
    sampleInto(d, rng, block);
    drawn += block.length;
    for (let j = 0; j < block.length && filled < to; j++)
      if (block[j] >= lo && block[j] <= hi) out[filled++] = block[j];
    if (drawn > 1e4 * (to - from) + 1e6)
      throw new ParameterError(`truncate: the distribution has (almost) no probability between ${lo} and ${hi}`);
  }
}

/** Truncates a sample set in place (see the module comment). */
export function truncateSamples(data: Float64Array, lo: number, hi: number, rng: Rng): void {
  checkBounds(lo, hi);
  const inRange: number[] = [];
  for (let i = 0; i < data.length; i++) if (data[i] >= lo && data[i] <= hi) inRange.push(i);
  if (inRange.length === 0) throw new ParameterError(`truncate: no samples fall between ${lo} and ${hi}`);
  if (inRange.length === data.length) return;
  const keep = Float64Array.from(inRange, (i) => data[i]);
  for (let i = 0; i < data.length; i++) if (!(data[i] >= lo && data[i] <= hi)) data[i] = keep[rng.below(keep.length)];
}
