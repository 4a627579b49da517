// A streamed CSV filing read on a worker thread (read-thread-worker.ts), for the CLI: the main thread only
// parses each batch's JSON and writes it, so reading the next batch runs beside the database work instead of
// between it (on PGlite the database itself runs on the main thread). The same FilingStream as intake.ts
// openFilingFile, plus the content hash computed on the thread.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DIST_DIR } from '../paths.js';
import type { TextEncoding } from '../tabular/decode.js';
import type { FilingStream } from './intake.js';
import { ProblemList } from './problems.js';
import { decodeBatch } from './batch-wire.js';
import { BATCH_ITEMS, SERVER_BATCH_ITEMS } from './batch.js';
import type { ReadThreadData, ReadThreadMessage } from './read-thread-worker.js';
import type { FiledItem } from './validate.js';

/** The worker's bundle (scripts/build-bundle.mjs). */
const WORKER_FILE = join(DIST_DIR, 'bundle', 'read-thread-worker.cjs');
/** Batches the thread may read ahead of the one the writer takes: one keeps it busy (three were no faster). */
const AHEAD = 1;

export async function readCsvOnThread(
  path: string,
  opts: { encoding: TextEncoding; maxRows: number; tightMemory: boolean },
): Promise<FilingStream> {
  const { tightMemory } = opts;
  const batchItems = tightMemory ? BATCH_ITEMS : SERVER_BATCH_ITEMS;
  const data: ReadThreadData = {
    path,
    encoding: opts.encoding,
    maxRows: opts.maxRows,
    ahead: AHEAD,
    tightMemory,
    batchItems,
  };
  // Tight: a small young generation, since parsing makes garbage fast and a thread's default lets it pile up to
  // ~100 MB. Otherwise 16 MB, where fewer scavenges cost a fifth of the thread's time less (bench/registry.mjs).
  const young = tightMemory ? 4 : 16;
  const worker = new Worker(WORKER_FILE, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: young } });
  const inbox: ReadThreadMessage[] = [];
  let waiting: ((m: ReadThreadMessage) => void) | null = null;
  const deliver = (m: ReadThreadMessage) => {
    if (waiting) {
      const w = waiting;
      waiting = null;
      w(m);
    } else inbox.push(m);
  };
  worker.on('message', deliver);
  worker.on('error', (e) => deliver({ kind: 'failed', message: e.message }));
  worker.on(
    'exit',
    (code) => code !== 0 && deliver({ kind: 'failed', message: `the reading thread stopped (${code})` }),
  );
  const next = () =>
    inbox.length ? Promise.resolve(inbox.shift()!) : new Promise<ReadThreadMessage>((r) => (waiting = r));

  const problems = new ProblemList();
  let sha: Buffer | null = null;
  const take = (m: ReadThreadMessage): FiledItem[] | null => {
    if (m.kind === 'failed') throw new Error(`reading the file failed: ${m.message}`);
    for (const p of m.problems) if (problems.items.length < problems.cap) problems.items.push(p);
    problems.total = m.total;
    if (m.kind === 'end') {
      sha = m.sha && Buffer.from(m.sha);
      return null;
    }
    worker.postMessage(1); // room for one more batch
    return decodeBatch(new TextDecoder().decode(m.items));
  };
  let first: FiledItem[] | null;
  try {
    // The first batch is read before the caller opens a database: a file whose first rows are wrong leaves no trace.
    first = take(await next());
  } catch (e) {
    await worker.terminate();
    throw e;
  }
  async function* batches(): AsyncGenerator<readonly FiledItem[]> {
    try {
      for (let b = first; b !== null; b = take(await next())) yield b;
    } finally {
      await worker.terminate();
    }
  }
  return {
    format: 'csv',
    problems,
    batches: batches(),
    contentHash: async () => {
      if (!sha) throw new Error('the content hash is known only after every batch of a filing without problems');
      return sha;
    },
  };
}
