// The worker side of work-pool.ts: answers each task with its result or its error as plain data. A user
// error (4xx) keeps its message, status, kind and location; anything else only its message (a 500).
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { isUserError, type ErrorLocation, type UserError } from '../errors.js';

/** Niceness of a work thread: the event loop (health checks, small requests) wins the CPU from heavy work. */
const WORK_NICENESS = 10;

/** Lowers this thread's scheduling priority where threads have one (Linux: /proc/thread-self names the thread). */
function lowerThreadPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, WORK_NICENESS);
  } catch {
    // Elsewhere the thread keeps the process's priority: the work still runs off the event loop.
  }
}

export type WorkReply =
  | { id: number; part: unknown }
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; message: string; user?: WorkerUserErrorData };

/** A user error (4xx) as plain data. */
export interface WorkerUserErrorData {
  message: string;
  location: ErrorLocation;
  status: number;
  code: string;
  name: string;
}

/**
 * Serves tasks on this worker thread with `handle`; its result must be structured-cloneable. A large
 * result can be sent ahead in parts with `emit`: each part is its own message, so the main thread
 * takes it in between other events instead of in one long pause.
 */
export function serveWork<P>(handle: (payload: P, emit: (part: unknown) => void) => unknown): void {
  lowerThreadPriority();
  parentPort!.on('message', async ({ id, req }: { id: number; req: unknown }) => {
    let reply: WorkReply;
    try {
      reply = { id, ok: true, result: await handle(req as P, (part) => parentPort!.postMessage({ id, part })) };
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      reply = isUserError(e) ? { id, ok: false, message, user: userErrorData(e) } : { id, ok: false, message };
    }
    parentPort!.postMessage(reply);
  });
}

/** A body sent as chunks (movableChunks), joined on this thread. */
export function joinChunks(chunks: readonly Uint8Array[]): Buffer {
  return Buffer.concat(chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength)));
}

function userErrorData(e: UserError): WorkerUserErrorData {
  return { message: e.message, location: e.location, status: e.status, code: e.code, name: e.name };
}
