// Worker threads for heavy requests (locate batches, estimates, spreadsheet parsing), so the event loop
// stays free: at most `threads` tasks run at once, at most `maxQueued` wait, and a task beyond those is
// refused at once with 503 and Retry-After instead of piling up memory and latency. Workers are started
// on first use per kind, reused (start-up and JIT warm-up are paid once) and never keep the process alive.
import { Worker } from 'node:worker_threads';
import { RetryLaterError, UserError, type ErrorLocation } from '../errors.js';
import type { WorkReply } from './work-worker.js';

export interface WorkPoolOptions {
  /** Tasks running at once (each on its own thread). */
  threads: number;
  /** Tasks waiting for a thread; one more is refused with 503. */
  maxQueued: number;
  /** The file a worker kind runs (e.g. a bundle in dist/bundle/). */
  workerFile: (kind: string) => string;
  retryAfterSeconds?: number;
}

export class ServerBusyError extends RetryLaterError {
  override readonly status = 503;
  override readonly code = 'busy';
}

/** A user error (4xx) raised in a worker, with its status, kind and location kept. */
class WorkerUserError extends UserError {
  constructor(message: string, location: ErrorLocation, status: number, code: string, name: string) {
    super(message, location);
    Object.defineProperties(this, { status: { value: status }, code: { value: code }, name: { value: name } });
  }
}

export interface RunOptions {
  /** ArrayBuffers moved to the worker rather than copied. */
  transfer?: ArrayBuffer[];
  /** Turns a failure reply into an error, for workers with their own error encoding. */
  decodeError?: (reply: Record<string, unknown>) => Error;
  /** Receives the parts a worker sends ahead of its result (serveWork's emit), in order. */
  onPart?: (part: unknown) => void;
}

interface Task {
  kind: string;
  payload: unknown;
  opts: RunOptions;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

export class WorkPool {
  private running = 0;
  private readonly queue: Task[] = [];
  private readonly idle = new Map<string, Worker[]>();
  private readonly busy = new Set<Worker>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly o: WorkPoolOptions) {}

  /** Runs `payload` on a worker of `kind`; rejects with ServerBusyError (503) when the queue is full. */
  run<T>(kind: string, payload: unknown, opts: RunOptions = {}): Promise<T> {
    if (this.closed) return Promise.reject(new Error('work pool closed'));
    if (this.running >= this.o.threads && this.queue.length >= this.o.maxQueued) {
      const wait = this.o.retryAfterSeconds ?? 5;
      const message = `the server is busy with other heavy requests; retry in ${wait} s`;
      return Promise.reject(new ServerBusyError(message, wait));
    }
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ kind, payload, opts, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  /** Tasks running and waiting now. */
  get load(): { running: number; queued: number } {
    return { running: this.running, queued: this.queue.length };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new Error('work pool closed'));
    const all = [...this.busy, ...[...this.idle.values()].flat()];
    this.idle.clear();
    await Promise.all(all.map((w) => w.terminate()));
  }

  private pump(): void {
    while (this.running < this.o.threads && this.queue.length > 0) this.start(this.queue.shift()!);
  }

  private start(task: Task): void {
    this.running++;
    const worker = this.idle.get(task.kind)?.pop() ?? this.spawn(task.kind);
    this.busy.add(worker);
    const id = this.nextId++;
    const finish = (settle: () => void) => {
      worker.off('message', onMessage);
      worker.off('error', onFailure);
      worker.off('exit', onExit);
      this.busy.delete(worker);
      this.running--;
      settle();
      this.pump();
    };
    const onMessage = (r: WorkReply) => {
      if (r.id !== id) return;
      if ('part' in r) {
        task.opts.onPart?.(r.part);
        return;
      }
      this.keepIdle(task.kind, worker);
      finish(() => (r.ok ? task.resolve(r.result) : task.reject((task.opts.decodeError ?? decodeReply)(r))));
    };
    // A crashed worker fails the task it held and is not reused.
    const onFailure = (e: Error) => finish(() => task.reject(e));
    const onExit = (code: number) =>
      finish(() => task.reject(new Error(`${task.kind} worker exited with code ${code}`)));
    worker.on('message', onMessage);
    worker.once('error', onFailure);
    worker.once('exit', onExit);
    worker.postMessage({ id, req: task.payload }, task.opts.transfer ?? []);
  }

  private spawn(kind: string): Worker {
    const w = new Worker(this.o.workerFile(kind));
    w.unref(); // an idle worker never keeps the process alive
    return w;
  }

  private keepIdle(kind: string, worker: Worker): void {
    if (this.closed) {
      void worker.terminate();
      return;
    }
    const list = this.idle.get(kind) ?? [];
    if (list.length < this.o.threads) {
      list.push(worker);
      this.idle.set(kind, list);
    } else {
      void worker.terminate();
    }
  }
}

function decodeReply(r: Record<string, unknown>): Error {
  const u = r.user as NonNullable<Extract<WorkReply, { ok: false }>['user']> | undefined;
  if (u) return new WorkerUserError(u.message, u.location, u.status, u.code, u.name);
  return new Error(String(r.message ?? 'worker failed'));
}

/** A body's chunks for a worker: moved when a chunk spans its whole ArrayBuffer (socket reads do), else copied. */
export function movableChunks(chunks: readonly Buffer[]): { chunks: Uint8Array[]; transfer: ArrayBuffer[] } {
  const whole = (c: Buffer) =>
    c.byteOffset === 0 && c.byteLength === c.buffer.byteLength && c.buffer instanceof ArrayBuffer;
  const out = chunks.map((c) => (whole(c) ? new Uint8Array(c.buffer as ArrayBuffer) : new Uint8Array(c)));
  return { chunks: out, transfer: out.map((c) => c.buffer as ArrayBuffer) };
}
