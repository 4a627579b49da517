// Runs a model on several threads. Chunks have their own random streams, so splitting the chunk range
// between threads gives exactly the numbers a single thread gives. Output and input arrays live in
// shared memory: each thread writes its chunks in place, then the threads split the summaries.
import { bundledWorker } from './bundled-worker.js';
import type { CheckedModel } from '../lang/analyze.js';
import type { EstimateInputs } from '../lang/inputs.js';
import { chunkCount, evaluateChunks, inputNames, reportNonFinite, type Evaluation } from '../engine/evaluate.js';
import type { Summary } from '../analysis/summary.js';
import { summarizeStored } from '../analysis/stream-summary.js';
import { decodeWorkerError, type WorkerError } from './worker-error.js';
export { PARALLEL_MIN_SAMPLES, defaultThreads } from './thread-count.js';

export interface ParallelRequest {
  source: string;
  set: Readonly<Record<string, string>>;
  inputValues: EstimateInputs;
  samples: number;
  seed: number;
  keepInputs: boolean;
  thresholds: Readonly<Record<string, readonly number[]>>;
  threads: number;
  onProgress?: (done: number, total: number) => void;
  /** Whether threads run the WebAssembly loops (false: JavaScript only, same numbers). */
  useWasm: boolean;
}

export interface WorkerTask {
  source: string;
  set: Record<string, string>;
  inputValues: EstimateInputs;
  samples: number;
  seed: number;
  from: number;
  to: number;
  outputs: [string, SharedArrayBuffer][];
  inputs: [string, SharedArrayBuffer][];
  useWasm: boolean;
}

export type WorkerReply =
  | { type: 'evaluated'; nonFinite: [number, number][] }
  | { type: 'summaries'; summaries: [string, Summary][] }
  | ({ type: 'error' } & WorkerError);

const shared = (n: number) => new Float64Array(new SharedArrayBuffer(8 * n));

/**
 * The stored run of `model` (compiled from req.source and req.set, which workers compile again) on
 * req.threads threads.
 */
export async function evaluateAndSummarize(
  model: CheckedModel,
  req: ParallelRequest,
): Promise<{ evaluation: Evaluation; summaries: Map<string, Summary> }> {
  const chunks = chunkCount(req.samples);
  const threads = Math.max(1, Math.min(req.threads, chunks));
  const outputs = new Map(model.outputs.map((o) => [o.name, shared(req.samples)]));
  const inputs = new Map(inputNames(model, req.keepInputs).map((n) => [n, shared(req.samples)]));
  const bounds = Array.from({ length: threads + 1 }, (_, t) => Math.round((t * chunks) / threads));
  const workers = bounds.slice(1, -1).map((_, t) =>
    spawn({
      source: req.source,
      set: { ...req.set },
      inputValues: req.inputValues,
      samples: req.samples,
      seed: req.seed,
      from: bounds[t + 1],
      to: bounds[t + 2],
      useWasm: req.useWasm,
      outputs: [...outputs].map(([n, a]) => [n, a.buffer as SharedArrayBuffer]),
      inputs: [...inputs].map(([n, a]) => [n, a.buffer as SharedArrayBuffer]),
    }),
  );
  try {
    const share = bounds[1] / chunks;
    const own = evaluateChunks(model, {
      samples: req.samples,
      seed: req.seed,
      outputs,
      inputs,
      from: 0,
      to: bounds[1],
      onProgress: req.onProgress && ((d, n) => req.onProgress!(Math.min(n, Math.round(d / share)), n)),
    });
    const replies = await Promise.all(workers.map((w) => w.next()));
    const nonFinite = new Map(own);
    for (const r of replies) {
      if (r.type !== 'evaluated') throw new Error('unexpected worker reply');
      for (const [i, c] of r.nonFinite) nonFinite.set(i, (nonFinite.get(i) ?? 0) + c);
    }
    reportNonFinite(model, nonFinite, outputs, req.samples);
    // Summaries: outputs dealt round-robin to the threads, this one included.
    const names = [...outputs.keys()];
    const mine = names.filter((_, i) => i % threads === 0);
    const pending = workers.map((w, t) =>
      w.send({ type: 'summarize', names: names.filter((_, i) => i % threads === t + 1), thresholds: req.thresholds }),
    );
    const summary = (n: string) => summarizeStored(outputs.get(n)!, req.thresholds[n] ?? [], req.useWasm);
    const summaries = new Map(mine.map((n) => [n, summary(n)]));
    for (const r of await Promise.all(pending)) {
      if (r.type !== 'summaries') throw new Error('unexpected worker reply');
      for (const [n, s] of r.summaries) summaries.set(n, s);
    }
    return {
      evaluation: { samples: req.samples, seed: req.seed, outputs, inputs },
      summaries: new Map(names.map((n) => [n, summaries.get(n)!])),
    };
  } finally {
    await Promise.all(workers.map((w) => w.close()));
  }
}

interface WorkerHandle {
  next(): Promise<WorkerReply>;
  send(msg: unknown): Promise<WorkerReply>;
  close(): Promise<void>;
}

function spawn(task: WorkerTask): WorkerHandle {
  // Workers run the bundle of worker.ts (also when this module runs from TypeScript sources in tests;
  // `npm test` builds it first).
  const worker = bundledWorker('worker', { workerData: task });
  const queue: WorkerReply[] = [];
  const waiting: { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }[] = [];
  let failure: Error | undefined;
  const fail = (e: Error) => {
    failure ??= e;
    while (waiting.length) waiting.shift()!.reject(failure);
  };
  worker.on('message', (r: WorkerReply) => {
    if (r.type === 'error') return fail(decodeWorkerError(r));
    const w = waiting.shift();
    if (w) w.resolve(r);
    else queue.push(r);
  });
  worker.on('error', (e) => fail(e));
  worker.on('exit', (code) => fail(new Error(`estimate worker exited with code ${code}`)));
  const next = () =>
    queue.length
      ? Promise.resolve(queue.shift()!)
      : failure
        ? Promise.reject(failure)
        : new Promise<WorkerReply>((resolve, reject) => waiting.push({ resolve, reject }));
  return {
    next,
    send(msg) {
      worker.postMessage(msg);
      return next();
    },
    async close() {
      await worker.terminate();
    },
  };
}
