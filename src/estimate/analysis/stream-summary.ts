// A summary computed while chunks stream past, without keeping the samples: exact, not a sketch.
// The first chunk (65,536 samples, an i.i.d. draw like every chunk) locates each wanted quantile, and a
// bracket of ±6 standard errors of that pilot estimate (plus a few ranks) is widened to whole radix
// buckets — the top 16 bits of each double's IEEE 754 pattern, as in select.ts. Every sample then costs
// one bucket count and one table lookup; samples in a bracket's buckets are kept in full. At the end
// the bucket counts say how many samples lie below each bracket, and selection inside the kept samples
// gives exactly the order statistics a selection over all samples gives. If a bracket missed its ranks
// (odds about 1e-9 per run), finish() says so and the caller recomputes with the samples
// stored. Mean and sd use the same block moments as summarize(), so every number is equal.
import { Moments } from './moments.js';
import { LITTLE_ENDIAN, RADIX_BUCKETS, radixBucket, valuesAtRanks } from './select.js';
import { interpolate, quantileRanks, SUMMARY_QUANTILES, type Summary } from './summary.js';

/**
 * Bracket half-width in standard errors of the pilot quantile. A miss at 6 has odds of about 2e-9 per
 * bracket end and costs only a recomputation; wider brackets keep more samples.
 */
const Z = 6;
const BUCKETS = RADIX_BUCKETS;

/** True where streaming works: typed-array views must read a double's high word at index 2i + 1. */
export const STREAMING_SUPPORTED = LITTLE_ENDIAN;

export class StreamingSummary {
  private readonly moments = new Moments();
  private readonly counts = new Float64Array(BUCKETS);
  /** Bucket → 1 + index of the kept interval it belongs to, or 0. */
  private readonly keepOf = new Uint8Array(BUCKETS);
  /** Kept intervals (merged brackets): first bucket, and the samples in them. */
  private readonly firstBucket: number[] = [];
  private readonly kept: Float64Array[] = [];
  private fill = new Int32Array(0);
  private readonly above: Float64Array;
  private readonly thresholds: Float64Array;
  private min = Infinity;
  private max = -Infinity;
  private seen = 0;

  constructor(private readonly n: number, thresholds: readonly number[] = []) {
    if (!STREAMING_SUPPORTED) throw new Error('streaming summaries need a little-endian platform');
    this.thresholds = Float64Array.from(thresholds);
    this.above = new Float64Array(thresholds.length);
  }

  /**
   * NaN or ±∞ samples seen (the engine reports them as an error): exponent 0x7ff, which maps to the
   * 16 lowest buckets (negative sign) and the 16 highest (positive).
   */
  get nonFiniteCount(): number {
    let c = 0;
    for (let k = 0; k < 16; k++) c += this.counts[k] + this.counts[BUCKETS - 1 - k];
    return c;
  }

  /** Adds the next chunk, in sample order (chunks of the engine's CHUNK_SIZE; the last may be shorter). */
  add(a: Float64Array): void {
    const words = new Uint32Array(a.buffer, a.byteOffset, 2 * a.length);
    if (this.seen === 0) this.pilot(a, words);
    this.seen += a.length;
    this.moments.addBlock(a);
    this.count(a, words);
    this.keep(a, words);
    for (let t = 0; t < this.thresholds.length; t++) this.above[t] += countAbove(a, this.thresholds[t]);
  }

  /** Bucket counts, min and max. */
  private count(a: Float64Array, words: Uint32Array): void {
    const counts = this.counts;
    let mn = this.min, mx = this.max;
    for (let i = 0; i < a.length; i++) {
      counts[radixBucket(words, i)]++;
      const x = a[i];
      if (x < mn) mn = x;
      if (x > mx) mx = x;
    }
    this.min = mn;
    this.max = mx;
  }

  /** Copies the samples that fall in a kept interval. */
  private keep(a: Float64Array, words: Uint32Array): void {
    const keepOf = this.keepOf;
    const fill = this.fill;
    for (let i = 0; i < a.length; i++) {
      const k = keepOf[radixBucket(words, i)];
      if (k !== 0) {
        const j = k - 1;
        if (fill[j] === this.kept[j].length) this.grow(j);
        this.kept[j][fill[j]++] = a[i];
      }
    }
  }

  private grow(j: number): void {
    const grown = new Float64Array(this.kept[j].length * 2);
    grown.set(this.kept[j]);
    this.kept[j] = grown;
  }

