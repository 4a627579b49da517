// The samplers' WebAssembly paths, for arrays that live in an arena. They draw exactly the numbers of
// the JavaScript reference (fillNormal, fillUniform): same generator, same block boundaries, and the
// same slow-path code, which stays in JavaScript because only ~1.2% of normal draws need it.
import type { Rng } from '../dist/rng.js';
import { finishSlow, NORMAL_BLOCK } from '../dist/normal.js';
import type { Arena } from './arena.js';

const TWO_NEG_32 = 2.3283064365386963e-10;

export function fillNormalWasm(arena: Arena, rng: Rng, out: Float64Array, mean: number, sd: number, from: number, to: number, logNormal: boolean): void {
  const { exports: w, state } = arena;
  const ptr = out.byteOffset;
  for (let start = from; start < to; start += NORMAL_BLOCK) {
    const end = Math.min(to, start + NORMAL_BLOCK);
    state.set(rng.s);
    const pending = w.normalFast(ptr, start, end, mean, sd);
    rng.s.set(state);
    if (pending > 0) finishSlow(rng, out, pending, mean, sd, arena.pendingIndex, arena.pendingBits);
    if (logNormal) w.expInPlace(ptr, start, end);
  }
}

export function fillUniformWasm(arena: Arena, rng: Rng, out: Float64Array, lo: number, hi: number, from: number, to: number): void {
  const scale = (hi - lo) * TWO_NEG_32;
  arena.state.set(rng.s);
  arena.exports.uniformFill(out.byteOffset, from, to, lo + 0.5 * scale, scale);
  rng.s.set(arena.state);
}
