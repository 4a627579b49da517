// The thread that reads a streamed CSV filing for the CLI (read-thread.ts): parsing, validation, the cross-row
// checks and the content hash run here, on a second core, while the main thread writes the batches before.
// Each batch goes as JSON bytes (batch-wire.ts; moved, not copied) with the problems found since the last; at
// most `ahead` batches wait unread, so memory stays bounded whatever the file's size.
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { TextEncoding } from '../tabular/decode.js';
import { collectGarbage } from '../cli/heap.js';
import { ContentHasher, itemJson } from './leaf.js';
import { encodeBatch } from './batch-wire.js';
import { csvRows, readBatches } from './parse.js';
import { ProblemList, type RowProblem } from './problems.js';
import { SERIAL_SPILL_AT } from './serial-spool.js';

export interface ReadThreadData {
  path: string;
  encoding: TextEncoding;
  maxRows: number;
  /** Batches sent before the main thread has taken one. */
  ahead: number;
  /**
   * The process also holds an embedded database (PGlite), whose memory counts against the same limit: collect
   * garbage after every batch. With a database server, V8's own collections leave room enough and cost less.
   */
  tightMemory: boolean;
  /** Items per batch. */
  batchItems: number;
}

export type ReadThreadMessage =
  | { kind: 'batch'; items: Uint8Array; problems: RowProblem[]; total: number }
  | { kind: 'end'; sha: Uint8Array | null; problems: RowProblem[]; total: number }
  | { kind: 'failed'; message: string };

const port = parentPort!;
const data = workerData as ReadThreadData;
let credit = data.ahead;
let wake: (() => void) | null = null;
port.on('message', () => {
  credit++;
  wake?.();
});
const taken = async () => {
  while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
  credit--;
};

const problems = new ProblemList();
let reported = 0;
/** The problems found since the last message. */
const fresh = () => {
  const list = problems.items.slice(reported);
  reported = problems.items.length;
  return list;
};

async function read(): Promise<void> {
  const hasher = new ContentHasher();
  const encoder = new TextEncoder();
  try {
    const rows = csvRows(createReadStream(data.path), data.encoding);
    for await (const batch of readBatches(rows, problems, {
      maxRows: data.maxRows,
      spillSerialsAt: SERIAL_SPILL_AT,
      batchSize: data.batchItems,
    })) {
      // A filing with problems is refused whole: its hash is never needed.
      if (problems.empty) for (const item of batch) hasher.add(itemJson(item));
      await taken();
      const items = encoder.encode(encodeBatch(batch));
      port.postMessage({ kind: 'batch', items, problems: fresh(), total: problems.total }, [items.buffer]);
      if (data.tightMemory) collectGarbage(); // the process's memory is what both threads and PGlite hold
    }
    const sha = problems.empty ? await hasher.digest() : null;
    port.postMessage({ kind: 'end', sha, problems: fresh(), total: problems.total });
  } catch (e) {
    port.postMessage({ kind: 'failed', message: (e as Error).message });
  } finally {
    hasher.dispose();
  }
}

void read();
