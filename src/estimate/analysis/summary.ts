// Per-output statistics: mean, sd, quantiles and P(X > x). Quantiles use linear interpolation
// between order statistics (Hyndman & Fan type 7, the default of R and NumPy).
import { multiSelect } from './select.js';
import { blockMoments } from './moments.js';

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

/** Ranks whose values give type-7 quantiles at ps: for each p, floor(h) and floor(h) + 1. */
export function quantileRanks(n: number, ps: readonly number[]): { positions: number[]; ranks: number[] } {
  const positions = ps.map((p) => p * (n - 1));
  return { positions, ranks: positions.flatMap((h) => [Math.floor(h), Math.min(n - 1, Math.floor(h) + 1)]) };
}

export function interpolate(positions: readonly number[], values: readonly number[]): number[] {
  return positions.map((h, i) => values[2 * i] + (h - Math.floor(h)) * (values[2 * i + 1] - values[2 * i]));
}

/** Type-7 quantiles of `samples` at probabilities `ps` (any order); `samples` is not modified. */
export function quantiles(samples: Float64Array, ps: readonly number[]): number[] {
  const n = samples.length;
  if (n === 0) return ps.map(() => NaN);
  const { positions, ranks } = quantileRanks(n, ps);
  return interpolate(positions, multiSelect(samples, ranks));
}

/**
 * The summary with −0 reported as 0. Which of tied −0 and 0 samples a selection or a running minimum
 * lands on depends on the order it looks at them (stored, streamed, two lanes, several threads), and
 * the sign of a zero statistic means nothing here; JSON prints both as 0.
 */
export function positiveZeros(s: Summary): Summary {
  for (const k of ['mean', 'sd', 'p5', 'p25', 'p50', 'p75', 'p95', 'min', 'max'] as const) if (s[k] === 0) s[k] = 0;
  return s;
}

/**
 * Summary statistics; `thresholds` adds P(X > x) for each x, keyed by String(x). Quantiles, min and
 * max are order statistics (ranks 0 and n − 1) found by one radix selection; mean and sd come from
 * block moments (moments.ts), so a streamed summary (stream-summary.ts) gives the same numbers.
 */
export function summarize(samples: Float64Array, thresholds: readonly number[] = []): Summary {
  const n = samples.length;
  const { positions, ranks } = quantileRanks(n, SUMMARY_QUANTILES);
  const values = multiSelect(samples, [...ranks, 0, n - 1]);
  const [p5, p25, p50, p75, p95] = interpolate(positions, values);
  const [min, max] = values.slice(-2);
  const m = blockMoments(samples);
  const s: Summary = positiveZeros({ mean: m.mean, sd: m.sd, p5, p25, p50, p75, p95, min, max });
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
