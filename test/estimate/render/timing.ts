// Load-aware timing bounds: the test machine has two cores shared with parallel workers, so absolute
// budgets get a floor and scale with how long a reference O(n log n) job takes right now.
import { rng } from './samples.js';

/** Milliseconds to sort `n` random doubles now (best of two): the cost a sorting renderer would pay. */
export function sortMillis(n: number): number {
  const r = rng(99);
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = r();
  let best = Infinity;
  for (let k = 0; k < 2; k++) {
    const c = a.slice();
    const t = performance.now();
    c.sort();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}
