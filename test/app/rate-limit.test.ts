// Rate limits: failed authentications are limited per client address before any key is checked (a wrong
// or missing key no longer escapes every limit), and authenticated callers per key after authentication.
// Real HTTP; distinct callers are distinct loopback source addresses (127.0.0.2, 127.0.0.3, ...), seen
// as they are because the app does not trust proxy headers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { openDb, type Db } from '../../src/db/index.js';
import { buildApp } from '../../src/app/server.js';
import { createApiKey } from '../../src/accounts/index.js';
import { call } from './serve-process.js';

describe('rate limits', () => {
  let db: Db;
  let app: FastifyInstance;
  let port: number;
  let regulator: string, analyst: string;
  beforeAll(async () => {
    db = await openDb({});
    app = await buildApp({ db, authFailuresPerMinute: 5, rateLimitPerMinute: 8 });
    await app.listen({ port: 0, host: '0.0.0.0' });
    port = (app.server.address() as AddressInfo).port;
    regulator = (await createApiKey(db, { role: 'regulator' })).key;
    analyst = (await createApiKey(db, { role: 'analyst' })).key;
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it('refuses an address with 429 and Retry-After after failed authentications, whatever key comes next', async () => {
    const from = '127.0.0.2';
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      // A different well-formed wrong key each time: limits keyed on the presented key would never trigger.
      const wrong = `cw_${String(i).padStart(12, 'a')}_${'A'.repeat(43)}`;
      statuses.push((await call(port, 'GET', '/api/verify/landmarks', { key: wrong, from })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    const refused = await call(port, 'GET', '/api/verify/landmarks', { from });
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(JSON.parse(refused.body).detail).toMatch(/too many failed authentications/);
    // Even a valid key is not looked at from that address for now (the limit comes before authentication).
    expect((await call(port, 'GET', '/api/verify/landmarks', { key: regulator, from })).status).toBe(429);
    // Another address is unaffected: its valid key keeps working.
    expect((await call(port, 'GET', '/api/verify/landmarks', { key: regulator, from: '127.0.0.3' })).status).toBe(200);
  });

  it('counts requests without a key to protected routes as failures, but not public ones', async () => {
    const from = '127.0.0.4';
    for (let i = 0; i < 5; i++) expect((await call(port, 'GET', '/api/verify/alerts', { from })).status).toBe(401);
    expect((await call(port, 'GET', '/api/verify/alerts', { from })).status).toBe(429);
    const from2 = '127.0.0.5';
    // /healthz is never limited (a monitor may poll it often): more than the per-address allowance of 8.
    for (let i = 0; i < 12; i++) expect((await call(port, 'GET', '/healthz', { from: from2 })).status).toBe(200);
    expect((await call(port, 'GET', '/api/verify/alerts', { key: regulator, from: from2 })).status).toBe(200);
  });

  it('limits an authenticated caller per key, not per address', async () => {
    const from = '127.0.0.6';
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      statuses.push((await call(port, 'GET', '/api/verify/landmarks', { key: analyst, from })).status);
    }
    expect(statuses.slice(0, 8)).toEqual(Array(8).fill(200));
    expect(statuses.slice(8)).toEqual([429, 429]);
    const limited = await call(port, 'GET', '/api/verify/landmarks', { key: analyst, from: '127.0.0.7' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another key from the same address has its own allowance.
    expect((await call(port, 'GET', '/api/verify/landmarks', { key: regulator, from })).status).toBe(200);
  });
});
