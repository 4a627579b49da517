// Worker thread that runs whole estimates for the server's work pool (POST /api/estimate, see http.ts), so
// a long run does not hold up the event loop. One request at a time; replies carry the request id.
import { parentPort } from 'node:worker_threads';
import { runEstimate, type EstimateRequest } from '../engine/run.js';
import { encodeWorkerError, type WorkerError } from './worker-error.js';

export type OffloadReply =
  | { id: number; ok: true; result: ReturnType<typeof runEstimate>['result'] }
  | ({ id: number; ok: false } & WorkerError);

parentPort!.on('message', ({ id, req }: { id: number; req: EstimateRequest }) => {
  let reply: OffloadReply;
  try {
    reply = { id, ok: true, result: runEstimate({ ...req, keepSamples: false }).result };
  } catch (e) {
    reply = { id, ok: false, ...encodeWorkerError(e) };
  }
  parentPort!.postMessage(reply);
});
