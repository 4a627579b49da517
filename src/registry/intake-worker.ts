// Worker thread for spreadsheet uploads (the server's work pool): judging, unpacking, parsing and
// validating a filing's bytes happens here, off the event loop; the database writes stay on the main
// thread (intake-offload.ts hands the result back to fileRead). Items go back in parts, each its own message.
import { joinChunks, serveWork } from '../http/work-worker.js';
import type { TextEncoding } from '../tabular/decode.js';
import { readFilingBytes } from './intake.js';
import type { UploadRead } from './intake-offload.js';

/** Items per message back: each takes the main thread a few milliseconds to receive. */
const ITEMS_PER_PART = 2000;

type Task = { chunks: Uint8Array[]; encoding?: TextEncoding };

serveWork(async ({ chunks, encoding }: Task, emit): Promise<UploadRead> => {
  const read = await readFilingBytes(joinChunks(chunks), { encoding });
  // A filing with problems is refused whole without looking at its items (importFiling): they stay here.
  if (read.problems.empty) {
    for (let i = 0; i < read.items.length; i += ITEMS_PER_PART) emit(read.items.slice(i, i + ITEMS_PER_PART));
  }
  return { problems: { items: read.problems.items, total: read.problems.total }, format: read.format };
});
