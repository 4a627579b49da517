// How many threads a run uses by default (kept apart from parallel.ts, so a one-thread run does not
// load worker_threads).
import { availableParallelism } from 'node:os';

/**
 * Below this many samples a second thread costs more to start than it saves in a one-shot command
 * (measured on 2 cores: 1M samples 0.59 s on one thread, 0.69 s on two; 3M 1.25 s vs 1.07 s).
 */
export const PARALLEL_MIN_SAMPLES = 2_000_000;


/**
 * Streamed runs (summaries only, no samples kept) use more threads from this many samples. A worker
 * loads one bundled file (bundled-worker.ts) and is working ~60–70 ms after it is spawned; it claims
 * chunks as it can, so a slow start costs it chunks, not the run time. Whole `chipwatch estimate --json`
 * runs on 2 cores, one thread against two (medians of 7–31 alternating runs): 500k samples 0.29 against
 * 0.26 s, 1M 0.34–0.36 against 0.31–0.32 s, 2M 0.45 against 0.37 s; peak memory at 1M 62 against 78 MB. (When
 * the worker loaded ~20 ES modules of dist/ it started in ~150 ms and paid off only from ~8M samples.)
 */
export const STREAM_PARALLEL_MIN_SAMPLES = 1_000_000;

/** Threads for a run of `samples`: all cores (at most 4) from the threshold of its kind, else one. */
export function defaultThreads(samples: number, streamed = false): number {
  return samples >= (streamed ? STREAM_PARALLEL_MIN_SAMPLES : PARALLEL_MIN_SAMPLES) ? Math.min(4, availableParallelism()) : 1;
}
