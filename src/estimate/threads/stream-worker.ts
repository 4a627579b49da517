// Worker thread of the parallel streamed run (stream-parallel.ts): waits for the pilot's brackets,
// streams the chunks it wins, and sends back what it saw.
import { parentPort, workerData } from 'node:worker_threads';
import { compile } from '../engine/compile.js';
import { evaluateChunks, runArena } from '../engine/evaluate.js';
import { StreamingSummary } from '../analysis/stream-summary.js';
import { encodeWorkerError } from './worker-error.js';
import { claimChunks, readBrackets, type StreamWorkerReply, type StreamWorkerTask } from './stream-parallel.js';

const task = workerData as StreamWorkerTask;
const port = parentPort!;
const reply = (r: StreamWorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(r, transfer);

try {
  const model = compile(task.source, task.set, task.inputValues);
  const arena = runArena(model, task.samples, model.outputs.length, task.useWasm);
  const control = new Int32Array(task.shared.control);
  while (Atomics.load(control, 0) === 0) Atomics.wait(control, 0, 0, 1000);
  if (Atomics.load(control, 0) === 1) {
    const brackets = new Float64Array(task.shared.brackets);
    const streams = model.outputs.map((o, k) =>
      StreamingSummary.following(task.samples, readBrackets(brackets, k), task.thresholds[o.name] ?? [], arena),
    );
    const nonFinite = evaluateChunks(model, {
      samples: task.samples,
      seed: task.seed,
      outputs: new Map(),
      inputs: new Map(),
      from: 0,
      to: 0,
      arena,
      order: claimChunks(new Int32Array(task.shared.owner), task.id),
      onOutput: (k, values, chunk) => streams[k].add(values, chunk),
      onProgress: () => Atomics.add(control, 1, 1),
    });
    const parts = streams.map((s) => s.part());
    reply(
      { type: 'parts', parts, nonFinite: [...nonFinite] },
      parts.flatMap((p) => p.kept.map((k) => k.buffer as ArrayBuffer)),
    );
  }
} catch (e) {
  reply({ type: 'error', ...encodeWorkerError(e, 'internal error in estimate worker: ') });
}