  /** The summary, or undefined when a bracket missed its rank (then recompute from stored samples). */
  finish(): Summary | undefined {
    const n = this.seen;
    if (n !== this.n) throw new Error(`streamed ${n} of ${this.n} samples`);
    // Samples below each kept interval: one running sum over the buckets (intervals are in order).
    const below: number[] = [];
    let c = 0;
    for (let b = 0, j = 0; j < this.firstBucket.length; b++) {
      while (j < this.firstBucket.length && this.firstBucket[j] === b) { below.push(c); j++; }
      c += this.counts[b];
    }
    const { positions, ranks } = quantileRanks(n, SUMMARY_QUANTILES);
    const values: number[] = [];
    for (let q = 0; q < SUMMARY_QUANTILES.length; q++) {
      const [r1, r2] = [ranks[2 * q], ranks[2 * q + 1]];
      const j = below.findIndex((b, i) => r1 >= b && r2 < b + this.fill[i]);
      if (j < 0) return undefined;
      const buf = this.kept[j].subarray(0, this.fill[j]);
      const rs = r1 === r2 ? [r1 - below[j]] : [r1 - below[j], r2 - below[j]];
      const v = valuesAtRanks(buf, rs);
      values.push(v[0], v[v.length - 1]);
    }
    const [p5, p25, p50, p75, p95] = interpolate(positions, values);
    const s: Summary = { mean: this.moments.mean, sd: this.moments.sd, p5, p25, p50, p75, p95, min: this.min, max: this.max };
    if (this.thresholds.length > 0) {
      s.pAbove = {};
      this.thresholds.forEach((t, i) => { s.pAbove![String(t)] = this.above[i] / n; });
    }
    return s;
  }

  /**
   * Brackets from the first chunk's own bucket histogram: the buckets holding the pilot ranks p ± d
   * (d = Z standard errors of the pilot quantile, plus 4 ranks), merged where they meet.
   */
  private pilot(a: Float64Array, words: Uint32Array): void {
    const m = a.length;
    const pilotCounts = new Int32Array(BUCKETS);
    for (let i = 0; i < m; i++) pilotCounts[radixBucket(words, i)]++;
    // Pilot ranks of each bracket's ends (ascending: quantiles are), and the buckets holding them
    // from one running sum of the pilot histogram.
    const ends: number[] = [];
    for (const p of SUMMARY_QUANTILES) {
      const d = Z * Math.sqrt((p * (1 - p)) / m) + 4 / m;
      ends.push(p - d <= 0 ? -1 : Math.floor((p - d) * (m - 1)), p + d >= 1 ? m : Math.ceil((p + d) * (m - 1)));
    }
    const order = ends.map((r, i) => [r, i]).sort((x, y) => x[0] - y[0]);
    const bucketOfEnd = new Int32Array(ends.length);
    let seen = 0;
    for (let b = 0, k = 0; k < order.length; b++) {
      if (b < BUCKETS) seen += pilotCounts[b];
      while (k < order.length && (order[k][0] < 0 || b >= BUCKETS - 1 || order[k][0] < seen)) {
        bucketOfEnd[order[k][1]] = order[k][0] < 0 ? 0 : order[k][0] >= m ? BUCKETS - 1 : Math.min(b, BUCKETS - 1);
        k++;
      }
    }
    const intervals: [number, number][] = [];
    for (let q = 0; q < SUMMARY_QUANTILES.length; q++) {
      const lo = bucketOfEnd[2 * q];
      const hi = bucketOfEnd[2 * q + 1];
      const last = intervals[intervals.length - 1];
      if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
      else intervals.push([lo, hi]);
    }
    intervals.forEach(([lo, hi], j) => {
      this.keepOf.fill(j + 1, lo, hi + 1);
      this.firstBucket.push(lo);
      let inside = 0;
      for (let b = lo; b <= hi; b++) inside += pilotCounts[b];
      // Room for the expected share of all samples, and a little more (grow() doubles if needed).
      this.kept.push(new Float64Array(Math.ceil((inside / m) * this.n * 1.05) + 1024));
    });
    this.fill = new Int32Array(intervals.length);
  }
}

function countAbove(a: Float64Array, t: number): number {
  let c = 0;
  for (let i = 0; i < a.length; i++) if (a[i] > t) c++;
  return c;
}
