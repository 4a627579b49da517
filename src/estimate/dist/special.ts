// Normal distribution functions used by truncation and by Iman–Conover scores.

/** Standard normal CDF Φ(x), from W. J. Cody's erfc rational approximations (abs. error < 1e-15). */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < -38) return 0;
  if (x > 9) return 1;
  // Hart (1968) algorithm 5666 as given by West (2005), "Better approximations to cumulative normal
  // functions", accurate to double precision.
  const xa = Math.abs(x);
  let c: number;
  if (xa < 7.07106781186547) {
    const e = Math.exp((-xa * xa) / 2);
    const num =
      (((((0.0352624965998911 * xa + 0.700383064443688) * xa + 6.37396220353165) * xa + 33.912866078383) * xa +
        112.079291497871) *
        xa +
        221.213596169931) *
        xa +
      220.206867912376;
    const den =
      ((((((0.0883883476483184 * xa + 1.75566716318264) * xa + 16.064177579207) * xa + 86.7807322029461) * xa +
        296.564248779674) *
        xa +
        637.333633378831) *
        xa +
        793.826512519948) *
        xa +
      440.413735824752;
    c = (e * num) / den;
  } else {
    const e = Math.exp((-xa * xa) / 2);
    const b = xa + 1 / (xa + 2 / (xa + 3 / (xa + 4 / (xa + 0.65))));
    c = e / b / 2.506628274631;
  }
  return x > 0 ? 1 - c : c;
}

// Acklam's coefficients (module constants: a quantile is computed per chunk and call site).
const ACKLAM_A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
  2.506628277459239,
];
const ACKLAM_B = [
  -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
];
const ACKLAM_C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const ACKLAM_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/**
 * Standard normal quantile Φ⁻¹(p) for p in (0, 1): Acklam's rational approximation (rel. error
 * 1.15e-9) refined by one Halley step against normalCdf, giving close to full double precision.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    return NaN;
  }
  const plow = 0.02425;
  let x: number;
  if (p < plow) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((ACKLAM_C[0] * q + ACKLAM_C[1]) * q + ACKLAM_C[2]) * q + ACKLAM_C[3]) * q + ACKLAM_C[4]) * q + ACKLAM_C[5]) /
      ((((ACKLAM_D[0] * q + ACKLAM_D[1]) * q + ACKLAM_D[2]) * q + ACKLAM_D[3]) * q + 1);
  } else if (p <= 1 - plow) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((ACKLAM_A[0] * r + ACKLAM_A[1]) * r + ACKLAM_A[2]) * r + ACKLAM_A[3]) * r + ACKLAM_A[4]) * r + ACKLAM_A[5]) *
        q) /
      (((((ACKLAM_B[0] * r + ACKLAM_B[1]) * r + ACKLAM_B[2]) * r + ACKLAM_B[3]) * r + ACKLAM_B[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x =
      -(((((ACKLAM_C[0] * q + ACKLAM_C[1]) * q + ACKLAM_C[2]) * q + ACKLAM_C[3]) * q + ACKLAM_C[4]) * q + ACKLAM_C[5]) /
      ((((ACKLAM_D[0] * q + ACKLAM_D[1]) * q + ACKLAM_D[2]) * q + ACKLAM_D[3]) * q + 1);
  }
  // Halley refinement.
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** z such that a normal's p5..p95 interval is mean ± Z90·sd. */
export const Z90 = 1.6448536269514722;
