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
