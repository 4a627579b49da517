// Smoothed densities in O(n): a fine histogram (512 bins over a robust range) convolved with a Gaussian
// kernel whose width follows Silverman's rule, computed from a fixed-size subsample. No sort of n.

import { type Axis, binSamples } from './bins.js';
import { chooseLog, type LogMode } from './plan.js';
import { quantileSorted, robustRange, silvermanBandwidth, subsample, transformed } from './stats.js';

export const DENSITY_BINS = 512;
/** Densities show more of the tails than the histogram: a density fading to zero reads as complete. */
const P_LO = 0.001;
const P_HI = 0.999;

export interface DensityAxis {
  axis: Axis;
  /** Set when a log axis was asked for but is impossible. */
  note?: string;
}

/**
 * One x axis for several sample sets: log10 when all are positive and together they span more than two
 * decades (and at least one is right-skewed on its own, or their medians are two decades apart).
 */
export function sharedAxis(subs: readonly Float64Array[], mode: LogMode): DensityAxis {
  const usable = subs.filter((s) => s.length > 0);
  if (usable.length === 0) return { axis: { log: false, lo: 0, hi: 1 } };
  const positive = usable.every((s) => s[0] > 0);
  let log = false;
  let note: string | undefined;
  if (mode === true) {
    log = positive;
    if (!positive) note = 'log scale needs positive values; showing linear';
  } else if (mode === 'auto' && positive) {
    const lo = Math.min(...usable.map((s) => quantileSorted(s, 0.005)));
    const hi = Math.max(...usable.map((s) => quantileSorted(s, 0.995)));
    const medians = usable.map((s) => quantileSorted(s, 0.5));
    const apart = Math.max(...medians) / Math.min(...medians) > 100;
    log = hi / lo > 100 && (apart || usable.some((s) => chooseLog(s, 'auto').log));
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of usable) {
    const t = transformed(s, log);
    const [a, b] = robustRange(t, t[0], t[t.length - 1], P_LO, P_HI);
    lo = Math.min(lo, a);
    hi = Math.max(hi, b);
  }
  if (!(hi > lo)) {
    // Constant data: centre it in a small window so the spike is visible.
    const pad = log ? 0.5 : Math.max(Math.abs(lo) * 0.1, 1);
    lo -= pad;
    hi += pad;
  }
  return note ? { axis: { log, lo, hi }, note } : { axis: { log, lo, hi } };
}

export interface Density {
  /** Density per unit of the axis (of log10 x on a log axis) at bin centres; integrates to `inside`. */
  ys: Float64Array;
  /** Share of the samples inside the axis. */
  inside: number;
  /** Kernel standard deviation in axis units. */
  bandwidth: number;
}

/** The density of `samples` on `axis`; `sortedSub` is its sorted finite subsample (see subsample()). */
export function densityOn(
  samples: Float64Array,
  axis: Axis,
  sortedSub: Float64Array = subsample(samples),
  bins = DENSITY_BINS,
): Density {
  const width = (axis.hi - axis.lo) / bins;
  const b = binSamples(samples, axis, bins, 2 * width);
  const finite = samples.length - b.nan;
  // A few samples just past an end (within two bins) mean the subsample missed the data's true edge:
  // count them in the end bin, so a bounded input keeps its edge instead of losing a sliver.
  if (b.below > 0 && b.nearBelowCount === b.below && b.below <= 0.001 * finite) {
    b.counts[0] += b.below;
    b.below = 0;
  }
  if (b.above > 0 && b.nearAboveCount === b.above && b.above <= 0.001 * finite) {
    b.counts[bins - 1] += b.above;
    b.above = 0;
  }
  if (finite === 0) return { ys: new Float64Array(bins), inside: 0, bandwidth: 0 };
  const pos = axis.log ? sortedSub.filter((v) => v > 0) : sortedSub;
  const t = transformed(pos, axis.log);
  const h = silvermanBandwidth(t, finite);
  // At least one bin of smoothing; a histogram finer than its kernel only adds noise.
  const hb = Math.max(h / width, 1);
  // Reflect at an axis end that is also a hard edge of the data (bounded inputs such as uniform(0, 1)),
  // so the density does not sag there; elsewhere mass beyond the axis is simply not drawn.
  const reflectLo = b.below === 0 && t.length > 0 && t[0] - axis.lo < 3 * hb * width;
  const reflectHi = b.above === 0 && t.length > 0 && axis.hi - t[t.length - 1] < 3 * hb * width;
  const ys = smooth(b.counts, hb, reflectLo, reflectHi);
  const norm = 1 / (finite * width);
  for (let i = 0; i < bins; i++) ys[i] *= norm;
  return { ys, inside: (finite - b.below - b.above) / finite, bandwidth: hb * width };
}

/** Gaussian smoothing of bin counts (sd `hb` bins), optionally reflecting at either end. */
export function smooth(counts: Float64Array, hb: number, reflectLo: boolean, reflectHi: boolean): Float64Array {
  const m = counts.length;
  const r = Math.min(Math.ceil(4 * hb), 4 * m);
  const w = new Float64Array(r + 1);
  let sum = 0;
  for (let j = 0; j <= r; j++) {
    w[j] = Math.exp(-0.5 * (j / hb) ** 2);
    sum += j === 0 ? w[j] : 2 * w[j];
  }
  for (let j = 0; j <= r; j++) w[j] /= sum;
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const c = counts[i];
    if (c === 0) continue;
    for (let j = -r; j <= r; j++) {
      let k = i + j;
      if (k < 0) {
        if (!reflectLo) continue;
        k = -1 - k;
      } else if (k >= m) {
        if (!reflectHi) continue;
        k = 2 * m - 1 - k;
      }
      if (k >= 0 && k < m) out[k] += c * w[j < 0 ? -j : j];
    }
  }
  return out;
}
