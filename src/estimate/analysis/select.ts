// Order statistics without a full sort: Floyd–Rivest style selection (here: median-of-three
// quickselect with an insertion-sort cut-off), applied to nested ranges so that several quantiles of
// one array cost about three linear passes instead of an O(n log n) sort.

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
  const solve = (lo: number, hi: number, rlo: number, rhi: number) => {
    if (rlo > rhi) return;
    const mid = (rlo + rhi) >>> 1;
    const k = ranks[mid];
    selectInPlace(a, k, lo, hi);
    out[mid] = a[k];
    solve(lo, k - 1, rlo, mid - 1);
    solve(k + 1, hi, mid + 1, rhi);
  };
  solve(0, a.length - 1, 0, ranks.length - 1);
  return out;
}

const PILOT = 16384;

/**
 * Exact values at several ranks in about one pass (the idea of Floyd & Rivest's SELECT): a strided
 * pilot sample brackets each target rank with a value interval wide enough (±3.5 binomial standard
 * deviations) to contain it almost surely; one pass counts the elements below each interval and
 * collects those inside; small selections in the collected buffers give the answers. When a
 * bracket misses (rare), quickselect on a copy answers instead, so the result is always exact.
 * `a` is not modified.
 */
export function multiSelect(a: Float64Array, ranks: readonly number[]): number[] {
  const n = a.length;
  const sortedRanks = [...new Set(ranks)].sort((x, y) => x - y);
  if (n < 4 * PILOT) return answer(valuesAtRanks(a.slice(), sortedRanks), sortedRanks, ranks);

  const pilot = new Float64Array(PILOT);
  for (let i = 0; i < PILOT; i++) pilot[i] = a[Math.floor((i * n) / PILOT)];
  pilot.sort();
  // Brackets [lo, hi) in value space, merged where they overlap.
  const brackets: { lo: number; hi: number }[] = [];
  for (const r of sortedRanks) {
    const q = r / (n - 1);
    const centre = q * (PILOT - 1);
    const margin = 3.5 * Math.sqrt(PILOT * q * (1 - q)) + 4;
    const i0 = Math.floor(centre - margin);
    const i1 = Math.ceil(centre + margin);
    const lo = i0 <= 0 ? -Infinity : pilot[i0];
    const hi = i1 >= PILOT - 1 ? Infinity : pilot[i1];
    const last = brackets[brackets.length - 1];
    if (last && lo <= last.hi) last.hi = Math.max(last.hi, hi);
    else brackets.push({ lo, hi });
  }
  const k = brackets.length;
  const bounds = new Float64Array(2 * k);
  brackets.forEach((b, i) => { bounds[2 * i] = b.lo; bounds[2 * i + 1] = b.hi; });
  const regionCount = new Float64Array(2 * k + 1);
  const buffers = brackets.map(() => new Float64Array(1024));
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    let r = 0;
    while (r < 2 * k && x >= bounds[r]) r++;
    regionCount[r]++;
    if (r & 1) {
      const b = (r - 1) >> 1;
      let buf = buffers[b];
      if (sizes[b] === buf.length) {
        const grown = new Float64Array(buf.length * 2);
        grown.set(buf);
        buffers[b] = buf = grown;
      }
      buf[sizes[b]++] = x;
    }
  }
  const values: number[] = [];
  for (const r of sortedRanks) {
    let below = 0;
    let found = false;
    for (let b = 0; b < k; b++) {
      below += regionCount[2 * b];
      const size = sizes[b];
      if (r >= below && r < below + size) {
        const buf = buffers[b];
        selectInPlace(buf, r - below, 0, size - 1);
        values.push(buf[r - below]);
        found = true;
        break;
      }
      below += size;
    }
    if (!found) return answer(valuesAtRanks(a.slice(), sortedRanks), sortedRanks, ranks);
  }
  return answer(values, sortedRanks, ranks);
}

function answer(values: readonly number[], sortedRanks: readonly number[], ranks: readonly number[]): number[] {
  const at = new Map(sortedRanks.map((r, i) => [r, values[i]]));
  return ranks.map((r) => at.get(r)!);
}
