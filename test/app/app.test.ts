// The HTTP app in-process: health, docs, auth, problem+json.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openDb, type Db } from '../../src/db/index.js';
import { buildApp } from '../../src/app/server.js';
import { createApiKey, revokeApiKey } from '../../src/accounts/index.js';

describe('http app', () => {
  let db: Db;
  let app: FastifyInstance;
  beforeAll(async () => {
    db = await openDb({});
    app = await buildApp({ db });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it('answers /healthz without a key', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: 'pglite', reads: 'primary' });
  });

  it('publishes an OpenAPI document and browsable docs', async () => {
    const spec = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(spec.statusCode).toBe(200);
    expect(spec.json().openapi).toMatch(/^3\./);
    const docs = await app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });

  it('answers unknown routes with problem+json 404', async () => {
    const res = await app.inject({ method: 'GET', url: '/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('rejects a malformed or revoked key with 401, and accepts a valid one', async () => {
    const bad = await app.inject({ method: 'GET', url: '/healthz', headers: { authorization: 'Bearer cw_nope' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().detail).toMatch(/invalid or revoked/);
    const { id, key } = await createApiKey(db, { role: 'analyst' });
    expect(
      (await app.inject({ method: 'GET', url: '/healthz', headers: { authorization: `Bearer ${key}` } })).statusCode,
    ).toBe(200);
    await revokeApiKey(db, id);
    expect(
      (await app.inject({ method: 'GET', url: '/healthz', headers: { authorization: `Bearer ${key}` } })).statusCode,
    ).toBe(401);
  });

  it('stores only a hash of each key', async () => {
    const { key } = await createApiKey(db, { role: 'auditor' });
    const secret = key.split('_').slice(2).join('_'); // the base64url secret may hold '_'
    const rows = await db.query<{ secret_sha256: Uint8Array }>('select secret_sha256 from api_keys');
    for (const r of rows) expect(Buffer.from(r.secret_sha256).toString('base64url')).not.toBe(secret);
  });
});
