// Runs estimates on a long-lived worker thread for the server: the event loop stays free for other
// requests while a million-sample run takes a few hundred milliseconds. The worker starts on first
// use and is reused (its start-up and JIT warm-up are paid once); runs queue in arrival order. A
// crashed worker fails the runs it held and is replaced on the next run.
import type { Worker } from 'node:worker_threads';
import { bundledWorker } from './bundled-worker.js';
import type { EstimateRequest, EstimateResult } from '../engine/run.js';
import type { OffloadReply } from './run-worker.js';
import { decodeWorkerError } from './worker-error.js';

export class EstimateOffload {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: EstimateResult) => void; reject: (e: Error) => void }>();

  run(req: Omit<EstimateRequest, 'onProgress'>): Promise<EstimateResult> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, req });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }

  private start(): Worker {
    // The bundle of run-worker.ts (also from TypeScript sources in tests).
    const w = bundledWorker('run-worker', {});
    w.unref(); // an idle worker never keeps the process alive
    w.on('message', (r: OffloadReply) => {
      const p = this.pending.get(r.id);
      if (!p) return;
      this.pending.delete(r.id);
      if (r.ok) p.resolve(r.result);
      else p.reject(decodeWorkerError(r));
    });
    const fail = (e: Error) => {
      if (this.worker === w) this.worker = undefined;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`estimate worker exited with code ${code}`)));
    this.worker = w;
    return w;
  }
}
