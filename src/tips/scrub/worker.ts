// Worker thread of the server's work pool for the tip form (src/tips/form): removing documents' metadata
// parses images, PDFs and Office files, seconds of CPU for a large one, off the event loop.
import { serveWork } from '../../http/work-worker.js';
import { scrubAttachments } from './index.js';

type Task = { files: { name: string; bytes: Uint8Array }[] };

serveWork(async ({ files }: Task) => scrubAttachments(files));
