// The flood bound of POST /api/tips (issue 16, Must 7): a stateless proof of work over the exact body.
// Without a proof, with another day's challenge or with too little work, a tip is refused with a clear 4xx
// and nothing is stored; a valid proof stores it. Also: the solver at the default difficulty, timed.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { buildApp } from '../../src/app/server.js';
import type { Db } from '../../src/db/index.js';
import { generateKeyPair, type KeyPair } from '../../src/tips/keys.js';
import { bodyHash, challengeFor, checkProof, DEFAULT_POW_BITS, POW_HEADER, solve } from '../../src/tips/pow.js';
import { addRecipient, listRecipients, prepareSubmission } from '../../src/tips/service.js';
import { loadSodium } from '../../src/tips/sodium.js';
import { submissionToWire } from '../../src/tips/wire.js';
import { backends } from '../helpers/db.js';

const SECRET = new Uint8Array(32).fill(7);
const BITS = 12;

describe('proof of work (pure)', () => {
  it('accepts a solved proof and refuses a wrong nonce, body or day', () => {
    const pow = { secret: SECRET, bits: BITS };
    const c = challengeFor(SECRET, '2026-12-07');
    expect(c).not.toBe(challengeFor(SECRET, '2026-12-08'));
    const body = Buffer.from('{"a":1}');
    const nonce = solve(c, bodyHash(body), BITS);
    const days: [string, string] = ['2026-12-08', '2026-12-07'];
    expect(() => checkProof(pow, `${c}:${nonce}`, body, days)).not.toThrow();
    expect(() => checkProof(pow, `${c}:${nonce}`, Buffer.from('{"a":2}'), days)).toThrow('leading zero bits');
    expect(() => checkProof(pow, `${c}:${nonce}`, body, ['2026-12-09', '2026-12-08'])).toThrow('another challenge');
    expect(() => checkProof(pow, undefined, body, days)).toThrow(`header ${POW_HEADER}`);
    expect(() => checkProof(pow, 'nonsense', body, days)).toThrow(`header ${POW_HEADER}`);
  });

  it('refuses a bad CHIPWATCH_TIPS_POW_BITS naming it', () => {
    expect(loadConfig({}).tipsPowBits).toBe(DEFAULT_POW_BITS);
    expect(loadConfig({ CHIPWATCH_TIPS_POW_BITS: '16' }).tipsPowBits).toBe(16);
    expect(() => loadConfig({ CHIPWATCH_TIPS_POW_BITS: '33' })).toThrow(/^CHIPWATCH_TIPS_POW_BITS must be/);
  });

  it(`solves at the default ${DEFAULT_POW_BITS} bits (timed for docs/performance.md)`, () => {
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      solve(challengeFor(SECRET, `2026-12-0${i + 1}`), bodyHash(`body ${i}`), DEFAULT_POW_BITS);
      runs.push(performance.now() - t);
    }
    const mean = runs.reduce((a, b) => a + b, 0) / runs.length;
    process.stdout.write(
      `pow ${DEFAULT_POW_BITS} bits: ${runs.map((r) => r.toFixed(0)).join(', ')} ms; mean ${mean.toFixed(0)} ms\n`,
    );
    expect(mean).toBeLessThan(30_000);
  }, 120_000);
});

describe.each(backends)('POST /api/tips proof of work on $name', (backend) => {
  let db: Db;
  let app: FastifyInstance;
  const now = new Date('2026-12-07T12:00:00Z');
  const count = async () => Number((await db.query<{ n: string }>('select count(*) as n from tips'))[0].n);
  const body = async () => {
    const recipients = (await listRecipients(db)).map((r) => ({ id: r.id, publicKey: kp.publicKey }));
    return JSON.stringify(submissionToWire(prepareSubmission(recipients, 'a tip', [], '2026-12-07').prepared));
  };
  let kp: KeyPair;
  const post = (payload: string, proof?: string) =>
    app.inject({
      method: 'POST',
      url: '/api/tips',
      headers: { 'content-type': 'application/json', ...(proof ? { [POW_HEADER]: proof } : {}) },
      payload,
    });

  beforeAll(async () => {
    await loadSodium();
    db = await backend.open();
    kp = generateKeyPair();
    await addRecipient(db, 'alice', kp.publicKey, '2026-12-01');
    app = await buildApp({ db, now: () => now, rateLimitPerMinute: 100_000, tipsPow: { secret: SECRET, bits: BITS } });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('hands out the day challenge and the difficulty', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/tips/challenge' });
    expect(r.json()).toMatchObject({ challenge: challengeFor(SECRET, '2026-12-07'), bits: BITS, header: POW_HEADER });
  });

  it('refuses a tip without, or with a wrong, proof and stores a valid one', async () => {
    const b = await body();
    const missing = await post(b);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().detail).toContain(POW_HEADER);
    const c = challengeFor(SECRET, '2026-12-07');
    const stale = challengeFor(SECRET, '2026-12-01');
    const staleProof = await post(b, `${stale}:${solve(stale, bodyHash(b), BITS)}`);
    expect(staleProof.statusCode).toBe(403);
    expect(staleProof.json().detail).toContain('another challenge');
    let weak = 0;
    // a nonce with too few zero bits (the first that fails, found deterministically)
    while (solve(c, bodyHash(b), BITS) === String(weak)) weak++;
    const tooLittle = await post(b, `${c}:${weak}`);
    expect(tooLittle.statusCode).toBe(403);
    expect(tooLittle.json().detail).toContain('leading zero bits');
    expect(await count()).toBe(0);
    const before = 0;
    const other = await body();
    const ok = await post(other, `${c}:${solve(c, bodyHash(other), BITS)}`);
    expect(ok.statusCode).toBe(201);
    expect(await count()).toBe(before + 1);
    const notJson = '{"broken';
    expect((await post(notJson, `${c}:${solve(c, bodyHash(notJson), BITS)}`)).statusCode).toBe(400);
  });
});
