// Worker thread that runs whole estimates for the server (see offload.ts), so a long run does not hold
// up the event loop. One request at a time; replies carry the request id.
import { parentPort } from 'node:worker_threads';
import { runEstimate, type EstimateRequest } from './run.js';
import { ModelError } from './lang/errors.js';

export type OffloadReply =
  | { id: number; ok: true; result: ReturnType<typeof runEstimate>['result'] }
  | { id: number; ok: false; model: boolean; message: string; line?: number; column?: number };

parentPort!.on('message', ({ id, req }: { id: number; req: EstimateRequest }) => {
  let reply: OffloadReply;
  try {
    reply = { id, ok: true, result: runEstimate({ ...req, keepSamples: false }).result };
  } catch (e) {
    reply = e instanceof ModelError
      ? { id, ok: false, model: true, message: e.message, line: e.pos?.line, column: e.pos?.column }
      : { id, ok: false, model: false, message: (e as Error).message };
  }
  parentPort!.postMessage(reply);
});
