// mx(d1, ..., dk, [w1, ..., wk]): each sample picks component j with probability w_j / Σw. Sample-set
// components contribute their own sample at the same index (keeping correlation with the rest of the
// model); parametric components are drawn only as often as they are chosen.
import { ParameterError, sampleInto, type DistSpec } from './samplers.js';
import { fillUniform, type Rng } from './rng.js';
import { arenaOf } from '../wasm/arena.js';
import { fillUniformWasm } from '../wasm/fill.js';

export type Component = number | Float64Array | { spec: DistSpec; rng: Rng };

export function normaliseWeights(weights: readonly number[] | undefined, k: number): Float64Array {
  const w = weights ? Float64Array.from(weights) : new Float64Array(k).fill(1);
  let sum = 0;
  for (let i = 0; i < w.length; i++) {
    if (!(w[i] >= 0) || !Number.isFinite(w[i]))
      throw new ParameterError(`mx: weight ${i + 1} must be a finite number ≥ 0, got ${w[i]}`);
    sum += w[i];
  }
  if (!(sum > 0)) throw new ParameterError('mx: the weights must not all be 0');
  for (let i = 0; i < w.length; i++) w[i] /= sum;
  return w;
}

/**
 * Fills `out` (length n) with the mixture and `choice` with the chosen component index per sample.
 * `selector` is the mixture's own stream. In a WebAssembly arena the two passes run there (engine.wat
 * mixChoose, mixAssemble), with the same result.
 */
export function mix(
  components: readonly Component[],
  weights: Float64Array,
  selector: Rng,
  out: Float64Array,
  choice: Float64Array,
): void {
  const n = out.length;
  const k = components.length;
  const arena = arenaOf(choice);
  // The passes run in the arena when out and choice live there; the assembly also needs every
  // component's values there (checked below, once the parametric draws exist).
  const wasm = arena && arenaOf(out) === arena ? arena : undefined;
  // Working tables: cumulative weights (f64 × k), counts (i32 × k, in k f64 slots), component entries
  // (4 × i32 × k, in 2k f64 slots) and constants (f64 × k); in the arena when the passes run there.
  const tables = wasm?.scratch('mix', 5 * k) ?? new Float64Array(5 * k);
  const cum = tables.subarray(0, k);
  const counts = new Int32Array(tables.buffer, tables.byteOffset + 8 * k, k).fill(0);
  const entries = new Int32Array(tables.buffer, tables.byteOffset + 16 * k, 4 * k);
  const constants = tables.subarray(4 * k, 5 * k);
  let acc = 0;
  for (let j = 0; j < k; j++) cum[j] = acc += weights[j];
  cum[k - 1] = 1; // guard against rounding: every u < 1 finds a component
  if (wasm) {
    fillUniformWasm(wasm, selector, choice, 0, 1, 0, n);
    wasm.exports.mixChoose(choice.byteOffset, n, cum.byteOffset, counts.byteOffset);
  } else {
    fillUniform(selector, choice, 0, 1);
    for (let i = 0; i < n; i++) {
      const u = choice[i];
      let j = 0;
      while (u >= cum[j]) j++;
      choice[i] = j;
      counts[j]++;
    }
  }
  // Parametric components are drawn only as often as chosen; then one pass assembles the result.
  // Entry j: kind (0 number, 1 sample set, 2 parametric draws), then where its values are.
  const arrays: Float64Array[] = components.map((c, j) => {
    if (typeof c === 'number') {
      constants[j] = c;
      entries.set([0, 0, 0, 0], 4 * j);
      return out;
    }
    if (c instanceof Float64Array) {
      entries.set([1, c.byteOffset, 0, 0], 4 * j);
      return c;
    }
    const draws = wasm?.scratch(`mix-draws-${j}`, counts[j]) ?? new Float64Array(counts[j]);
    sampleInto(c.spec, c.rng, draws);
    entries.set([2, draws.byteOffset, 0, 0], 4 * j);
    return draws;
  });
  if (wasm && arrays.every((a) => arenaOf(a) === wasm)) {
    wasm.exports.mixAssemble(out.byteOffset, choice.byteOffset, n, entries.byteOffset, constants.byteOffset);
    return;
  }
  const cursor = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const j = choice[i];
    const kj = entries[4 * j];
    out[i] = kj === 1 ? arrays[j][i] : kj === 0 ? constants[j] : arrays[j][cursor[j]++];
  }
}
