// Key administration: the admin routes /api/keys (list, create once-shown secrets, revoke at once, never
// the last active admin key) over real HTTP, and `chipwatch keys create|list|revoke` through the built bin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { openDb, type Db } from '../../src/db/index.js';
import { buildApp } from '../../src/app/server.js';
import { createApiKey } from '../../src/accounts/index.js';
import { BIN, call } from '../app/serve-process.js';

const LAST_ADMIN = 'is the last active admin key: create another admin key before revoking it';

/** A key is cw_<prefix>_<secret>; the base64url secret may itself hold '_'. */
function secretOf(key: string): string {
  return key.split('_').slice(2).join('_');
}

describe('key routes', () => {
  let db: Db;
  let app: FastifyInstance;
  let port: number;
  let admin: string, adminId: number, regulator: string;
  beforeAll(async () => {
    db = await openDb({});
    app = await buildApp({ db });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
    ({ key: admin, id: adminId } = await createApiKey(db, { role: 'admin', label: 'ops' }));
    regulator = (await createApiKey(db, { role: 'regulator' })).key;
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it('creates a key whose secret is answered once, works at once and is listed without it', async () => {
    const body = JSON.stringify({ role: 'filer', organisation: ' Acme GmbH ', label: 'uploads' });
    const created = await call(port, 'POST', '/api/keys', { key: admin, body });
    expect(created.status).toBe(201);
    const c = JSON.parse(created.body);
    expect(c).toMatchObject({ role: 'filer', organisation: 'Acme GmbH', label: 'uploads' });
    expect(c.key).toMatch(/^cw_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect((await call(port, 'GET', '/api/registry/template.csv', { key: c.key })).status).toBe(200);

    const list = await call(port, 'GET', '/api/keys', { key: admin });
    expect(list.status).toBe(200);
    expect(list.body).not.toContain(secretOf(c.key));
    const mine = JSON.parse(list.body).find((k: { id: number }) => k.id === c.id);
    expect(mine).toMatchObject({
      prefix: c.key.split('_')[1],
      role: 'filer',
      organisation: 'Acme GmbH',
      label: 'uploads',
      revokedAt: null,
    });
    expect(Date.parse(mine.createdAt)).not.toBeNaN();
  });

  it('is for admins only, and checks what it is given', async () => {
    expect((await call(port, 'GET', '/api/keys', { key: regulator })).status).toBe(403);
    expect((await call(port, 'POST', '/api/keys', { key: regulator, body: '{"role":"admin"}' })).status).toBe(403);
    expect((await call(port, 'GET', '/api/keys')).status).toBe(401);
    const noOrg = await call(port, 'POST', '/api/keys', { key: admin, body: '{"role":"filer"}' });
    expect(noOrg.status).toBe(400);
    expect(JSON.parse(noOrg.body).detail).toMatch(/organisation: a filer key needs an organisation/);
    const badRole = await call(port, 'POST', '/api/keys', { key: admin, body: '{"role":"root"}' });
    expect(badRole.status).toBe(400);
    expect(JSON.parse(badRole.body).detail).toMatch(/^body\.role/);
  });

  it('revokes a key: it stops working at once; unknown and already revoked ids are clear errors', async () => {
    const { id, key } = await createApiKey(db, { role: 'auditor' });
    expect((await call(port, 'GET', '/api/verify/alerts', { key })).status).toBe(200);
    expect((await call(port, 'DELETE', `/api/keys/${id}`, { key: admin })).status).toBe(204);
    expect((await call(port, 'GET', '/api/verify/alerts', { key })).status).toBe(401);
    const again = await call(port, 'DELETE', `/api/keys/${id}`, { key: admin });
    expect(again.status).toBe(409);
    expect(JSON.parse(again.body).detail).toBe(`API key ${id} is already revoked`);
    const unknown = await call(port, 'DELETE', '/api/keys/999999', { key: admin });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body).detail).toBe('no API key with id 999999');
    const all = JSON.parse((await call(port, 'GET', '/api/keys', { key: admin })).body) as { id: number }[];
    const listed = all.find((k) => k.id === id) as unknown as { revokedAt: string };
    expect(Date.parse(listed.revokedAt)).not.toBeNaN();
  });

  it('refuses to revoke the last active admin key, and says why', async () => {
    const last = await call(port, 'DELETE', `/api/keys/${adminId}`, { key: admin });
    expect(last.status).toBe(409);
    expect(last.headers['content-type']).toContain('application/problem+json');
    expect(JSON.parse(last.body).detail).toBe(`API key ${adminId} ${LAST_ADMIN}`);
    expect((await call(port, 'GET', '/api/keys', { key: admin })).status).toBe(200);
    // With a second admin key, the first may go (and stops working at once).
    const body = '{"role":"admin","label":"successor"}';
    const second = JSON.parse((await call(port, 'POST', '/api/keys', { key: admin, body })).body);
    expect((await call(port, 'DELETE', `/api/keys/${adminId}`, { key: admin })).status).toBe(204);
    expect((await call(port, 'GET', '/api/keys', { key: admin })).status).toBe(401);
    expect((await call(port, 'DELETE', `/api/keys/${second.id}`, { key: second.key })).status).toBe(409);
  });
});

function chipwatch(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, DATABASE_URL: '' } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('chipwatch keys (built bin)', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cw-keys-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates, lists (table and JSON, never secrets) and revokes keys; never the last admin key', async () => {
    const d = ['--data-dir', dataDir];
    const made = await chipwatch(['keys', 'create', '--role', 'admin', '--label', 'ops', '--json', ...d]);
    const admin = JSON.parse(made.stdout) as { id: number; key: string };
    const filer = await chipwatch(['keys', 'create', '--role', 'filer', '--org', 'Acme GmbH', ...d]);
    expect(filer.code).toBe(0);
    const filerKey = filer.stdout.trim();

    const table = await chipwatch(['keys', 'list', ...d]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+PREFIX\s+ROLE\s+ORGANISATION\s+LABEL\s+CREATED\s+REVOKED$/);
    const created = String.raw`\d{4}-\d\d-\d\dT[\d:]{8}Z`;
    const prefix = admin.key.split('_')[1];
    expect(lines[1]).toMatch(new RegExp(String.raw`^${admin.id}\s+${prefix}\s+admin\s+-\s+ops\s+${created}\s+-$`));
    expect(lines[2]).toMatch(/\sfiler\s+Acme GmbH\s/);
    expect(table.stdout).not.toContain(secretOf(filerKey));

    const json = JSON.parse((await chipwatch(['keys', 'list', '--json', ...d])).stdout);
    expect(json.map((k: { role: string }) => k.role)).toEqual(['admin', 'filer']);
    expect(JSON.stringify(json)).not.toContain(secretOf(admin.key));

    const last = await chipwatch(['keys', 'revoke', String(admin.id), ...d]);
    expect(last.code).toBe(1);
    expect(last.stderr.trim()).toBe(`chipwatch: field id: API key ${admin.id} ${LAST_ADMIN}`);
    const filerId = json[1].id;
    const revoke = ['keys', 'revoke', String(filerId), ...d];
    expect(await chipwatch(revoke)).toMatchObject({ code: 0, stdout: `revoked key ${filerId}\n` });
    expect((await chipwatch(revoke)).stderr.trim()).toBe(`chipwatch: field id: API key ${filerId} is already revoked`);
    expect((await chipwatch(['keys', 'revoke', 'x', ...d])).code).toBe(2);
    const after = JSON.parse((await chipwatch(['keys', 'list', '--json', ...d])).stdout);
    expect(after[1].revokedAt).not.toBeNull();
    expect((await chipwatch(['keys', 'list', ...d])).stdout).toMatch(/filer\s+Acme GmbH\s+-\s+\S+Z\s+\S+Z\n/);
  }, 120_000);
});
