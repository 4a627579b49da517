// How many threads a run uses by default (kept apart from parallel.ts, so a one-thread run does not
// load worker_threads).
import { availableParallelism } from 'node:os';

/**
 * From this many samples a run uses every core (at most 4), streamed or stored; below, one thread:
 * a worker takes tens of milliseconds to start, and on a 2-core machine two busy threads of one process
 * slow each other down, so a second thread pays only for long runs (docs/performance.md, Estimator).
 */
export const PARALLEL_MIN_SAMPLES = 5_000_000;

/** Threads for a run of `samples`: all cores (at most 4) from PARALLEL_MIN_SAMPLES, else one. */
export function defaultThreads(samples: number): number {
  return samples >= PARALLEL_MIN_SAMPLES ? Math.min(4, availableParallelism()) : 1;
}
