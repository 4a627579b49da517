// The engine: evaluates a checked model over N samples in fixed-size chunks. Each chunk runs every
// statement vectorised over typed arrays (see chunk.ts); outputs (and, for sensitivity, inputs) are
// gathered into full-length arrays. Memory is bounded by the outputs kept, not by intermediate values.
import { walk, type Expr } from '../lang/ast.js';
import { OBSERVE_OUTPUT, type CheckedModel } from '../lang/analyze.js';
import { ModelError } from '../lang/errors.js';
import { countNonFinite } from '../dist/ops.js';
import { compileKernels } from './fusion.js';
import { ChunkEvaluator, CHUNK_SIZE } from './chunk.js';
import { StreamingSummary } from '../analysis/stream-summary.js';
import type { Summary } from '../analysis/summary.js';
import { Arena } from '../wasm/arena.js';

export { CHUNK_SIZE };

export interface EvaluateOptions {
  samples: number;
  seed: number;
  /** Keep the samples of every input (needed for sensitivity analysis and CSV export of inputs). */
  keepInputs?: boolean;
  onProgress?: (done: number, total: number) => void;
  /** Run the WebAssembly loops where they apply (default true); false: JavaScript only, same numbers. */
  useWasm?: boolean;
}

export interface Evaluation {
  samples: number;
  seed: number;
  outputs: Map<string, Float64Array>;
  /** Inputs' samples, aligned with the outputs' (only with keepInputs). */
  inputs: Map<string, Float64Array>;
}

export function evaluate(model: CheckedModel, opts: EvaluateOptions): Evaluation {
  const { samples, seed } = opts;
  const arena = runArena(model, samples, 0, opts.useWasm);
  try {
    const outputs = new Map(model.outputs.map((o) => [o.name, new Float64Array(samples)]));
    const inputs = new Map(inputNames(model, opts.keepInputs).map((name) => [name, new Float64Array(samples)]));
    const nonFinite = evaluateChunks(model, {
      samples,
      seed,
      outputs,
      inputs,
      from: 0,
      to: chunkCount(samples),
      onProgress: opts.onProgress,
      arena,
    });
    reportNonFinite(model, nonFinite, outputs, samples);
    return { samples, seed, outputs, inputs };
  } finally {
    arena?.release(); // outputs and inputs are ordinary arrays: nothing returned points into the arena
  }
}

/**
 * Evaluates the model and summarises each output while its chunks stream past, keeping no samples
 * (memory stays a few MB at any sample count). Gives exactly summarize()'s numbers; returns undefined
 * in the (astronomically rare) case that a quantile bracket missed, and the caller then evaluates with
 * stored samples.
 */
export function evaluateSummaries(
  model: CheckedModel,
  opts: EvaluateOptions & { thresholds?: Readonly<Record<string, readonly number[]>> },
): Map<string, Summary> | undefined {
  const { samples, seed } = opts;
  const arena = runArena(model, samples, model.outputs.length, opts.useWasm);
  try {
    const streams = model.outputs.map((o) => new StreamingSummary(samples, opts.thresholds?.[o.name] ?? [], arena));
    const nonFinite = evaluateChunks(model, {
      samples,
      seed,
      outputs: new Map(),
      inputs: new Map(),
      from: 0,
      to: chunkCount(samples),
      onProgress: opts.onProgress,
      arena,
      onOutput: (k, values, chunk) => streams[k].add(values, chunk),
    });
    return finishStreams(model, streams, nonFinite, samples);
  } finally {
    arena?.release(); // the summaries are plain numbers: nothing returned points into the arena
  }
}

/**
 * The end of a streamed run, on one thread or several: reports NaN/∞ samples as an error, then each
 * output's summary by name, or undefined when a bracket missed (the caller then stores the samples).
 */
export function finishStreams(
  model: CheckedModel,
  streams: readonly StreamingSummary[],
  nonFinite: Map<number, number>,
  samples: number,
): Map<string, Summary> | undefined {
  reportNonFinite(model, nonFinite, new Map(), samples, (_, k) => streams[k].nonFiniteCount);
  const out = new Map<string, Summary>();
  for (const [k, o] of model.outputs.entries()) {
    const s = streams[k].finish();
    if (!s) return undefined;
    out.set(o.name, s);
  }
  return out;
}

/**
 * The run's WebAssembly arena (undefined without WebAssembly), sized to what the run touches: room for
 * every chunk array it can allocate (at most one per operation of the syntax tree — names and numbers
 * allocate nothing — two per mixture), two chunks of scratch, and for each streamed output its kept
 * samples (about 9% of the samples at 1M; twice that reserved). The size matters even though untouched
 * pages cost nothing: V8 counts the whole memory as external allocation, and tens of megabytes of it
 * set off garbage collections. An array or output that does not fit falls back to ordinary arrays and
 * the JavaScript loops, with the same numbers.
 */
