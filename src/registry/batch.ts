// Batches of a streamed filing: their size, and reading one batch ahead so parsing and validating the
// next overlaps the database writes of the current one.

/**
 * Items per batch of a streamed filing: big enough for few statements, small enough for bounded memory (a batch
 * is written while the next waits; 10,000 peaked ~40 MB higher than 5,000 in a 1,000,000-row import on PGlite).
 */
export const BATCH_ITEMS = 2_500;
/**
 * Items per batch of a streamed filing read on a thread beside a database server (read-thread.ts): half the
 * statements of BATCH_ITEMS, whose fixed cost the server pays per statement (a 1,000,000-row import: ~12% faster).
 */
export const SERVER_BATCH_ITEMS = 5_000;

/** Yields the source's values while it already reads the next one: parsing overlaps the caller's writes. */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let next = it.next();
  try {
    for (;;) {
      const r = await next;
      if (r.done) return;
      next = it.next();
      next.catch(() => {}); // awaited on the next round; the caller may stop before that
      yield r.value;
    }
  } finally {
    await it.return?.();
  }
}

/** Reads a stream to its end (its reader records the problems); the values are dropped. */
export async function drain(source: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of source) {
    /* only the reader's problems matter */
  }
}
