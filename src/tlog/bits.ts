// Integer helpers for tree indices. JavaScript bitwise operators truncate to 32 bits, but a log can
// outgrow 2^32 entries, so these use arithmetic and are exact for every safe integer (< 2^53).

export const MAX_INDEX = Number.MAX_SAFE_INTEGER;

export function isIndex(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

export function isOdd(n: number): boolean {
  return n % 2 === 1;
}

/** n >> 1 for any safe non-negative integer. */
export function half(n: number): number {
  return Math.floor(n / 2);
}

export function isPowerOf2(n: number): boolean {
  if (n < 1) return false;
  while (n % 2 === 0) n /= 2;
  return n === 1;
}

/** The largest power of two strictly less than n (n >= 2): RFC 9162's k in MTH(D[n]). */
export function largestPowerOf2Below(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The smallest power of two greater than or equal to n (n >= 1). */
export function bitCeil(n: number): number {
  let k = 1;
  while (k < n) k *= 2;
  return k;
}

export function log2Exact(n: number): number {
  let l = 0;
  while (n > 1) {
    n /= 2;
    l++;
  }
  return l;
}
