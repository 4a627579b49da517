// How many threads a run uses by default (kept apart from parallel.ts, so a one-thread run does not
// load worker_threads).
import { availableParallelism } from 'node:os';

/**
 * Below this many samples a second thread costs more to start than it saves in a one-shot command
 * (measured on 2 cores: 1M samples 0.59 s on one thread, 0.69 s on two; 3M 1.25 s vs 1.07 s).
 */
export const PARALLEL_MIN_SAMPLES = 2_000_000;

export function defaultThreads(samples: number): number {
  return samples >= PARALLEL_MIN_SAMPLES ? Math.min(4, availableParallelism()) : 1;
}
