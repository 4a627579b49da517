// The upload route's side of intake-worker.ts: sends the bytes to the server's work pool (503 when it is
// full) and turns the answer back into what fileRead takes. Only plain data crosses threads.
import { movableChunks, type WorkPool } from '../http/work-pool.js';
import type { TextEncoding } from '../tabular/decode.js';
import type { SheetRead } from './intake.js';
import { ProblemList, type RowProblem } from './problems.js';
import type { FiledItem } from './validate.js';

/** What the worker answers: the problems, and the items as JSON arrays in parts. */
export interface UploadRead extends Omit<SheetRead, 'problems' | 'items'> {
  problems: { items: RowProblem[]; total: number };
  itemParts: Uint8Array[];
}

/**
 * readFilingBytes on a worker thread, for a body kept as chunks (raw-body.ts). The items come back as JSON bytes
 * in parts, parsed here one part per turn of the event loop: receiving 200,000 items as objects, even in several
 * messages, took the main thread ~0.7 s in one piece (a port delivers every queued message in one callback).
 */
export async function readFilingOnWorker(
  work: WorkPool,
  body: readonly Buffer[],
  opts: { encoding?: TextEncoding },
): Promise<SheetRead> {
  const { chunks, transfer } = movableChunks(body);
  const read = await work.run<UploadRead>('intake-worker', { chunks, encoding: opts.encoding }, { transfer });
  const items: FiledItem[] = [];
  const decoder = new TextDecoder();
  for (const part of read.itemParts) {
    for (const item of JSON.parse(decoder.decode(part)) as FiledItem[]) items.push(item);
    await new Promise((resolve) => setImmediate(resolve)); // let health checks and other requests in
  }
  const problems = new ProblemList();
  problems.items.push(...read.problems.items);
  problems.total = read.problems.total;
  return { items, problems, format: read.format };
}
