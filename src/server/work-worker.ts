// The worker side of work-pool.ts: answers each task with its result or its error as plain data. A user
// error (4xx) keeps its message, status, kind and location; anything else only its message (a 500).
import { parentPort } from 'node:worker_threads';
import { isUserError } from '../errors.js';

export type WorkReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; message: string; user?: { message: string; location: object; status: number; code: string; name: string } };

/** Serves tasks on this worker thread with `handle`; its result must be structured-cloneable. */
export function serveWork(handle: (payload: any) => unknown): void {
  parentPort!.on('message', async ({ id, req }: { id: number; req: unknown }) => {
    let reply: WorkReply;
    try {
      reply = { id, ok: true, result: await handle(req) };
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      reply = isUserError(e)
        ? { id, ok: false, message, user: { message, location: e.location, status: e.status, code: e.code, name: e.name } }
        : { id, ok: false, message };
    }
    parentPort!.postMessage(reply);
  });
}
