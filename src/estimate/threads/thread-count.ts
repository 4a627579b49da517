// How many threads a run uses by default (kept apart from parallel.ts, so a one-thread run does not
// load worker_threads).
import { availableParallelism } from 'node:os';

/**
 * From this many samples a run uses every core (at most 4), streamed or stored; below, one thread.
 *
 * A second thread is not free here. Spawning a worker blocks this thread ~7 ms; the worker needs ~50 ms
 * to start when the process is idle and ~100 ms while this thread samples; and on the 2-core reference
 * VM two busy threads of one process slow each other down (touching 100 MB of fresh memory takes 263 ms
 * alone and ~395 ms while a second thread of the process merely spins; a separate process spinning
 * costs ~13%). Whole runs, one thread against two, medians of 5–41 alternating runs (2026-12-06):
 * `--json` (streamed) 1M samples 0.25 against 0.27 s, 1.5M 0.26 against 0.31, 2M 0.29 against 0.37,
 * 3M 0.34 against 0.41, 5M 0.42 against 0.42 (p25), 10M 0.62 against 0.56; with the histogram (stored
 * samples) 3M 0.89 against 1.14 s, 5M 1.30 against 1.21, 10M 2.33 against 2.08. (An earlier session
 * on a less loaded VM measured two threads ahead from 1M streamed samples, 0.31 against 0.34 s.)
 */
export const PARALLEL_MIN_SAMPLES = 5_000_000;

/** Threads for a run of `samples`: all cores (at most 4) from PARALLEL_MIN_SAMPLES, else one. */
export function defaultThreads(samples: number): number {
  return samples >= PARALLEL_MIN_SAMPLES ? Math.min(4, availableParallelism()) : 1;
}
