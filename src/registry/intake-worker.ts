// Worker thread for spreadsheet uploads (the server's work pool): judging, unpacking, parsing and
// validating a filing's bytes happens here, off the event loop; the database writes stay on the main
// thread (intake-offload.ts hands the result back to fileRead). Items go back as JSON bytes in parts: bytes
// cross threads as one cheap copy, and the main thread parses one part per turn of its event loop.
import { joinChunks, serveWork } from '../http/work-worker.js';
import type { TextEncoding } from '../tabular/decode.js';
import { readFilingBytes } from './intake.js';
import type { UploadRead } from './intake-offload.js';

/** Items per part: the main thread parses one part (a few milliseconds) per turn of its event loop. */
const ITEMS_PER_PART = 2000;

type Task = { chunks: Uint8Array[]; encoding?: TextEncoding };

serveWork(async ({ chunks, encoding }: Task): Promise<UploadRead> => {
  const read = await readFilingBytes(joinChunks(chunks), { encoding });
  const encoder = new TextEncoder();
  const itemParts: Uint8Array[] = [];
  // A filing with problems is refused whole without looking at its items (importFiling): they stay here.
  if (read.problems.empty) {
    for (let i = 0; i < read.items.length; i += ITEMS_PER_PART) {
      itemParts.push(encoder.encode(JSON.stringify(read.items.slice(i, i + ITEMS_PER_PART))));
    }
  }
  return { problems: { items: read.problems.items, total: read.problems.total }, format: read.format, itemParts };
});
