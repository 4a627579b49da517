// Cheap summaries of large sample arrays without sorting them: one pass for the extremes, and a fixed-size
// subsample (sorted; its size does not grow with n) for robust quantiles and kernel bandwidths.

/** Extremes over finite samples, plus counts the renderers report. */
export interface Scan {
  n: number;
  finite: number;
  min: number;
  max: number;
  /** Finite samples ≤ 0 (they rule out a log axis). */
  nonPositive: number;
  /** Smallest finite sample > 0 (Infinity if none). */
  minPositive: number;
}

export function scan(samples: Float64Array): Scan {
  let min = Infinity;
  let max = -Infinity;
  let minPositive = Infinity;
  let finite = 0;
  let nonPositive = 0;
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i];
    // One comparison pair rejects NaN and ±Infinity.
    if (v > -Infinity && v < Infinity) {
      finite++;
      if (v < min) min = v;
      if (v > max) max = v;
      if (v <= 0) nonPositive++;
      else if (v < minPositive) minPositive = v;
    }
  }
  return { n: samples.length, finite, min, max, nonPositive, minPositive };
}

/** Subsample size: quantile error at p0.5 is about ±0.06 percentile points, plenty for an axis. */
export const SUBSAMPLE = 16384;

/**
 * A sorted subsample of the finite samples (all of them when there are few). Indices come from a fixed-seed
 * xorshift rather than a stride, so periodic structure in the input (interleaved mixtures, stratified
 * sampling) cannot alias; the fixed seed keeps rendering deterministic.
 */
export function subsample(samples: Float64Array, size = SUBSAMPLE): Float64Array {
  const n = samples.length;
  const out = new Float64Array(Math.min(n, size));
  let k = 0;
  if (n <= size) {
    for (let i = 0; i < n; i++) {
      const v = samples[i];
      if (v > -Infinity && v < Infinity) out[k++] = v;
    }
  } else {
    let x = 0x9e3779b9 | 0;
    for (let tries = 0; k < size && tries < size * 4; tries++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      const v = samples[Math.floor(((x >>> 0) / 4294967296) * n)];
      if (v > -Infinity && v < Infinity) out[k++] = v;
    }
  }
  return out.subarray(0, k).sort();
}

/** Quantile of a sorted array with linear interpolation (type 7). */
export function quantileSorted(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Applies log10 in place when `log` (the subsample must then be positive). */
export function transformed(sorted: Float64Array, log: boolean): Float64Array {
  if (!log) return sorted;
  const out = new Float64Array(sorted.length);
  for (let i = 0; i < sorted.length; i++) out[i] = Math.log10(sorted[i]);
  return out;
}

/**
 * The display range in axis space (log10 when the axis is logarithmic): the [pLo, pHi] quantiles, each
 * widened to the furthest subsample value within 5% of the span beyond it. Bounded data is then shown
 * whole, and only samples far out in a tail (the ones that would squash the picture) are left out.
 * A degenerate quantile range falls back to the extremes.
 */
export function robustRange(
  sortedT: Float64Array,
  minT: number,
  maxT: number,
  pLo: number,
  pHi: number,
): [number, number] {
  const a = Math.max(quantileSorted(sortedT, pLo), minT);
  const b = Math.min(quantileSorted(sortedT, pHi), maxT);
  const span = b - a;
  if (!(span > 0)) return [minT, maxT];
  const m = sortedT.length;
  let i = 0;
  while (i < m && sortedT[i] < a - 0.05 * span) i++;
  let j = m - 1;
  while (j > 0 && sortedT[j] > b + 0.05 * span) j--;
  return [Math.min(a, sortedT[i]), Math.max(b, sortedT[j])];
}

/**
 * Silverman's rule-of-thumb bandwidth, 0.9·min(sd, IQR/1.34)·n^(−1/5), from a sorted subsample in axis
 * space; `n` is the full sample count (the subsample only estimates the spread).
 */
export function silvermanBandwidth(sortedT: Float64Array, n: number): number {
  const m = sortedT.length;
  if (m < 2) return 0;
  let mean = 0;
  for (let i = 0; i < m; i++) mean += sortedT[i];
  mean /= m;
  let ss = 0;
  for (let i = 0; i < m; i++) ss += (sortedT[i] - mean) ** 2;
  const sd = Math.sqrt(ss / (m - 1));
  const iqr = quantileSorted(sortedT, 0.75) - quantileSorted(sortedT, 0.25);
  const spread = iqr > 0 ? Math.min(sd, iqr / 1.34) : sd;
  return 0.9 * spread * Math.max(n, 2) ** -0.2;
}
