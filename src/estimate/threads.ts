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

/**
 * Streamed runs (summaries only, no samples kept) use more threads from this many samples. On the
 * 2-core reference machine a worker takes ~90 ms to start and slows the main thread while it does:
 * 1M samples take 0.18 s on one thread and 0.22 s on two, 2M break even (0.30 s), 4M gain 10%
 * (0.48 → 0.44 s) and 10M 20% (1.09 → 0.87 s), engine time.
 */
export const STREAM_PARALLEL_MIN_SAMPLES = 3_000_000;

export function defaultStreamThreads(samples: number): number {
  return samples >= STREAM_PARALLEL_MIN_SAMPLES ? Math.min(4, availableParallelism()) : 1;
}
