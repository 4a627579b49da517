// Worker thread for `POST /api/verify/locate` (the server's work pool): parses the raw JSON body and
// judges every case here, so a batch of thousands of cases never holds the server's event loop. The
// answer goes back as JSON text, which crosses threads as one string instead of a graph of objects.
import { ValidationError } from '../errors.js';
import { joinChunks, serveWork } from '../http/work-worker.js';
import { locate } from './locate.js';

serveWork((chunks: Uint8Array[]) => {
  let value: unknown;
  try {
    value = JSON.parse(joinChunks(chunks).toString('utf8'));
  } catch (e) {
    throw new ValidationError(`body is not valid JSON: ${(e as Error).message}`, { field: 'body' });
  }
  return JSON.stringify(locate(value));
});
