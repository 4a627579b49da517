// Heavy requests run on the work pool's threads, not on the event loop: while a 28 MB locate batch is
// computed, /healthz keeps answering at once; with every thread and queue slot taken, a heavy request is
// refused with 503 and Retry-After. Real HTTP: the built bin's `serve`, or buildApp listening on a port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { openDb, type Db } from '../../src/db/index.js';
import { buildApp } from '../../src/server/app.js';
import { createApiKey } from '../../src/accounts/index.js';
import { call, serve } from './serve-process.js';

/** JavaScript for a locate batch of `cases` cases of `observations` each (long landmark ids make bytes cheap in CPU). */
const BATCH_JS = `function batch(cases, observations) {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Buffer.from(JSON.stringify(Array.from({ length: cases }, () => ({
    declared: { lat: 3.1, lon: 101.7 },
    observations: Array.from({ length: observations }, (_, j) => ({
      landmark: { id: 'landmark-' + j + '-' + 'x'.repeat(100), lat: -60 + rnd() * 130, lon: -180 + rnd() * 360 },
      rttMs: 50 + rnd() * 200,
    })),
  }))));
}`;
const batch = new Function(`${BATCH_JS}; return batch;`)() as (cases: number, observations: number) => Buffer;

/**
 * Builds and posts a batch from another process (so the test's own heap and event loop stay quiet
 * while it measures): prints "sending <bytes>" and then the answer's status, length and first verdict.
 */
const UPLOADER = `${BATCH_JS}
const [port, key, cases, observations] = process.argv.slice(1);
const body = batch(Number(cases), Number(observations));
const req = require('node:http').request({ host: '127.0.0.1', port, method: 'POST', path: '/api/verify/locate',
  headers: { authorization: 'Bearer ' + key, 'content-type': 'application/json' } }, (res) => {
  const chunks = [];
  res.on('data', (c) => chunks.push(c));
  res.on('end', () => {
    const answer = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    console.log(JSON.stringify({ status: res.statusCode, count: answer.length, first: answer[0] && answer[0].verdict }));
  });
});
console.log('sending ' + body.length);
req.end(body);`;

describe('heavy requests off the event loop', () => {
  it('answers /healthz in under 100 ms while `chipwatch serve` computes a 28 MB locate batch', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cw-heavy-'));
    const server = await serve(['--demo', '--data-dir', dataDir], { LOG_LEVEL: 'warn' });
    try {
      const key = readFileSync(join(dataDir, 'demo-admin.key'), 'utf8').trim();
      const uploader = spawn(process.execPath, ['-e', UPLOADER, String(server.port), key, '1400', '100'], { stdio: ['ignore', 'pipe', 'inherit'] });
      const out: string[] = [];
      let exited = false;
      const done = new Promise<void>((resolve) => uploader.once('exit', () => { exited = true; resolve(); }));
      uploader.stdout.on('data', (c: Buffer) => out.push(...c.toString('utf8').split('\n').filter(Boolean)));
      while (!out.some((l) => l.startsWith('sending')) && !exited) await new Promise((r) => setTimeout(r, 20));
      const latencies: number[] = [];
      const started = performance.now();
      while (!exited) {
        const t = performance.now();
        expect((await call(server.port, 'GET', '/healthz')).status).toBe(200);
        latencies.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 25));
      }
      await done;
      expect(Number(out[0].split(' ')[1])).toBeGreaterThan(28e6);
      expect(JSON.parse(out[1])).toMatchObject({ status: 200, count: 1400 });
      // The batch took seconds; health was asked all along and never waited for it.
      expect(performance.now() - started).toBeGreaterThan(1000);
      expect(latencies.length).toBeGreaterThan(20);
      expect(Math.max(...latencies), latencies.map((l) => l.toFixed(0)).join(' ')).toBeLessThan(100);
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);

  describe('in-process app', () => {
    let db: Db;
    let analyst: string;
    beforeAll(async () => {
      db = await openDb({});
      analyst = (await createApiKey(db, { role: 'analyst' })).key;
    });
    afterAll(async () => db.close());

    async function listen(work?: { threads: number; maxQueued: number }): Promise<{ app: FastifyInstance; port: number }> {
      const app = await buildApp({ db, work });
      await app.listen({ port: 0, host: '127.0.0.1' });
      return { app, port: (app.server.address() as AddressInfo).port };
    }

    it('refuses a heavy request with 503 problem+json and Retry-After while every thread and queue slot is taken', async () => {
      const { app, port } = await listen({ threads: 1, maxQueued: 0 });
      try {
        const small = '{"observations":[]}';
        // A warm worker (its first task loads the world map) answers small requests at once.
        expect((await call(port, 'POST', '/api/verify/locate', { key: analyst, body: small })).status).toBe(200);
        const running = call(port, 'POST', '/api/verify/locate', { key: analyst, body: batch(400, 100) });
        // Small requests while the heavy one holds the only thread (before it arrives, they are answered).
        let refused = await call(port, 'POST', '/api/verify/locate', { key: analyst, body: small });
        for (let i = 0; i < 200 && refused.status === 200; i++) {
          await new Promise((r) => setTimeout(r, 25));
          refused = await call(port, 'POST', '/api/verify/locate', { key: analyst, body: small });
        }
        expect(refused.status).toBe(503);
        expect(refused.headers['content-type']).toContain('application/problem+json');
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
        expect(JSON.parse(refused.body).detail).toMatch(/busy/);
        // Estimates share the bound (a 100,000-sample run goes to the pool).
        const estimate = await call(port, 'POST', '/api/estimate', { key: analyst, body: '{"model":"smuggling-2024","samples":100000}' });
        expect(estimate.status).toBe(503);
        expect(estimate.headers['retry-after']).toBeDefined();
        expect((await running).status).toBe(200);
        // Room again: the same small request and the estimate are answered.
        const ok = await call(port, 'POST', '/api/verify/locate', { key: analyst, body: small });
        expect(ok.status).toBe(200);
        expect(JSON.parse(ok.body).verdict).toBeTypeOf('string');
        expect((await call(port, 'POST', '/api/estimate', { key: analyst, body: '{"model":"smuggling-2024","samples":100000}' })).status).toBe(200);
      } finally {
        await app.close();
      }
    }, 120_000);

    it('reports bad JSON and bad cases from the worker as 400 problems naming the place', async () => {
      const { app, port } = await listen();
      try {
        const bad = await call(port, 'POST', '/api/verify/locate', { key: analyst, body: '{"observations": [' });
        expect(bad.status).toBe(400);
        expect(bad.headers['content-type']).toContain('application/problem+json');
        expect(JSON.parse(bad.body).detail).toMatch(/^body is not valid JSON/);
        const wrong = await call(port, 'POST', '/api/verify/locate', { key: analyst, body: '[{"observations":[]},{"observations":"x"}]' });
        expect(wrong.status).toBe(400);
        expect(JSON.parse(wrong.body)).toMatchObject({ field: '[1].observations', row: 2 });
      } finally {
        await app.close();
      }
    });
  });
});
