// mx(d1, ..., dk, [w1, ..., wk]): each sample picks component j with probability w_j / Σw. Sample-set
// components contribute their own sample at the same index (keeping correlation with the rest of the
// model); parametric components are drawn only as often as they are chosen.
import { ParameterError, sampleInto, type DistSpec } from './samplers.js';
import { fillUniform, Rng } from './rng.js';
import { arenaOf } from '../wasm/arena.js';
import { fillUniformWasm } from '../wasm/fill.js';

export type Component = number | Float64Array | { spec: DistSpec; rng: Rng };

export function normaliseWeights(weights: readonly number[] | undefined, k: number): Float64Array {
  const w = weights ? Float64Array.from(weights) : new Float64Array(k).fill(1);
  let sum = 0;
  for (let i = 0; i < w.length; i++) {
    if (!(w[i] >= 0) || !Number.isFinite(w[i])) throw new ParameterError(`mx: weight ${i + 1} must be a finite number ≥ 0, got ${w[i]}`);
    sum += w[i];
  }
  if (!(sum > 0)) throw new ParameterError('mx: the weights must not all be 0');
  for (let i = 0; i < w.length; i++) w[i] /= sum;
  return w;
}

/**
 * Fills `out` (length n) with the mixture and `choice` with the chosen component index per sample.
 * `selector` is the mixture's own stream.
 */
export function mix(components: readonly Component[], weights: Float64Array, selector: Rng, out: Float64Array, choice: Float64Array): void {
  const n = out.length;
  const k = components.length;
  const cum = new Float64Array(k);
  let acc = 0;
  for (let j = 0; j < k; j++) cum[j] = acc += weights[j];
  cum[k - 1] = 1; // guard against rounding: every u < 1 finds a component
  const arena = arenaOf(choice);
  if (arena) fillUniformWasm(arena, selector, choice, 0, 1, 0, n);
  else fillUniform(selector, choice, 0, 1);
  const counts = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const u = choice[i];
    let j = 0;
    while (u >= cum[j]) j++;
    choice[i] = j;
    counts[j]++;
  }
  // Parametric components are drawn only as often as chosen; then one pass assembles the result.
  const kind = new Int8Array(k); // 0 number, 1 sample set, 2 parametric draws
  const constants = new Float64Array(k);
  const arrays: Float64Array[] = components.map((c, j) => {
    if (typeof c === 'number') {
      constants[j] = c;
      return out;
    }
    if (c instanceof Float64Array) {
      kind[j] = 1;
      return c;
    }
    kind[j] = 2;
    const draws = new Float64Array(counts[j]);
    sampleInto(c.spec, c.rng, draws);
    return draws;
  });
  const cursor = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const j = choice[i];
    const kj = kind[j];
    out[i] = kj === 1 ? arrays[j][i] : kj === 0 ? constants[j] : arrays[j][cursor[j]++];
  }
}
