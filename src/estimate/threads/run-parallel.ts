// One estimate run on several threads: the stored or streamed run of engine/run.ts, its chunks shared
// between this thread and worker threads, with the same numbers as on one thread.
import { finish, prepare, runPrepared, streams, type EstimateRequest, type EstimateRun } from '../engine/run.js';
import { defaultThreads } from './thread-count.js';

/**
 * The same run on several threads (`threads`, default: all cores from PARALLEL_MIN_SAMPLES samples).
 * Results are identical to runEstimate's: chunks keep their own random streams whichever thread runs them.
 */
export async function runEstimateParallel(req: EstimateRequest & { threads?: number }): Promise<EstimateRun> {
  const prepared = prepare(req);
  const { samples, seed, model } = prepared;
  const streamed = streams(req);
  const threads = req.threads ?? defaultThreads(samples);
  const useWasm = req.useWasm ?? true;
  // A model with observe(...) resamples all its samples at the end: one thread (engine/posterior.ts).
  if (threads <= 1 || model.observed) return runPrepared(req, prepared);
  if (streamed) {
    const { evaluateSummariesParallel } = await import('./stream-parallel.js');
    const summaries = await evaluateSummariesParallel(model, {
      source: req.source,
      set: req.set ?? {},
      inputValues: req.inputs ?? {},
      samples,
      seed,
      thresholds: req.thresholds ?? {},
      threads,
      useWasm,
      onProgress: req.onProgress,
    });
    if (summaries) return finish(req, { samples, seed, outputs: new Map(), inputs: new Map() }, summaries);
    return runPrepared({ ...req, keepSamples: true }, prepared); // a bracket missed (odds ~1e-9): store and select
  }
  const { evaluateAndSummarize } = await import('./parallel.js');
  const { evaluation, summaries } = await evaluateAndSummarize(model, {
    source: req.source,
    set: req.set ?? {},
    inputValues: req.inputs ?? {},
    samples,
    seed,
    keepInputs: req.sensitivity ?? false,
    thresholds: req.thresholds ?? {},
    threads,
    onProgress: req.onProgress,
    useWasm,
  });
  return finish(req, evaluation, summaries);
}
