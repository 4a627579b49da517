// The engine's pseudo-random numbers: xoshiro128** (Blackman & Vigna, 2018) on 32-bit integer
// arithmetic, which JavaScript does exactly, so a seed gives the same numbers on every machine.
// Each random call site of a model, in each chunk of samples, gets its own stream derived from
// (seed, site key, chunk index) with SplitMix32 over an FNV-1a hash of the key. Streams are therefore
// independent of evaluation order and of how chunks are scheduled, and a scenario that changes one
// binding leaves every other input's samples unchanged (common random numbers).

export const TWO_NEG_32 = 2.3283064365386963e-10;

/** SplitMix32 finaliser (a well-mixed 32-bit hash step). */
function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) | 0;
}

/** FNV-1a over the UTF-16 code units of `s`. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

export class Rng {
  /** xoshiro128** state; never all zero. Public so the fill loops can keep it in locals. */
  readonly s: Int32Array;

  constructor(seed: number, key = '', chunk = 0) {
    let x = splitmix32(splitmix32(seed >>> 0) ^ fnv1a(key));
    x = splitmix32(x ^ chunk);
    const s = new Int32Array(4);
    for (let i = 0; i < 4; i++) s[i] = x = splitmix32(x + i);
    if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
    this.s = s;
  }

  /** Next 32 random bits as an unsigned integer. */
  nextU32(): number {
    const s = this.s;
    let r = Math.imul(s[1], 5);
    r = Math.imul((r << 7) | (r >>> 25), 9);
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 11) | (s[3] >>> 21);
    return r >>> 0;
  }

  /** Uniform on the open interval (0, 1): (k + 0.5) / 2^32, never 0 or 1, so log() is always safe. */
  uniform(): number {
    return (this.nextU32() + 0.5) * TWO_NEG_32;
  }

  /** Uniform integer in [0, n) for n ≤ 2^32 (multiply-shift; bias < n / 2^32). */
  below(n: number): number {
    return Math.floor(this.uniform() * n);
  }
}

/** Fills out[from, to) with uniforms on (lo, hi). The state lives in locals for speed. */
export function fillUniform(rng: Rng, out: Float64Array, lo = 0, hi = 1, from = 0, to = out.length): void {
  const st = rng.s;
  let s0 = st[0],
    s1 = st[1],
    s2 = st[2],
    s3 = st[3];
  const scale = (hi - lo) * TWO_NEG_32;
  const base = lo + 0.5 * scale;
  for (let i = from; i < to; i++) {
    let r = Math.imul(s1, 5);
    r = Math.imul((r << 7) | (r >>> 25), 9);
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    out[i] = base + (r >>> 0) * scale;
  }
  st[0] = s0;
  st[1] = s1;
  st[2] = s2;
  st[3] = s3;
}