export function runArena(model: CheckedModel, samples: number, streamed: number, useWasm = true): Arena | undefined {
  let arrays = 0;
  const count = (e: Expr) =>
    walk(e, (x) => {
      arrays += x.type === 'num' || x.type === 'ident' ? 0 : x.type === 'call' && x.callee === 'mx' ? 2 : 1;
    });
  for (const s of model.stmts) count(s.expr);
  for (const o of model.outputs) count(o.expr);
  const m = Math.min(samples, CHUNK_SIZE);
  const perStream = 2 * samples + 256 * 1024;
  return Arena.create((arrays + 2) * m * 8 + streamed * perStream, useWasm);
}

export function chunkCount(samples: number): number {
  return Math.ceil(samples / CHUNK_SIZE);
}

/** Names of the inputs whose samples are kept (model inputs, then mixture choices). */
export function inputNames(model: CheckedModel, keepInputs = false): string[] {
  return keepInputs ? [...model.inputs, ...model.mixtureInputs.values()] : [];
}

export interface ChunkRange {
  samples: number;
  seed: number;
  /** Full-length arrays to fill (they may live in shared memory); only [from, to) chunks are written. */
  outputs: Map<string, Float64Array>;
  inputs: Map<string, Float64Array>;
  from: number;
  to: number;
  /** The chunks to evaluate, in this order, instead of [from, to) (threads claiming chunks as they go). */
  order?: Iterable<number>;
  onProgress?: (done: number, total: number) => void;
  /** When set, each chunk of output k goes here instead of into `outputs` (which may then be empty). */
  onOutput?: (k: number, values: Float64Array, chunk: number) => void;
  /** Where chunk arrays are allocated (see runArena); ordinary arrays without it. */
  arena?: Arena;
}

/**
 * Evaluates chunks [from, to) into the given arrays; returns NaN/∞ counts per statement index. Chunks
 * are independent (their own streams), so ranges can run on different threads with the same result.
 */
export function evaluateChunks(model: CheckedModel, r: ChunkRange): Map<number, number> {
  const nonFinite = new Map<number, number>();
  const kernels = compileKernels(model); // the WebAssembly functions of all of them in one module
  // Full-size chunk arrays are recycled from one chunk to the next: every value a chunk needs beyond
  // its own lifetime has been copied into the output and input arrays by then.
  const pool: Float64Array[] = [];
  for (const c of r.order ?? range(r.from, r.to)) {
    const offset = c * CHUNK_SIZE;
    const m = Math.min(CHUNK_SIZE, r.samples - offset);
    const chunk = new ChunkEvaluator(model, r.seed, c, m, r.inputs, offset, kernels, pool, r.arena);
    for (let i = 0; i < model.stmts.length; i++) {
      const bad = chunk.run(i);
      if (bad > 0) nonFinite.set(i, (nonFinite.get(i) ?? 0) + bad);
    }
    model.outputs.forEach((o, k) => {
      const v = chunk.materialize(chunk.eval(o.expr), o.expr.pos);
      if (r.onOutput) {
        r.onOutput(k, typeof v === 'number' ? new Float64Array(m).fill(v) : v, c);
        return;
      }
      const out = r.outputs.get(o.name)!;
      if (typeof v === 'number') out.fill(v, offset, offset + m);
      else out.set(v, offset);
    });
    chunk.release();
    r.onProgress?.(offset + m, r.samples);
  }
  return nonFinite;
}

function* range(from: number, to: number): Iterable<number> {
  for (let c = from; c < to; c++) yield c;
}

/**
 * Throws for the first statement, then the first output, with NaN or infinite samples. `badInOutput`
 * counts an output's (stored arrays by default; a streamed run passes its streams' counts).
 */
export function reportNonFinite(
  model: CheckedModel,
  perStmt: Map<number, number>,
  outputs: Map<string, Float64Array>,
  n: number,
  badInOutput: (name: string, k: number) => number = (name) => countNonFinite(outputs.get(name)!),
): void {
  // The first in the source (statements may run in another order: lang/schedule.ts).
  const first = [...perStmt.keys()].sort((a, b) => model.stmts[a].pos.offset - model.stmts[b].pos.offset)[0];
  if (first !== undefined) {
    const s = model.stmts[first];
    const name = s.type === 'let' ? s.name : 'correlate';
    throw new ModelError(
      `${name} has ${perStmt.get(first)!.toLocaleString('en-US')} NaN or infinite samples out of ` +
        `${n.toLocaleString('en-US')} (for example log or sqrt of a negative number, or division by zero)`,
      s.type === 'let' ? s.expr.pos : s.pos,
    );
  }
  for (const [k, o] of model.outputs.entries()) {
    const bad = badInOutput(o.name, k);
    if (bad > 0)
      throw new ModelError(
        `${o.name === OBSERVE_OUTPUT ? 'observe(...)' : `output ${o.name}`} has ${bad.toLocaleString('en-US')} ` +
          `NaN or infinite samples out of ` +
          `${n.toLocaleString('en-US')}`,
        o.expr.pos,
      );
  }
}
