// Mean and variance by blocks: each block of 65,536 samples (the engine's chunk) gets its exact
// two-pass sum and sum of squared deviations, and blocks are combined in order (Chan, Golub & LeVeque,
// 1979). The result depends only on the values and their order, so a summary computed while chunks
// stream past equals, bit for bit, one computed over the stored array; it is also more accurate than
// one running sum.
import { CHUNK_SIZE } from '../chunk-size.js';
import { arenaOf } from '../wasm/arena.js';

export const MOMENT_BLOCK = CHUNK_SIZE;

/** One block's size, exact sum and sum of squared deviations from its own mean (two passes). */
export function blockStats(a: Float64Array, from = 0, to = a.length): [len: number, sum: number, m2: number] {
  const len = to - from;
  const arena = arenaOf(a);
  if (arena) {
    arena.exports.blockMoments(a.byteOffset, from, to); // the same sums, in the same order
    return [len, arena.results[0], arena.results[1]];
  }
  let s = 0;
  for (let i = from; i < to; i++) s += a[i];
  const mean = s / len; // engine.wat's blockMoments computes the same
  let m2 = 0;
  for (let i = from; i < to; i++) {
    const d = a[i] - mean;
    m2 += d * d;
  }
  return [len, s, m2];
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
