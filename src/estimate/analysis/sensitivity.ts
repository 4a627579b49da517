// Sensitivity of each output to each input, from the same samples (no extra model runs):
// - Spearman rank correlation (Pearson correlation of average ranks; ties share their mean rank);
// - first-order variance share S1 = Var(E[Y | X]) / Var(Y), estimated by grouping samples into
//   equal-count bins of X and subtracting the noise the bin means carry (Σ within-bin variance / n).
// Mixture choices are inputs too: which branch a sample took is often the largest driver.

export interface SensitivityRow {
  input: string;
  spearman: number;
  varianceShare: number;
}

/** Average ranks (0-based) of x, ties sharing the mean of their positions. */
export function ranks(x: Float64Array): Float64Array {
  const n = x.length;
  const sorted = x.slice().sort();
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = x[i];
    // lower and upper bound of v in sorted
    let lo = 0,
      hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    const first = lo;
    hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] <= v) lo = mid + 1;
      else hi = mid;
    }
    r[i] = (first + lo - 1) / 2;
  }
  return r;
}

function pearson(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0,
    mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0,
    saa = 0,
    sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma,
      db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/** First-order variance share of y explained by the input whose ranks are `xr`. */
export function varianceShare(
  xr: Float64Array,
  y: Float64Array,
  bins = Math.max(2, Math.min(100, Math.floor(Math.sqrt(y.length) / 4))),
): number {
  const n = y.length;
  const sum = new Float64Array(bins),
    sq = new Float64Array(bins),
    cnt = new Float64Array(bins);
  let my = 0;
  for (let i = 0; i < n; i++) my += y[i];
  my /= n;
  for (let i = 0; i < n; i++) {
    const b = Math.min(bins - 1, Math.floor((xr[i] * bins) / n));
    const d = y[i] - my; // centred for numerical stability
    sum[b] += d;
    sq[b] += d * d;
    cnt[b]++;
  }
  let total = 0,
    between = 0,
    noise = 0;
  for (let b = 0; b < bins; b++) {
    if (cnt[b] === 0) continue;
    total += sq[b];
    const mean = sum[b] / cnt[b];
    between += cnt[b] * mean * mean;
    if (cnt[b] > 1) noise += (sq[b] - cnt[b] * mean * mean) / (cnt[b] - 1); // within-bin variance
  }
  if (!(total > 0)) return 0;
  const s1 = (between - noise) / total;
  return Math.min(1, Math.max(0, s1));
}

/** Rows for one output, sorted by |Spearman| descending. */
export function sensitivity(
  inputs: ReadonlyMap<string, Float64Array>,
  output: Float64Array,
  inputRanks?: Map<string, Float64Array>,
): SensitivityRow[] {
  const yr = ranks(output);
  const rows: SensitivityRow[] = [];
  for (const [name, x] of inputs) {
    let xr = inputRanks?.get(name);
    if (!xr) {
      xr = ranks(x);
      inputRanks?.set(name, xr);
    }
    rows.push({ input: name, spearman: pearson(xr, yr), varianceShare: varianceShare(xr, output) });
  }
  return rows.sort((a, b) => Math.abs(b.spearman) - Math.abs(a.spearman) || b.varianceShare - a.varianceShare);
}
