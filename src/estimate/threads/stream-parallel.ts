// Streamed summaries on several threads, with exactly the single-thread numbers. This thread streams
// chunk 0, whose pilot chooses each output's brackets, and publishes them in shared memory; worker
// threads (stream-worker.ts) wait for them, then every thread claims chunks one at a time (a
// compare-and-swap on a shared owner table), so a slow-starting worker takes fewer chunks and never
// delays the run. Workers send back what they saw (StreamingSummary.part) and this thread merges it:
// counts add up, kept samples are pooled, and block moments are combined in chunk order, so mean and
// sd come out to the last bit as on one thread. Chunks keep their own random streams wherever they run.
import { bundledWorker } from './bundled-worker.js';
import type { CheckedModel } from '../lang/analyze.js';
import type { EstimateInputs } from '../lang/inputs.js';
import { decodeWorkerError, type WorkerError } from './worker-error.js';
import { CHUNK_SIZE, chunkCount, evaluateChunks, finishStreams, runArena } from '../engine/evaluate.js';
import { StreamingSummary, type Brackets, type StreamPart } from '../analysis/stream-summary.js';
import type { Summary } from '../analysis/summary.js';

/** Shared state: owner per chunk (0 free, 1 this thread, 2.. workers), then the control words. */
export interface StreamShared {
  owner: SharedArrayBuffer;
  /** Int32: [0] brackets published (1) or run abandoned (−1), [1] chunks done. */
  control: SharedArrayBuffer;
  /** Float64: per output, its Brackets: table (11), then interval count, then shares (5). */
  brackets: SharedArrayBuffer;
}

export interface StreamWorkerTask {
  source: string;
  set: Record<string, string>;
  inputValues: EstimateInputs;
  samples: number;
  seed: number;
  thresholds: Record<string, number[]>;
  id: number;
  shared: StreamShared;
  useWasm: boolean;
}

export type StreamWorkerReply =
  | { type: 'parts'; parts: StreamPart[]; nonFinite: [number, number][] }
  | ({ type: 'error' } & WorkerError);

const TABLE = 11;
const SHARES = 5;
const PER_OUTPUT = TABLE + 1 + SHARES;

export function writeBrackets(shared: Float64Array, k: number, b: Brackets): void {
  const at = k * PER_OUTPUT;
  shared.set(b.table, at);
  shared[at + TABLE] = b.shares.length;
  shared.set(b.shares, at + TABLE + 1);
}

export function readBrackets(shared: Float64Array, k: number): Brackets {
  const at = k * PER_OUTPUT;
  const nj = shared[at + TABLE];
  return {
    table: Array.from(shared.subarray(at, at + TABLE)),
    shares: Array.from(shared.subarray(at + TABLE + 1, at + TABLE + 1 + nj)),
  };
}

/** Chunks in increasing order that this thread wins (each thread's cursor only moves forward). */
export function* claimChunks(owner: Int32Array, id: number, first = 0): Generator<number> {
  for (let c = first; c < owner.length; c++) if (Atomics.compareExchange(owner, c, 0, id) === 0) yield c;
}

export interface StreamParallelRequest {
  source: string;
  set: Readonly<Record<string, string>>;
  inputValues: EstimateInputs;
  samples: number;
  seed: number;
  thresholds: Readonly<Record<string, readonly number[]>>;
  threads: number;
  onProgress?: (done: number, total: number) => void;
  /** Whether threads run the WebAssembly loops (false: JavaScript only, same numbers). */
  useWasm: boolean;
}

/**
 * evaluateSummaries (engine/evaluate.ts) on `threads` threads: the same summaries, or undefined when a bracket
 * missed (the caller then recomputes with stored samples).
 */
