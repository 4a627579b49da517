// Errors across worker threads, which can only pass plain data: a model error keeps its message, its
// position and the request field it names, anything else its message.
import { ModelError, type Pos } from '../lang/errors.js';

export interface WorkerError {
  model: boolean;
  message: string;
  pos?: Pos;
  field?: string;
}

/** The error as a worker sends it; non-model errors get `prefix` before their message. */
export function encodeWorkerError(e: unknown, prefix = ''): WorkerError {
  if (e instanceof ModelError) return { model: true, message: e.message, pos: e.pos, field: e.location.field };
  return { model: false, message: prefix + (e as Error).message };
}

/** The error again, on the receiving thread. */
export function decodeWorkerError(r: WorkerError): Error {
  return r.model ? new ModelError(r.message, r.pos, r.field) : new Error(r.message);
}
