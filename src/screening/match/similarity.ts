// String similarity for single tokens and whole names: Jaro-Winkler (what watchman uses per token;
// rewards a shared prefix, which transliteration variants usually keep) and optimal-string-alignment
// Damerau-Levenshtein (what the trade.gov CSL search uses) for names whose word boundaries differ.

const matchFlagsA = new Uint8Array(256);
const matchFlagsB = new Uint8Array(256);

export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  if (la > 255 || lb > 255) return a === b ? 1 : 0;
  const range = Math.max(0, (Math.max(la, lb) >> 1) - 1);
  matchFlagsA.fill(0, 0, la);
  matchFlagsB.fill(0, 0, lb);
  let m = 0;
  for (let i = 0; i < la; i++) {
    const lo = Math.max(0, i - range);
    const hi = Math.min(lb - 1, i + range);
    const c = a.charCodeAt(i);
    for (let j = lo; j <= hi; j++) {
      if (matchFlagsB[j] === 0 && b.charCodeAt(j) === c) {
        matchFlagsA[i] = 1;
        matchFlagsB[j] = 1;
        m++;
        break;
      }
    }
  }
  if (m === 0) return 0;
  let t = 0;
  for (let i = 0, j = 0; i < la; i++) {
    if (matchFlagsA[i] === 0) continue;
    while (matchFlagsB[j] === 0) j++;
    if (a.charCodeAt(i) !== b.charCodeAt(j)) t++;
    j++;
  }
  const jaro = (m / la + m / lb + (m - t / 2) / m) / 3;
  let prefix = 0;
  const maxPrefix = Math.min(4, la, lb);
  while (prefix < maxPrefix && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

let rowPrev = new Int32Array(64);
let rowCur = new Int32Array(64);
let rowPrev2 = new Int32Array(64);

/** Optimal string alignment distance (Damerau-Levenshtein without repeated edits of a substring). */
/** Stops early and returns `limit + 1` once the distance must exceed `limit`. */
export function osaDistance(a: string, b: string, limit = Number.MAX_SAFE_INTEGER): number {
  const la = a.length;
  const lb = b.length;
  if (la === 0) return lb;
  if (lb === 0) return la;
  if (rowPrev.length <= lb) {
    rowPrev = new Int32Array(lb + 1);
    rowCur = new Int32Array(lb + 1);
    rowPrev2 = new Int32Array(lb + 1);
  }
  let prev2 = rowPrev2;
  let prev = rowPrev;
  let cur = rowCur;
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[lb];
}

/** 1 - distance / longer length, in [0, 1]. */
export function osaSimilarity(a: string, b: string, atLeast = 0): number {
  const n = Math.max(a.length, b.length);
  if (n === 0) return 1;
  const limit = Math.floor((1 - atLeast) * n);
  if (Math.abs(a.length - b.length) > limit) return 0; // cannot reach `atLeast`: skip the work
  const d = osaDistance(a, b, limit);
  return d > limit ? 0 : 1 - d / n;
}
