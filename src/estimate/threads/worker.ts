// Worker thread of the parallel engine (see parallel.ts): evaluates a chunk range into shared arrays,
// then computes the summaries it is asked for.
import { parentPort, workerData } from 'node:worker_threads';
import { compile } from '../engine/compile.js';
import { evaluateChunks } from '../engine/evaluate.js';
import { summarizeStored } from '../analysis/stream-summary.js';
import { encodeWorkerError } from './worker-error.js';
import type { WorkerReply, WorkerTask } from './parallel.js';

const task = workerData as WorkerTask;
const port = parentPort!;
const reply = (r: WorkerReply) => port.postMessage(r);
const views = (list: [string, SharedArrayBuffer][]) => new Map(list.map(([n, b]) => [n, new Float64Array(b)]));

try {
  const model = compile(task.source, task.set, task.inputValues);
  const outputs = views(task.outputs);
  const nonFinite = evaluateChunks(model, {
    samples: task.samples,
    seed: task.seed,
    outputs,
    inputs: views(task.inputs),
    from: task.from,
    to: task.to,
  });
  reply({ type: 'evaluated', nonFinite: [...nonFinite] });
  port.on('message', (msg: { type: 'summarize'; names: string[]; thresholds: Record<string, number[]> }) => {
    const summary = (n: string) => summarizeStored(outputs.get(n)!, msg.thresholds[n] ?? [], task.useWasm);
    reply({ type: 'summaries', summaries: msg.names.map((n) => [n, summary(n)]) });
  });
} catch (e) {
  reply({ type: 'error', ...encodeWorkerError(e, 'internal error in estimate worker: ') });
}
