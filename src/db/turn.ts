// Long writes give the event loop a turn between their statements and CPU slices: PGlite runs each
// statement synchronously in this thread, so without a turn a 200,000-row filing stalls every request.

/** Resolves on the next macrotask (after pending I/O callbacks), not in the same microtask queue. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Consecutive slices of `rows` of at most `size`, with a turn of the event loop before each but the first. */
export async function* slicesWithTurns<T>(rows: readonly T[], size: number): AsyncGenerator<T[]> {
  for (let i = 0; i < rows.length; i += size) {
    if (i > 0) await nextTurn();
    yield rows.slice(i, i + size);
  }
}

/** CPU time a loop may take before it gives the event loop a turn (well under a probe's 100 ms). */
export const TURN_BUDGET_MS = 10;

/**
 * rows.map(fn) with a turn whenever TURN_BUDGET_MS has passed: a time budget rather than a row count,
 * because the same rows cost several times more on a busy machine or with a large heap to collect.
 */
export async function mapWithTurns<T, U>(rows: readonly T[], fn: (row: T, i: number) => U): Promise<U[]> {
  const out: U[] = new Array(rows.length);
  await eachWithTurns(rows, (row, i) => {
    out[i] = fn(row, i);
  });
  return out;
}

/** rows.forEach(fn) with a turn whenever TURN_BUDGET_MS has passed (the loop under mapWithTurns). */
export async function eachWithTurns<T>(rows: ArrayLike<T>, fn: (row: T, i: number) => void): Promise<void> {
  let since = performance.now();
  for (let i = 0; i < rows.length; i++) {
    fn(rows[i], i);
    if ((i & 63) === 63 && performance.now() - since > TURN_BUDGET_MS) {
      await nextTurn();
      since = performance.now();
    }
  }
}

/**
 * A stable sort of `rows` with turns: runs of `run` rows sorted at once, then merged pairwise a bounded
 * number of rows per turn (one Array.sort of 200,000 strings would hold the thread for a few hundred ms).
 */
export async function sortWithTurns<T>(rows: readonly T[], cmp: (a: T, b: T) => number, run = 4096): Promise<T[]> {
  let src: T[] = [];
  for await (const part of slicesWithTurns(rows, run)) src.push(...part.sort(cmp));
  let dst: T[] = new Array(src.length);
  let sinceTurn = 0;
  for (let width = run; width < src.length; width *= 2) {
    for (let lo = 0; lo < src.length; lo += 2 * width) {
      const mid = Math.min(lo + width, src.length);
      const hi = Math.min(lo + 2 * width, src.length);
      let a = lo;
      let b = mid;
      for (let k = lo; k < hi; k++) dst[k] = a < mid && (b >= hi || cmp(src[b], src[a]) >= 0) ? src[a++] : src[b++];
      sinceTurn += hi - lo;
      if (sinceTurn >= run) {
        sinceTurn = 0;
        await nextTurn();
      }
    }
    [src, dst] = [dst, src];
  }
  return src;
}
