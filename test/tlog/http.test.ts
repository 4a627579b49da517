// /api/log in-process: roles, validation (problem+json 4xx), proofs that verify against the signed
// checkpoint, and `auditRemoteLog` / `prove.remote` against a real listening server on loopback.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openDb, type Db } from '../../src/db/index.js';
import { buildApp } from '../../src/app/server.js';
import { createApiKey } from '../../src/accounts/index.js';
import {
  appendEntries,
  getLogSigner,
  leafHash,
  loadKeyEncryptionKey,
  signCheckpoint,
  toBase64,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
} from '../../src/tlog/index.js';
import { RemoteLog, auditRemoteLog, checkRemoteConsistency } from '../../src/tlog/client.js';
import { prove } from '../../src/tlog/prove.js';

const entry = (i: number) => new Uint8Array(Buffer.from(`{"row":${i}}`));
const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

describe('/api/log', () => {
  let db: Db;
  let app: FastifyInstance;
  const keys: Record<string, string> = {};
  // The server gets its key-encryption key from its caller (serve passes CHIPWATCH_LOG_KEK or DATA_DIR/tlog.kek).
  const logKek = randomBytes(32).toString('base64');
  beforeAll(async () => {
    db = await openDb({});
    app = await buildApp({ db, now: () => new Date('2026-11-28T05:00:00Z'), tlog: { kek: { logKek } } });
    for (const role of ['admin', 'auditor', 'regulator', 'filer', 'analyst', 'compliance'] as const)
      keys[role] = (await createApiKey(db, { role })).key;
    await db.transaction((tx) =>
      appendEntries(
        tx,
        Array.from({ length: 21 }, (_, i) => entry(i)),
      ),
    );
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });
  const get = (url: string, role?: string) =>
    app.inject({ method: 'GET', url, headers: role ? { authorization: `Bearer ${keys[role]}` } : {} });

  it('lets only auditors, regulators and admins read the log; the verifier key is public', async () => {
    for (const role of ['auditor', 'regulator', 'admin'])
      expect((await get('/api/log/checkpoint', role)).statusCode).toBe(200);
    for (const role of ['filer', 'analyst', 'compliance']) {
      for (const url of [
        '/api/log/checkpoint',
        '/api/log/entries?start=0&end=5',
        '/api/log/proof/inclusion?index=1',
        '/api/log/checkpoints',
      ]) {
        const res = await get(url, role);
        expect(res.statusCode, `${role} ${url}`).toBe(403);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
    }
    expect((await get('/api/log/checkpoint')).statusCode).toBe(401);
    const vk = await get('/api/log/vkey');
    expect(vk.statusCode).toBe(200);
    expect(vk.json().vkey).toMatch(/^chipwatch\.dev\/registry-log\+[0-9a-f]{8}\+/);
    const post = await app.inject({
      method: 'POST',
      url: '/api/log/checkpoint',
      headers: { authorization: `Bearer ${keys.auditor}` },
    });
    expect(post.statusCode).toBe(403);
  });

  it('serves a signed checkpoint of the current tree and proofs that verify against it', async () => {
    const { vkey } = (await get('/api/log/vkey')).json();
    const cp = (await get('/api/log/checkpoint', 'auditor')).json();
    const signed = verifyCheckpoint(cp.note, vkey);
    expect(signed.size).toBe(21);
    const byIndex = (await get('/api/log/proof/inclusion?index=13', 'auditor')).json();
    expect(byIndex).toMatchObject({
      index: 13,
      treeSize: 21,
      leafHash: toBase64(leafHash(entry(13))),
      checkpoint: cp.note,
    });
    verifyInclusion(13, 21, leafHash(entry(13)), byIndex.proof.map(b64), signed.rootHash);
    const byHash = (
      await get(`/api/log/proof/inclusion?leafHash=${encodeURIComponent(toBase64(leafHash(entry(4))))}`, 'regulator')
    ).json();
    expect(byHash.index).toBe(4);
    verifyInclusion(4, 21, leafHash(entry(4)), byHash.proof.map(b64), signed.rootHash);

    await db.transaction((tx) => appendEntries(tx, [entry(21), entry(22)]));
    const post = await app.inject({
      method: 'POST',
      url: '/api/log/checkpoint',
      headers: { authorization: `Bearer ${keys.admin}` },
    });
    expect(post.statusCode).toBe(201);
    const newer = verifyCheckpoint(post.json().note, vkey);
    const cons = (await get('/api/log/proof/consistency?from=21', 'auditor')).json();
    expect(cons).toMatchObject({ from: 21, to: 23 });
    verifyConsistency(21, 23, cons.proof.map(b64), signed.rootHash, newer.rootHash);
    const list = (await get('/api/log/checkpoints', 'auditor')).json();
    expect(list.checkpoints.map((c: { treeSize: number }) => c.treeSize)).toEqual([21, 23]);
    const page = (await get('/api/log/entries?start=20&end=30', 'auditor')).json();
    expect(page.entries.map((e: { index: number }) => e.index)).toEqual([20, 21, 22]);
    expect(Buffer.from(page.entries[0].entry, 'base64').toString()).toBe('{"row":20}');
  });

  it('answers bad input with problem+json 4xx, never 5xx', async () => {
    const bad = [
      '/api/log/proof/inclusion?index=-1',
      '/api/log/proof/inclusion?index=abc',
      '/api/log/proof/inclusion?index=1&leafHash=AAAA',
      '/api/log/proof/inclusion',
      '/api/log/proof/inclusion?index=999',
      '/api/log/proof/inclusion?index=1&treeSize=9999',
      `/api/log/proof/inclusion?leafHash=${encodeURIComponent(toBase64(leafHash(new Uint8Array([9, 9]))))}`,
      '/api/log/proof/consistency?from=0',
      '/api/log/proof/consistency?from=50',
      '/api/log/proof/consistency?from=3&to=2',
      '/api/log/entries?start=5&end=5',
      '/api/log/entries?start=0&end=5000',
      '/api/log/entries?start=0&end=1e99',
      '/api/log/checkpoints?limit=0',
    ];
    for (const url of bad) {
      const res = await get(url, 'auditor');
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, url).toBeLessThan(500);
      expect(res.headers['content-type'], url).toContain('application/problem+json');
    }
  });

  it('still serves the latest signed checkpoint when signing fails (e.g. a wrong key-encryption key)', async () => {
    const { currentCheckpoint } = await import('../../src/tlog/service.js');
    await db.transaction((tx) => appendEntries(tx, [entry(23)]));
    const failing = async () => {
      throw new Error('wrong key-encryption key');
    };
    const cp = await currentCheckpoint(db, new Date(), failing);
    expect(cp.treeSize).toBe(23);
    const empty = await openDb({});
    await expect(currentCheckpoint(empty, new Date(), failing)).rejects.toThrow('wrong key-encryption key');
    await expect(currentCheckpoint(empty, new Date())).rejects.toThrow(/no checkpoint yet/);
    await empty.close();
  });

  it('is audited and proven remotely over HTTP by the client the CLI uses', async () => {
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const { vkey } = (await get('/api/log/vkey')).json();
    const r = new RemoteLog(address, keys.auditor);
    const report = await auditRemoteLog(r, { vkey });
    expect(report).toMatchObject({ ok: true, entriesChecked: 24, verifiedTreeSize: 24, unsignedEntries: 0 });
    const inc = await prove.remote(r, { index: 7 }, async () => vkey);
    expect(inc).toMatchObject({ kind: 'inclusion', index: 7, treeSize: 24 });
    const cons = await prove.remote(r, { from: 21 }, async () => vkey);
    expect(cons).toMatchObject({ kind: 'consistency', from: 21, treeSize: 24 });
    // The light check: the current head provably extends a saved checkpoint; a forged saved one fails.
    const saved = (await get('/api/log/checkpoints?limit=1', 'auditor')).json().checkpoints[0].note;
    const light = await checkRemoteConsistency(r, { vkey, knownCheckpoints: [saved] });
    expect(light).toMatchObject({ ok: true, verifiedTreeSize: 24, checkpointsVerified: 2 });
    const signer = await getLogSigner(db, { kek: loadKeyEncryptionKey({ logKek }) });
    const forged = signCheckpoint(
      { origin: signer.origin, size: 21, rootHash: leafHash(new Uint8Array([1])), extensions: [] },
      signer,
    );
    const bad = await checkRemoteConsistency(r, { vkey, knownCheckpoints: [saved, forged] });
    expect(bad.ok).toBe(false);
    expect(bad.problems).toEqual([expect.objectContaining({ kind: 'root-mismatch', treeSize: 21 })]);
    const future = signCheckpoint(
      { origin: signer.origin, size: 99, rootHash: leafHash(new Uint8Array([1])), extensions: [] },
      signer,
    );
    expect((await checkRemoteConsistency(r, { vkey, knownCheckpoints: [future] })).problems[0].message).toMatch(
      /rolled back/,
    );
    // A wrong pinned key fails loudly.
    const other = vkey.replace(/\+[0-9a-f]{8}\+/, '+00000000+');
    await expect(prove.remote(r, { index: 7 }, async () => other)).rejects.toThrow(/key ID/);
    await expect(new RemoteLog(address, keys.filer).checkpoint()).rejects.toThrow(/403/);
  });
});
