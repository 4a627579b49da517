// Per-output statistics: mean, sd, quantiles and P(X > x). Quantiles use linear interpolation
// between order statistics (Hyndman & Fan type 7, the default of R and NumPy).
import { multiSelect } from './select.js';

export const SUMMARY_QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95] as const;

export interface Summary {
  mean: number;
  sd: number;
  p5: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
  min: number;
  max: number;
  pAbove?: Record<string, number>;
}

/** Type-7 quantiles of `samples` at probabilities `ps` (any order); `samples` is not modified. */
export function quantiles(samples: Float64Array, ps: readonly number[]): number[] {
  const n = samples.length;
  if (n === 0) return ps.map(() => NaN);
  const positions = ps.map((p) => p * (n - 1));
  const ranks = positions.flatMap((h) => [Math.floor(h), Math.min(n - 1, Math.floor(h) + 1)]);
  const values = multiSelect(samples, ranks);
  return positions.map((h, i) => values[2 * i] + (h - Math.floor(h)) * (values[2 * i + 1] - values[2 * i]));
}

/** Summary statistics; `thresholds` adds P(X > x) for each x, keyed by String(x). */
export function summarize(samples: Float64Array, thresholds: readonly number[] = []): Summary {
  const n = samples.length;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = samples[i];
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = samples[i] - mean;
    ss += d * d;
  }
  const [p5, p25, p50, p75, p95] = quantiles(samples, SUMMARY_QUANTILES);
  const s: Summary = { mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : 0, p5, p25, p50, p75, p95, min, max };
  if (thresholds.length > 0) {
    s.pAbove = {};
    for (const t of thresholds) {
      let c = 0;
      for (let i = 0; i < n; i++) if (samples[i] > t) c++;
      s.pAbove[String(t)] = c / n;
    }
  }
  return s;
}
