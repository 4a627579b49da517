// Worker threads that run a bundle of dist/bundle/ (scripts/build-bundle.mjs): a worker that reads one
// CommonJS file instead of loading ~20 ES modules of dist/ starts soon enough to share a 1M-sample run.
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { join } from 'node:path';
import { DIST_DIR } from '../../paths.js';

/**
 * A worker running dist/bundle/NAME.cjs (built from src/estimate/threads/NAME.ts: stream-worker, worker,
 * run-worker).
 */
export function bundledWorker(name: string, options: WorkerOptions): Worker {
  return new Worker(join(DIST_DIR, 'bundle', `${name}.cjs`), options);
}
