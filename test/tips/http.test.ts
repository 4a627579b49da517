// The tips API through a started server and the built bin's --server mode: the tipster's CLI seals,
// the server stores ciphertext only and logs nothing about the request; the investigator's CLI fetches
// with an investigator API key (admin is refused) and opens locally; the receipt reads the reply.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/accounts/store.js';
import { buildApp } from '../../src/app/server.js';
import type { Db } from '../../src/db/index.js';
import { decodePublicKey } from '../../src/tips/keys.js';
import { addRecipient } from '../../src/tips/service.js';
import { bodyHash, POW_HEADER, solve } from '../../src/tips/pow.js';
import { loadSodium } from '../../src/tips/sodium.js';
import { backends } from '../helpers/db.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'chipwatch.js');
const run = promisify(execFile);

describe.each(backends)('tips over HTTP ($name)', (backend) => {
  let db: Db;
  let app: FastifyInstance;
  let base = '';
  const dir = mkdtempSync(join(tmpdir(), 'cw-tips-http-'));
  const logLines: string[] = [];
  const cw = async (...args: string[]) => {
    try {
      const r = await run(process.execPath, [BIN, 'tips', ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      return { code: 0, out: r.stdout, err: r.stderr };
    } catch (e) {
      const x = e as { code: number; stdout: string; stderr: string };
      return { code: x.code, out: x.stdout, err: x.stderr };
    }
  };

  beforeAll(async () => {
    await loadSodium();
    db = await backend.open();
    app = await buildApp({
      db,
      rateLimitPerMinute: 100_000,
      logger: { level: 'trace', stream: { write: (l: string) => void logLines.push(l) } },
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    writeFileSync(join(dir, 'investigator.apikey'), (await createApiKey(db, { role: 'investigator' })).key);
    writeFileSync(join(dir, 'admin.apikey'), (await createApiKey(db, { role: 'admin' })).key);
    expect((await cw('keygen', '--out', 'alice')).code).toBe(0);
    const pub = decodePublicKey(readFileSync(join(dir, 'alice.pub'), 'utf8'), 'alice.pub');
    await addRecipient(db, pub.name, pub.publicKey, new Date().toISOString().slice(0, 10));
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('submits, reads and follows up with the server seeing ciphertext only and logging nothing', async () => {
    const phrase = `relabelled crates ${randomBytes(6).toString('hex')}`;
    const attachment = randomBytes(3000);
    writeFileSync(join(dir, 'report.txt'), phrase);
    writeFileSync(join(dir, 'manifest.bin'), attachment);
    const linesBefore = logLines.length;
    const sub = await cw('submit', 'report.txt', '--attach', 'manifest.bin', '--server', base, '--json');
    expect(sub.code, sub.err).toBe(0);
    const { receipt, submittedOn } = JSON.parse(sub.out);
    expect(submittedOn).toBe(new Date().toISOString().slice(0, 10));

    // Stored: ciphertext only.
    const rows = await db.query<{ ciphertext: Uint8Array }>(
      'select ciphertext from tip_messages union all select ciphertext from tip_attachments',
    );
    const stored = Buffer.concat(rows.map((r) => Buffer.from(r.ciphertext)));
    expect(stored.length).toBeGreaterThan(attachment.length);
    expect(stored.indexOf(Buffer.from(phrase))).toBe(-1);
    expect(stored.indexOf(attachment.subarray(0, 32))).toBe(-1);

    const read = await cw(
      'read',
      '--key',
      'alice.key',
      '--server',
      base,
      '--api-key-file',
      'investigator.apikey',
      '--json',
    );
    expect(read.code, read.err).toBe(0);
    const [tip] = JSON.parse(read.out);
    expect(tip).toMatchObject({ submittedOn, status: 'received', text: phrase });
    expect(tip.attachments[0]).toEqual({ name: 'manifest.bin', bytes: 3000, base64: attachment.toString('base64') });

    writeFileSync(join(dir, 'question.txt'), 'Which port?');
    const inv = ['--key', 'alice.key', '--server', base, '--api-key-file', 'investigator.apikey', '--json'];
    const replied = await cw('reply', tip.id, 'question.txt', ...inv);
    expect(replied.code, replied.err).toBe(0);
    expect(JSON.parse(replied.out)).toEqual({ tipId: tip.id, seq: 2, on: submittedOn });
    writeFileSync(join(dir, 'receipt.txt'), receipt);
    writeFileSync(join(dir, 'answer.txt'), 'Port Klang, berth 4.');
    const thread = await cw(
      'follow-up',
      '--receipt-file',
      'receipt.txt',
      '--message',
      'answer.txt',
      '--server',
      base,
      '--json',
    );
    expect(thread.code, thread.err).toBe(0);
    const t = JSON.parse(thread.out);
    expect(t.messages.map((m: { from: string; text: string }) => [m.from, m.text])).toEqual([
      ['tipster', phrase],
      ['investigator', 'Which port?'],
      ['tipster', 'Port Klang, berth 4.'],
    ]);
    expect(t.added).toMatchObject({ seq: 3, on: submittedOn, commitment: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const again = JSON.parse((await cw('read', ...inv)).out);
    expect(again[0].messages.map((m: { text: string }) => m.text)).toEqual([
      phrase,
      'Which port?',
      'Port Klang, berth 4.',
    ]);
    const [c] = await db.query<{ n: string }>('select count(*) as n from tip_commitments');
    expect(Number(c.n)).toBe(2);
    // Not a line about any of these requests: no address, no user agent, no URL, no time of a submission.
    expect(logLines.slice(linesBefore)).toEqual([]);
  }, 120_000);

  it('lets only investigators fetch sealed tips, not even admin', async () => {
    const q = `${base}/api/tips/sealed?publicKey=${encodeURIComponent(Buffer.alloc(32).toString('base64'))}`;
    const as = (file?: string) =>
      fetch(q, file ? { headers: { authorization: `Bearer ${readFileSync(join(dir, file), 'utf8')}` } } : {});
    expect((await as()).status).toBe(401);
    expect((await as('admin.apikey')).status).toBe(403);
    const reply = await fetch(`${base}/api/tips/tip-0000000000000000/replies`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${readFileSync(join(dir, 'admin.apikey'), 'utf8')}`,
      },
      body: '{}',
    });
    expect(reply.status).toBe(403);
    const inv = await as('investigator.apikey');
    expect(inv.status).toBe(403); // a key that is not a recipient
    expect(((await inv.json()) as { detail: string }).detail).toMatch(/is not a recipient of tips/);
  });

  it('answers malformed submissions and unknown receipts with problem+json naming the field', async () => {
    // POST /api/tips checks its proof of work first (test/tips/pow.test.ts): give a valid one.
    const { challenge, bits } = (await (await fetch(`${base}/api/tips/challenge`)).json()) as {
      challenge: string;
      bits: number;
    };
    const post = (path: string, body: unknown) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [POW_HEADER]: `${challenge}:${solve(challenge, bodyHash(JSON.stringify(body)), bits)}`,
        },
        body: JSON.stringify(body),
      });
    const bad = await post('/api/tips', { day: '2026-01-01', tip: { id: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(await bad.json()).toMatchObject({ field: 'tip.receiptLookup', detail: 'must be base64' });
    const unknown = await post('/api/tips/lookup', { lookup: Buffer.alloc(32).toString('base64') });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { detail: string }).detail).toMatch(/no tip has this receipt/);
    const short = await post('/api/tips/lookup', { lookup: 'AAAA' });
    expect(short.status).toBe(400);
  });

  it('limits receipt lookups to 10 a minute per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const r = await fetch(`${base}/api/tips/lookup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ lookup: randomBytes(32).toString('base64') }),
      });
      statuses.push(r.status);
    }
    // Earlier tests of this file used some of the minute's ten; every answer is a 404 until the limit.
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.filter((s) => s === 404).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 404).length).toBeLessThanOrEqual(10);
  });
});
