// Order statistics without a full sort: Floyd–Rivest style selection (here: median-of-three
// quickselect with an insertion-sort cut-off), applied to nested ranges so that several quantiles of
// one array cost about three linear passes instead of an O(n log n) sort.
import { arenaOf } from '../wasm/arena.js';

/** Rearranges a[lo..hi] so that a[k] holds the value of rank k, smaller values before, larger after. */
export function selectInPlace(a: Float64Array, k: number, lo = 0, hi = a.length - 1): void {
  while (hi > lo) {
    if (hi - lo < 16) {
      for (let i = lo + 1; i <= hi; i++) {
        const v = a[i];
        let j = i - 1;
        while (j >= lo && a[j] > v) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = v;
      }
      return;
    }
    // Median of three as pivot, then Hoare partition.
    const mid = (lo + hi) >>> 1;
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/**
 * Values at the given ranks (ascending, distinct) of a scratch copy; `a` is reordered. Each rank is
 * selected within the range left by its neighbours, which keeps the total work linear.
 */
export function valuesAtRanks(a: Float64Array, ranks: readonly number[]): number[] {
  const out = new Array<number>(ranks.length);
  // In a WebAssembly arena, the same selection runs there (no warm-up in a short run).
  const arena = arenaOf(a);
  const select = arena
    ? (k: number, lo: number, hi: number) => arena.exports.select(a.byteOffset, k, lo, hi)
    : (k: number, lo: number, hi: number) => selectInPlace(a, k, lo, hi);
  const solve = (lo: number, hi: number, rlo: number, rhi: number) => {
    if (rlo > rhi) return;
    const mid = (rlo + rhi) >>> 1;
    const k = ranks[mid];
    select(k, lo, hi);
    out[mid] = a[k];
    solve(lo, k - 1, rlo, mid - 1);
    solve(k + 1, hi, mid + 1, rhi);
  };
  solve(0, a.length - 1, 0, ranks.length - 1);
  return out;
}

const RADIX_BITS = 16;
/** Number of radix buckets: the top 16 bits of a double's bit pattern. */
export const RADIX_BUCKETS = 1 << RADIX_BITS;
/** Typed-array views read a double's high word at index 2i + 1 only on little-endian platforms. */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The radix bucket of the i-th double behind a Uint32Array view (little-endian): its top 16 bits with
 * the sign handled, so that unsigned order of buckets equals numeric order of values.
 */
export function radixBucket(words: Uint32Array, i: number): number {
  const h = words[2 * i + 1];
  return (h ^ ((h >> 31) | 0x80000000)) >>> (32 - RADIX_BITS);
}

/**
 * Exact values at several ranks in two linear passes. The top 16 bits of a double's IEEE 754 pattern,
 * with the sign handled so unsigned order equals numeric order, split the values into 65,536 ordered
 * buckets (sign, exponent and 4 mantissa bits: each bucket spans at most 1/16 of a binary order of
 * magnitude). Pass one counts each bucket; the prefix sums name the bucket holding every wanted rank;
 * pass two copies only those buckets' elements, and quickselect inside them gives the exact values.
 * Both passes are branch-light, so several quantiles of a million samples cost a few milliseconds.
 * `a` is not modified; values must not be NaN.
 */
export function multiSelect(a: Float64Array, ranks: readonly number[]): number[] {
  return selectWithMoments(a, ranks).values;
}

export interface SelectionWithMoments {
  /** Values at the requested ranks, in request order. */
  values: number[];
  /** Σx and Σ(x − mean)², gathered during the same two passes. */
  sum: number;
  sumSquaredDeviations: number;
}

/** multiSelect that also returns the sum and the sum of squared deviations, at no extra pass. */
export function selectWithMoments(a: Float64Array, ranks: readonly number[]): SelectionWithMoments {
  const n = a.length;
  const sortedRanks = [...new Set(ranks)].sort((x, y) => x - y);
  if (n < 4096 || !LITTLE_ENDIAN || a.byteOffset % 4 !== 0) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += a[i];
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (a[i] - sum / n) ** 2;
    return { values: answer(valuesAtRanks(a.slice(), sortedRanks), sortedRanks, ranks), sum, sumSquaredDeviations: ss };
  }
  const words = new Uint32Array(a.buffer, a.byteOffset, 2 * n);
  const buckets = RADIX_BUCKETS;
  const counts = new Int32Array(buckets);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    counts[radixBucket(words, i)]++;
    sum += a[i];
  }
  const mean = sum / n;
  // Bucket of each wanted rank, and the rank at which that bucket starts.
  const wanted = new Int32Array(buckets).fill(-1);
  const targets: { bucket: number; start: number }[] = [];
  let b = 0;
  let below = 0;
  for (const r of sortedRanks) {
    while (below + counts[b] <= r) below += counts[b++];
    if (wanted[b] < 0) {
      wanted[b] = targets.length;
      targets.push({ bucket: b, start: below });
    }
  }
  const buffers = targets.map((t) => new Float64Array(counts[t.bucket]));
  const fill = new Int32Array(targets.length);
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const d = x - mean;
    ss += d * d;
    const w = wanted[radixBucket(words, i)];
    if (w >= 0) buffers[w][fill[w]++] = x;
  }
  const values = sortedRanks.map((r) => {
    const t = wanted[bucketOf(targets, counts, r)];
    const buf = buffers[t];
    selectInPlace(buf, r - targets[t].start);
    return buf[r - targets[t].start];
  });
  return { values: answer(values, sortedRanks, ranks), sum, sumSquaredDeviations: ss };
}

/** The target bucket containing rank r. */
function bucketOf(targets: readonly { bucket: number; start: number }[], counts: Int32Array, r: number): number {
  for (const t of targets) if (r >= t.start && r < t.start + counts[t.bucket]) return t.bucket;
  throw new Error(`rank ${r} is in no target bucket`); // unreachable: every rank got a bucket above
}

function answer(values: readonly number[], sortedRanks: readonly number[], ranks: readonly number[]): number[] {
  const at = new Map(sortedRanks.map((r, i) => [r, values[i]]));
  return ranks.map((r) => at.get(r)!);
}
