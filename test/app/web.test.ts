// How the server serves the web application (src/app/web.ts) and the routes its pages added: caching headers,
// the content security policy, page paths answered with index.html without shadowing the API, the docs or the
// probes; GET /api/whoami; and the map's data routes with their access rules. On PGlite and PostgreSQL.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicKey } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app/server.js';
import { createApiKey, ensureOrganisation, ROLES } from '../../src/accounts/index.js';
import type { Db } from '../../src/db/index.js';
import { judge } from '../../src/verify/index.js';
import { generateKey } from '../../src/verify/keyfile.js';
import { enrolChip, storeResult } from '../../src/verify/store.js';
import { backends } from '../helpers/db.js';
import { PAGE_ROOTS } from '../../src/app/web.js';
import { PAGES } from '../../src/web/access.js';

const webDir = mkdtempSync(join(tmpdir(), 'cw-webdir-'));
mkdirSync(join(webDir, 'assets'));
writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>chipwatch</title><script src="/assets/app-1a2b.js">');
writeFileSync(join(webDir, 'assets', 'app-1a2b.js'), 'console.log(1)');
afterAll(() => rmSync(webDir, { recursive: true, force: true }));

describe.each(backends)('the web application on the server ($name)', (backend) => {
  let db: Db;
  let app: FastifyInstance;
  const keys: Record<string, string> = {};
  const get = (url: string, who?: string) =>
    app.inject({ method: 'GET', url, headers: who ? { authorization: `Bearer ${keys[who]}` } : {} });

  beforeAll(async () => {
    db = await backend.open();
    app = await buildApp({ db, webDir, rateLimitPerMinute: 100_000 });
    for (const role of ROLES) {
      const organisationId = role === 'filer' ? await ensureOrganisation(db, 'Acme Accelerators') : null;
      keys[role] = (await createApiKey(db, { role, organisationId })).key;
    }
    const spki = createPublicKey(generateKey('ed25519')).export({ type: 'spki', format: 'der' });
    await enrolChip(db, { serial: 'GPU-1', publicKey: spki, shipment: 'Acme/1', declared: { lat: 59.3, lon: 18.1 } });
    await enrolChip(db, { serial: 'GPU-2', publicKey: spki, declared: null });
    const verdict = judge(
      [
        { landmarkId: 'sg', lat: 1.35, lon: 103.82, rttMs: 40 },
        { landmarkId: 'tk', lat: 35.68, lon: 139.65, rttMs: 45 },
      ],
      { declared: { lat: 59.3, lon: 18.1 } },
    );
    await storeResult(db, 'GPU-1', verdict, new Date(), new Date(Date.now() + 86_400_000), null);
  });

  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('answers index.html for / and page paths, never cached, under a strict CSP', async () => {
    expect(PAGES.map((p) => p.path.slice(1))).toEqual([...PAGE_ROOTS]); // the server knows every page
    for (const url of ['/', ...PAGES.map((p) => p.path), '/chip/GPU-1', '/estimate?x=1', '/chip/H100%2F7']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.body).toContain('<title>chipwatch</title>');
    }
  });

  it('caches hashed assets for a year and answers a missing one with a problem', async () => {
    const res = await get('/assets/app-1a2b.js');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.body).toBe('console.log(1)');
    const missing = await get('/assets/app-0000.js');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
  });

  it('never shadows the API, the docs, the OpenAPI document or the probes', async () => {
    expect((await get('/api/nothing')).statusCode).toBe(401);
    const unknown = await get('/api/nothing', 'admin');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    const docs = await get('/docs/nothing');
    expect(docs.statusCode).toBe(404);
    expect(docs.headers['content-type']).toContain('application/problem+json');
    expect((await get('/openapi.json')).json().openapi).toMatch(/^3\./);
    expect((await get('/healthz')).json().status).toBe('ok');
    const post = await app.inject({ method: 'POST', url: '/map' });
    expect(post.statusCode).toBe(404);
    expect(post.headers['content-type']).toContain('application/problem+json');
    expect((await get('/favicon.ico')).statusCode).toBe(404);
    for (const url of ['/nothing-here', '/mapping', '/chip/x.js', '/apix']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('tells each key its role (and a filer its organisation), and refuses no key', async () => {
    for (const role of ROLES) {
      const res = await get('/api/whoami', role);
      expect(res.statusCode, role).toBe(200);
      expect(res.json()).toEqual({ role, organisation: role === 'filer' ? 'Acme Accelerators' : null });
    }
    expect((await get('/api/whoami')).statusCode).toBe(401);
  });

  it("answers the map's data in columns to the regulator and the auditor only", async () => {
    for (const role of ['filer', 'analyst', 'compliance', 'investigator']) {
      expect((await get('/api/verify/map', role)).statusCode, role).toBe(403);
      expect((await get('/api/verify/region?serial=GPU-1', role)).statusCode, role).toBe(403);
    }
    const res = await get('/api/verify/map', 'regulator');
    expect(res.statusCode).toBe(200);
    const { chips, landmarks } = res.json();
    expect(chips.serial).toEqual(['GPU-1', 'GPU-2']);
    expect(chips.lat).toEqual([59.3, null]);
    expect(chips.verdict).toEqual(['inconsistent', null]); // Stockholm is far outside both disks
    expect(chips.shipment).toEqual(['Acme/1', null]);
    expect(landmarks).toEqual([]);
    expect((await get('/api/verify/map', 'auditor')).statusCode).toBe(200);
  });

  it("redraws a chip's feasible region from its latest verdict, and names a chip with none", async () => {
    const res = await get('/api/verify/region?serial=GPU-1', 'regulator');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.serial).toBe('GPU-1');
    expect(body.region.geometry.type).toBe('Polygon');
    const ring: [number, number][] = body.region.geometry.coordinates[0];
    expect(ring.length).toBeGreaterThan(10);
    // Inside both disks: within 40/2 ms of light (6,000 km) of Singapore, so nowhere near the Americas.
    for (const [lon] of ring) expect(lon).toBeGreaterThan(40);
    const none = await get('/api/verify/region?serial=GPU-2', 'regulator');
    expect(none.statusCode).toBe(404);
    expect(none.json().detail).toContain('GPU-2 has no verdict');
  });
});
