// The work pool on its own: tasks beyond the threads wait in arrival order, beyond the queue they are
// refused (503 with Retry-After), a crashed worker fails only its task, user errors and parts cross threads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerBusyError, WorkPool } from '../../src/http/work-pool.js';
import { isUserError } from '../../src/errors.js';

// A worker speaking serveWork's protocol: waits, then answers, fails, crashes or sends parts first.
const WORKER = `const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ id, req }) => setTimeout(() => {
  if (req.crash) process.exit(3);
  if (req.user) {
    const user = { message: 'bad row', location: { row: 7 }, status: 422, code: 'validation', name: 'ValidationError' };
    return parentPort.postMessage({ id, ok: false, message: 'bad row', user });
  }
  for (const part of req.parts ?? []) parentPort.postMessage({ id, part });
  parentPort.postMessage({ id, ok: true, result: req.value });
}, req.ms ?? 0));`;

describe('WorkPool', () => {
  let dir: string;
  let pool: WorkPool;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cw-pool-'));
    writeFileSync(join(dir, 'test-worker.cjs'), WORKER);
    const workerFile = (kind: string) => join(dir, `${kind}.cjs`);
    pool = new WorkPool({ threads: 1, maxQueued: 2, workerFile, retryAfterSeconds: 3 });
  });
  afterAll(async () => {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs queued tasks in arrival order and refuses one beyond the queue with 503 and Retry-After', async () => {
    const order: number[] = [];
    const run = async (value: number) => {
      order.push(await pool.run<number>('test-worker', { value, ms: 150 }));
    };
    const tasks = [1, 2, 3].map(run);
    expect(pool.load).toEqual({ running: 1, queued: 2 });
    const refused = await pool.run('test-worker', { value: 4 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ServerBusyError);
    expect(refused).toMatchObject({ status: 503, retryAfterSeconds: 3 });
    await Promise.all(tasks);
    expect(order).toEqual([1, 2, 3]);
    expect(pool.load).toEqual({ running: 0, queued: 0 });
  });

  it('fails only the task of a crashed worker; the next task gets a new one', async () => {
    await expect(pool.run('test-worker', { crash: true })).rejects.toThrow('test-worker worker exited with code 3');
    expect(await pool.run('test-worker', { value: 'again' })).toBe('again');
  });

  it('keeps a user error (status, kind, location) and hands over parts before the result', async () => {
    const e = await pool.run('test-worker', { user: true }).catch((x: unknown) => x);
    expect(isUserError(e)).toBe(true);
    expect(e).toMatchObject({ message: 'bad row', status: 422, code: 'validation', location: { row: 7 } });
    expect((e as Error).name).toBe('ValidationError');
    const parts: unknown[] = [];
    const onPart = (p: unknown) => parts.push(p);
    expect(await pool.run('test-worker', { parts: [[1, 2], [3]], value: 'done' }, { onPart })).toBe('done');
    expect(parts).toEqual([[1, 2], [3]]);
  });
});
