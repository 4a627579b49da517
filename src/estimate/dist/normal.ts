// Standard normal variates by the ziggurat method (Marsaglia & Tsang, 2000, 128 layers). Following
// Doornik (2005), the layer index (low 7 bits) and the value (high 25 bits) come from disjoint bits,
// avoiding the correlation of the original. About 98.8% of draws need one integer and one multiply.
import type { Rng } from './rng.js';
import { expInPlace, fastExp } from './fastexp.js';

const LAYERS = 128;
const R = 3.442619855899; // start of the tail
const V = 9.91256303526217e-3; // area of each layer
const M = 16777216; // 2^24: scale of the signed 25-bit value
const kn = new Float64Array(LAYERS);
const wn = new Float64Array(LAYERS);
const fn = new Float64Array(LAYERS);
{
  let dn = R;
  let tn = dn;
  const q = V / Math.exp(-0.5 * dn * dn);
  kn[0] = Math.floor((dn / q) * M);
  kn[1] = 0;
  wn[0] = q / M;
  wn[LAYERS - 1] = dn / M;
  fn[0] = 1;
  fn[LAYERS - 1] = Math.exp(-0.5 * dn * dn);
  for (let i = LAYERS - 2; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(V / dn + Math.exp(-0.5 * dn * dn)));
    kn[i + 1] = Math.floor((dn / tn) * M);
    tn = dn;
    fn[i] = Math.exp(-0.5 * dn * dn);
    wn[i] = dn / M;
  }
}

/** The layer tables, for the WebAssembly copy (engine.wat; kn holds integers below 2^24). */
export const ZIGGURAT_KN = Int32Array.from(kn);
export const ZIGGURAT_WN = wn;
export const ZIGGURAT_FN = fn;
export const ZIGGURAT_R = R;

/** The slow path: wedges and the tail (about 1.2% of draws). */
function slow(rng: Rng, hz: number, iz: number): number {
  for (;;) {
    const x = hz * wn[iz];
    if (iz === 0) {
      let t: number, y: number;
      do {
        t = -Math.log(rng.uniform()) / R;
        y = -Math.log(rng.uniform());
      } while (y + y < t * t);
      return hz > 0 ? R + t : -R - t;
    }
    // The engine's own exp (fastexp.ts), which WebAssembly has too: no call out to Math per wedge test.
    if (fn[iz] + rng.uniform() * (fn[iz - 1] - fn[iz]) < fastExp(-0.5 * x * x)) return x;
    const r = rng.nextU32() | 0;
    iz = r & 127;
    hz = r >> 7;
    if (Math.abs(hz) < kn[iz]) return hz * wn[iz];
  }
}

/** One standard normal variate. */
export function normal01(rng: Rng): number {
  const r = rng.nextU32() | 0;
  const iz = r & 127;
  const hz = r >> 7;
  return Math.abs(hz) < kn[iz] ? hz * wn[iz] : slow(rng, hz, iz);
}

/** Draws per block: the fast path fills a block, then the few slow-path draws are completed. */
const BLOCK = 4096;
const pendingIndex = new Int32Array(BLOCK);
const pendingBits = new Int32Array(BLOCK);

/**
 * Fills out[from, to) with mean + sd × N(0, 1), or exp of that when `logNormal` is set. Each block of
 * 4,096 draws runs the branch-light fast path with the generator state in locals, then finishes the
 * ~1.2% of draws that need the slow path, in order. (Doing the slow path inline costs twice as much:
 * the call forces the state out of registers.) Block boundaries are fixed, so a seed always gives the
 * same numbers. The pieces are separate small functions so the JIT optimises each quickly and
 * completely, which matters for a short command-line run.
 */
export function fillNormal(
  rng: Rng,
  out: Float64Array,
  mean = 0,
  sd = 1,
  from = 0,
  to = out.length,
  logNormal = false,
): void {
  for (let start = from; start < to; start += BLOCK) {
    const end = Math.min(to, start + BLOCK);
    const pending = fastBlock(rng.s, out, start, end, mean, sd);
    if (pending > 0) finishSlow(rng, out, pending, mean, sd);
    if (logNormal) expInPlace(out, start, end);
  }
}

/** The ziggurat fast path over out[start, end); returns how many draws were deferred. */
function fastBlock(st: Int32Array, out: Float64Array, start: number, end: number, mean: number, sd: number): number {
  let s0 = st[0],
    s1 = st[1],
    s2 = st[2],
    s3 = st[3];
  let pending = 0;
  for (let i = start; i < end; i++) {
    let r = Math.imul(s1, 5);
    r = Math.imul((r << 7) | (r >>> 25), 9);
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    const iz = r & 127;
    const hz = r >> 7;
    if ((hz < 0 ? -hz : hz) < kn[iz]) {
      out[i] = mean + sd * (hz * wn[iz]);
    } else {
      pendingIndex[pending] = i;
      pendingBits[pending++] = r;
    }
  }
  st[0] = s0;
  st[1] = s1;
  st[2] = s2;
  st[3] = s3;
  return pending;
}

function finishSlow(rng: Rng, out: Float64Array, pending: number, mean: number, sd: number): void {
  for (let p = 0; p < pending; p++) {
    const r = pendingBits[p];
    out[pendingIndex[p]] = mean + sd * slow(rng, r >> 7, r & 127);
  }
}
