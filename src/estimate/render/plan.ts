// Chooses the axis for a set of samples: linear or log10, and a robust display range, both from a
// fixed-size subsample so the decision costs the same for 10^3 or 10^7 samples.

import type { Axis } from './bins.js';
import { quantileSorted, robustRange, transformed } from './stats.js';

export type LogMode = boolean | 'auto';

/**
 * A log axis is chosen automatically when the data are positive, the central 99% spans more than two
 * decades, and the bulk sits in the lowest quarter of that range on a linear axis (right skew). The skew
 * test keeps e.g. uniform(0, 100) (p0.5..p99.5 spans 2.3 decades) on the linear axis it reads best on.
 */
export const AUTO_LOG_DECADES = 2;
export const AUTO_LOG_MAX_MEDIAN_POSITION = 0.25;

/** Whether to use a log axis; `note` explains a requested log axis that cannot be honoured. */
export function chooseLog(sortedSub: Float64Array, mode: LogMode): { log: boolean; note?: string } {
  const positive = sortedSub.length > 0 && sortedSub[0] > 0;
  if (mode === false) return { log: false };
  if (mode === true) {
    return positive ? { log: true } : { log: false, note: 'log scale needs positive samples; showing linear' };
  }
  if (!positive) return { log: false };
  const lo = quantileSorted(sortedSub, 0.005);
  const hi = quantileSorted(sortedSub, 0.995);
  const medianPosition = (quantileSorted(sortedSub, 0.5) - lo) / (hi - lo);
  return { log: hi / lo > 10 ** AUTO_LOG_DECADES && medianPosition < AUTO_LOG_MAX_MEDIAN_POSITION };
}

/**
 * The display axis from the [pLo, pHi] quantiles of the subsample (see robustRange); null when the
 * subsample has no spread (constant data, or nearly so: the caller then scans the full samples).
 */
export function planAxis(sortedSub: Float64Array, log: boolean, pLo: number, pHi: number): Axis | null {
  if (sortedSub.length === 0) return null;
  const t = transformed(sortedSub, log);
  const [lo, hi] = robustRange(t, t[0], t[t.length - 1], pLo, pHi);
  return hi > lo ? { log, lo, hi } : null;
}
