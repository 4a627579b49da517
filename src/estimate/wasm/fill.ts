// The samplers' WebAssembly paths, for arrays that live in an arena. They draw exactly the numbers of
// the JavaScript reference (fillNormal, fillUniform): same generator, same block boundaries, same
// slow path. The generator's state goes in and comes back out.
import { TWO_NEG_32, type Rng } from '../dist/rng.js';
import type { Arena } from './arena.js';

export function fillNormalWasm(
  arena: Arena,
  rng: Rng,
  out: Float64Array,
  mean: number,
  sd: number,
  from: number,
  to: number,
  logNormal: boolean,
): void {
  arena.state.set(rng.s);
  arena.exports.normalFill(out.byteOffset, from, to, mean, sd, logNormal ? 1 : 0);
  rng.s.set(arena.state);
}

export function fillUniformWasm(
  arena: Arena,
  rng: Rng,
  out: Float64Array,
  lo: number,
  hi: number,
  from: number,
  to: number,
): void {
  const scale = (hi - lo) * TWO_NEG_32;
  arena.state.set(rng.s);
  arena.exports.uniformFill(out.byteOffset, from, to, lo + 0.5 * scale, scale);
  rng.s.set(arena.state);
}
