// Mean and variance by blocks: each block of 65,536 samples (the engine's chunk) gets its exact
// two-pass sum and sum of squared deviations, and blocks are combined in order (Chan, Golub & LeVeque,
// 1979). The result depends only on the values and their order, so a summary computed while chunks
// stream past equals, bit for bit, one computed over the stored array; it is also more accurate than
// one running sum.
import { CHUNK_SIZE } from '../dist/chunk-size.js';
import { arenaOf } from '../wasm/arena.js';

export const MOMENT_BLOCK = CHUNK_SIZE;

/**
 * One block's size, exact sum and sum of squared deviations from its own mean (two passes). Each sum
 * runs in four lanes — lane j adds the block's elements j, j + 4, j + 8, … in order — and ends as
 * (lane 0 + lane 1) + (lane 2 + lane 3): four independent additions per step instead of one chain,
 * which SIMD code (engine.wat) runs two at a time, and as accurate as one running sum or more.
 */
export function blockStats(a: Float64Array, from = 0, to = a.length): [len: number, sum: number, m2: number] {
  const len = to - from;
  const arena = arenaOf(a);
  if (arena) {
    arena.exports.blockMoments(a.byteOffset, from, to); // the same sums, in the same order
    return [len, arena.results[0], arena.results[1]];
  }
  const s = laneSum(a, from, to);
  return [len, s, laneSquares(a, from, to, s / len)]; // engine.wat computes the same mean
}

/** Σa[i] over [from, to) in four lanes. */
function laneSum(a: Float64Array, from: number, to: number): number {
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0;
  let i = from;
  for (; i + 4 <= to; i += 4) {
    s0 += a[i];
    s1 += a[i + 1];
    s2 += a[i + 2];
    s3 += a[i + 3];
  }
  if (i < to) s0 += a[i++];
  if (i < to) s1 += a[i++];
  if (i < to) s2 += a[i];
  return s0 + s1 + (s2 + s3);
}

/** Σ(a[i] − mean)² over [from, to) in four lanes. */
function laneSquares(a: Float64Array, from: number, to: number, mean: number): number {
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0;
  let i = from;
  const sq = (x: number) => (x - mean) * (x - mean);
  for (; i + 4 <= to; i += 4) {
    s0 += sq(a[i]);
    s1 += sq(a[i + 1]);
    s2 += sq(a[i + 2]);
    s3 += sq(a[i + 3]);
  }
  if (i < to) s0 += sq(a[i++]);
  if (i < to) s1 += sq(a[i++]);
  if (i < to) s2 += sq(a[i]);
  return s0 + s1 + (s2 + s3);
}

export class Moments {
  n = 0;
  sum = 0;
  /** Σ(x − mean)² over everything added. */
  m2 = 0;

  /** Adds one block (call with consecutive blocks of MOMENT_BLOCK values; the last may be shorter). */
  addBlock(a: Float64Array, from = 0, to = a.length): void {
    if (to - from > 0) this.combine(...blockStats(a, from, to));
  }

  /** Adds a block given by its blockStats (blocks in order: the result depends on it, to the last bit). */
  combine(len: number, s: number, m2: number): void {
    if (this.n === 0) {
      this.n = len;
      this.sum = s;
      this.m2 = m2;
      return;
    }
    const n = this.n + len;
    const delta = s / len - this.sum / this.n;
    this.m2 += m2 + (delta * delta * this.n * len) / n;
    this.sum += s;
    this.n = n;
  }

  get mean(): number {
    return this.sum / this.n;
  }

  /** Sample standard deviation (n − 1); 0 for fewer than two values. */
  get sd(): number {
    return this.n > 1 ? Math.sqrt(this.m2 / (this.n - 1)) : 0;
  }
}

export function blockMoments(a: Float64Array): Moments {
  const m = new Moments();
  for (let i = 0; i < a.length; i += MOMENT_BLOCK) m.addBlock(a, i, Math.min(a.length, i + MOMENT_BLOCK));
  return m;
}