export async function evaluateSummariesParallel(
  model: CheckedModel,
  req: StreamParallelRequest,
): Promise<Map<string, Summary> | undefined> {
  const { samples, seed } = req;
  const chunks = chunkCount(samples);
  const shared: StreamShared = {
    owner: new SharedArrayBuffer(4 * chunks),
    control: new SharedArrayBuffer(8),
    brackets: new SharedArrayBuffer(8 * PER_OUTPUT * model.outputs.length),
  };
  const owner = new Int32Array(shared.owner);
  const control = new Int32Array(shared.control);
  owner[0] = 1; // the pilot chunk is this thread's
  const workers = Array.from({ length: Math.max(0, Math.min(req.threads, chunks) - 1) }, (_, t) =>
    spawn({
      source: req.source,
      set: { ...req.set },
      inputValues: req.inputValues,
      samples,
      seed,
      id: t + 2,
      shared,
      useWasm: req.useWasm,
      thresholds: Object.fromEntries(Object.entries(req.thresholds).map(([k, v]) => [k, [...v]])),
    }),
  );
  const arena = runArena(model, samples, model.outputs.length, req.useWasm);
  try {
    const streams = model.outputs.map((o) => new StreamingSummary(samples, req.thresholds[o.name] ?? [], arena));
    const bracketView = new Float64Array(shared.brackets);
    function* order(): Generator<number> {
      yield 0;
      // Chunk 0 has been streamed: every output's pilot has run. Publish, then claim.
      streams.forEach((s, k) => {
        writeBrackets(bracketView, k, s.brackets());
      });
      Atomics.store(control, 0, 1);
      Atomics.notify(control, 0);
      yield* claimChunks(owner, 1, 1);
    }
    const nonFinite = evaluateChunks(model, {
      samples,
      seed,
      outputs: new Map(),
      inputs: new Map(),
      from: 0,
      to: 0,
      order: order(),
      arena,
      onOutput: (k, values, chunk) => streams[k].add(values, chunk),
      onProgress:
        req.onProgress &&
        (() => req.onProgress!(Math.min(samples, (Atomics.add(control, 1, 1) + 1) * CHUNK_SIZE), samples)),
    });
    // Every chunk is owned now; wait only for workers that own some (a worker still starting up owns none).
    const busy = workers.filter((_, t) => owner.includes(t + 2));
    for (const w of workers) if (!busy.includes(w)) w.close();
    for (const reply of await Promise.all(busy.map((w) => w.result))) {
      reply.parts.forEach((p, k) => {
        streams[k].absorb(p);
      });
      for (const [i, c] of reply.nonFinite) nonFinite.set(i, (nonFinite.get(i) ?? 0) + c);
    }
    return finishStreams(model, streams, nonFinite, samples);
  } finally {
    arena?.release();
    Atomics.compareExchange(control, 0, 0, -1); // brackets never published: workers still waiting give up
    Atomics.notify(control, 0);
    for (const w of workers) w.close();
  }
}

interface StreamWorker {
  /** The worker's parts, once it has streamed its chunks. */
  result: Promise<{ parts: StreamPart[]; nonFinite: [number, number][] }>;
  close(): void;
}

function spawn(task: StreamWorkerTask): StreamWorker {
  // Workers run the bundle of stream-worker.ts (also when this module runs from TypeScript sources in
  // tests; `npm test` builds it first).
  const worker = bundledWorker('stream-worker', { workerData: task });
  worker.unref(); // a worker that is not waited for must not keep the process alive
  let closed = false;
  const result = new Promise<{ parts: StreamPart[]; nonFinite: [number, number][] }>((resolve, reject) => {
    worker.once('message', (r: StreamWorkerReply) => {
      if (r.type === 'parts') resolve(r);
      else reject(decodeWorkerError(r));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!closed) reject(new Error(`estimate worker exited with code ${code}`));
    });
  });
  result.catch(() => {}); // observed by the caller only when it waits for this worker
  return {
    result,
    close() {
      if (closed) return;
      closed = true;
      void worker.terminate();
    },
  };
}
