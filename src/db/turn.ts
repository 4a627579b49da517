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

/** rows.map(fn), computed in slices of `size` with a turn between them. */
export async function mapWithTurns<T, U>(rows: readonly T[], fn: (row: T, i: number) => U, size = 2000): Promise<U[]> {
  const out: U[] = new Array(rows.length);
  let i = 0;
  for await (const part of slicesWithTurns(rows, size)) {
    for (const row of part) { out[i] = fn(row, i); i++; }
  }
  return out;
}

/**
 * A stable sort of `rows` with turns: runs of `run` rows sorted at once, then merged pairwise a bounded
 * number of rows per turn (one Array.sort of 200,000 strings would hold the thread for a few hundred ms).
 */
export async function sortWithTurns<T>(rows: readonly T[], cmp: (a: T, b: T) => number, run = 8192): Promise<T[]> {
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
      if (sinceTurn >= run) { sinceTurn = 0; await nextTurn(); }
    }
    [src, dst] = [dst, src];
  }
  return src;
}
