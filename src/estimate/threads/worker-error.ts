// Errors across worker threads, which can only pass plain data: a model error keeps its message and
// its line and column, anything else its message.
import { ModelError } from '../lang/errors.js';

export interface WorkerError {
  model: boolean;
  message: string;
  line?: number;
  column?: number;
}

/** The error as a worker sends it; non-model errors get `prefix` before their message. */
export function encodeWorkerError(e: unknown, prefix = ''): WorkerError {
  if (e instanceof ModelError) return { model: true, message: e.message, line: e.pos?.line, column: e.pos?.column };
  return { model: false, message: prefix + (e as Error).message };
}

/** The error again, on the receiving thread. */
export function decodeWorkerError(r: WorkerError): Error {
  return r.model ? new ModelError(r.message, r.line ? { line: r.line, column: r.column ?? 1, offset: 0 } : undefined) : new Error(r.message);
}
