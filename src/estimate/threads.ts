// How many threads a run uses by default (kept apart from parallel.ts, so a one-thread run does not
// load worker_threads).
import { availableParallelism } from 'node:os';

/**
 * Below this many samples a second thread costs more to start than it saves in a one-shot command
 * (measured on 2 cores: 1M samples 0.59 s on one thread, 0.69 s on two; 3M 1.25 s vs 1.07 s).
 */
export const PARALLEL_MIN_SAMPLES = 2_000_000;


/**
 * Streamed runs (summaries only, no samples kept) use more threads from this many samples. On the
 * 2-core reference machine a worker takes ~90 ms to start and slows the main thread while it does.
 * Whole `chipwatch estimate --json` runs: 5M samples 0.42–0.43 s on one thread and 0.42 s on two (and
 * 40% more memory), 10M 0.65 s and 0.59–0.62 s.
 */
export const STREAM_PARALLEL_MIN_SAMPLES = 8_000_000;

/** Threads for a run of `samples`: all cores (at most 4) from the threshold of its kind, else one. */
export function defaultThreads(samples: number, streamed = false): number {
  return samples >= (streamed ? STREAM_PARALLEL_MIN_SAMPLES : PARALLEL_MIN_SAMPLES) ? Math.min(4, availableParallelism()) : 1;
}
