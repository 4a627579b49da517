// Rank correlation between inputs by the Iman–Conover method (Iman & Conover, 1982): reorder each
// input's samples so their ranks follow van der Waerden scores whose correlation matrix has been
// transformed to the target. Marginal distributions are untouched; only the pairing changes. The
// resulting Spearman correlations match the target to within Monte Carlo error.
import { normalQuantile } from './special.js';
import { ParameterError } from './samplers.js';
import type { Rng } from './rng.js';

/** Lower-triangular L with L·Lᵀ = m; throws if m is not positive definite. */
export function cholesky(m: readonly (readonly number[])[]): number[][] {
  const k = m.length;
  const L = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = m[i][j];
      for (let p = 0; p < j; p++) s -= L[i][p] * L[j][p];
      if (i === j) {
        if (!(s > 1e-12))
          throw new ParameterError(
            'correlate: the correlation matrix is not positive definite (some correlations contradict each other)',
          );
        L[i][i] = Math.sqrt(s);
      } else L[i][j] = s / L[j][j];
    }
  }
  return L;
}

export function checkCorrelationMatrix(m: readonly (readonly number[])[]): void {
  const k = m.length;
  for (let i = 0; i < k; i++) {
    if (m[i][i] !== 1) throw new ParameterError(`correlate: the diagonal must be 1 (row ${i + 1} has ${m[i][i]})`);
    for (let j = 0; j < k; j++) {
      if (!(Math.abs(m[i][j]) <= 1))
        throw new ParameterError(
          `correlate: correlations must lie in [-1, 1] (row ${i + 1}, column ${j + 1} is ${m[i][j]})`,
        );
      if (m[i][j] !== m[j][i])
        throw new ParameterError(
          `correlate: the matrix must be symmetric (row ${i + 1}, column ${j + 1} differs from row ${j + 1}, column ` +
            `${i + 1})`,
        );
    }
  }
  cholesky(m);
}

const scoreCache = new Map<number, Float64Array>();
function vanDerWaerden(n: number): Float64Array {
  let s = scoreCache.get(n);
  if (!s) {
    s = new Float64Array(n);
    for (let i = 0; i < n; i++) s[i] = normalQuantile((i + 1) / (n + 1));
    scoreCache.set(n, s);
  }
  return s;
}

/** Indices that sort v ascending: a native typed-array sort plus binary search (no comparator calls). */
function argsort(v: Float64Array): Uint32Array {
  const n = v.length;
  const sorted = v.slice().sort();
  const idx = new Uint32Array(n);
  const taken = new Uint32Array(n); // equal values fill consecutive slots
  for (let i = 0; i < n; i++) {
    const x = v[i];
    let lo = 0,
      hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    idx[lo + taken[lo]++] = i;
  }
  return idx;
}

/** Reorders each column in place so the columns' rank correlation approaches `target`. */
export function imanConover(columns: Float64Array[], target: readonly (readonly number[])[], rng: Rng): void {
  const k = columns.length;
  const n = columns[0].length;
  if (n < 3) return;
  const base = vanDerWaerden(n);
  // Independent random permutations of the scores, one per column.
  const S = columns.map(() => {
    const s = base.slice();
    for (let i = n - 1; i > 0; i--) {
      const j = rng.below(i + 1);
      const t = s[i];
      s[i] = s[j];
      s[j] = t;
    }
    return s;
  });
  // Actual correlation T of the permuted scores (mean 0 by symmetry), then S* = S·(L_T⁻¹)ᵀ·L_Pᵀ.
  const T = Array.from({ length: k }, (_, i) =>
    Array.from({ length: k }, (_, j) => {
      let s = 0,
        a = 0,
        b = 0;
      for (let r = 0; r < n; r++) {
        s += S[i][r] * S[j][r];
        a += S[i][r] * S[i][r];
        b += S[j][r] * S[j][r];
      }
      return s / Math.sqrt(a * b);
    }),
  );
  const LT = cholesky(T);
  const LP = cholesky(target);
  const M = multiply(LP, invertLower(LT)); // S*_row = M · S_row
  const star = columns.map(() => new Float64Array(n));
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < k; i++) {
      let v = 0;
      for (let j = 0; j <= i; j++) v += M[i][j] * S[j][r];
      star[i][r] = v;
    }
  }
  for (let i = 0; i < k; i++) {
    const sortedValues = columns[i].slice().sort();
    const order = argsort(star[i]);
    for (let rank = 0; rank < n; rank++) columns[i][order[rank]] = sortedValues[rank];
  }
}

function invertLower(L: number[][]): number[][] {
  const k = L.length;
  const inv = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < k; i++) {
    inv[i][i] = 1 / L[i][i];
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let p = j; p < i; p++) s -= L[i][p] * inv[p][j];
      inv[i][j] = s / L[i][i];
    }
  }
  return inv;
}

function multiply(a: number[][], b: number[][]): number[][] {
  const k = a.length;
  return Array.from({ length: k }, (_, i) =>
    Array.from({ length: k }, (_, j) => {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i][p] * b[p][j];
      return s;
    }),
  );
}
