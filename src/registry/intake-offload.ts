// The upload route's side of intake-worker.ts: sends the bytes to the server's work pool (503 when it is
// full) and turns the answer back into what fileRead takes. Only plain data crosses threads.
import { movableChunks, type WorkPool } from '../http/work-pool.js';
import type { TextEncoding } from '../tabular/decode.js';
import type { SheetRead } from './intake.js';
import { ProblemList, type RowProblem } from './problems.js';
import type { FiledItem } from './validate.js';

/** What the worker answers at the end (the items went ahead in parts). */
export interface UploadRead extends Omit<SheetRead, 'problems' | 'items'> {
  problems: { items: RowProblem[]; total: number };
}

/** readFilingBytes on a worker thread, for a body kept as chunks (raw-body.ts); the items come back in parts. */
export async function readFilingOnWorker(
  work: WorkPool,
  body: readonly Buffer[],
  opts: { encoding?: TextEncoding },
): Promise<SheetRead> {
  const { chunks, transfer } = movableChunks(body);
  const items: FiledItem[] = [];
  const read = await work.run<UploadRead>(
    'intake-worker',
    { chunks, encoding: opts.encoding },
    {
      transfer,
      onPart: (part) => {
        for (const item of part as FiledItem[]) items.push(item);
      },
    },
  );
  const problems = new ProblemList();
  problems.items.push(...read.problems.items);
  problems.total = read.problems.total;
  return { items, problems, format: read.format };
}
