import { describe, it, expect } from 'vitest';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  softwareSigner,
  publicKeyFromSpki,
  verifySignature,
  signatureLength,
  type Algorithm,
} from '../../src/verify/signer.js';
import { challengePayload, recordHash, type RecordFields } from '../../src/verify/payloads.js';
import { signBatch, openBatch, signedBatchSchema } from '../../src/verify/record.js';

function keyOf(alg: Algorithm) {
  return alg === 'ed25519'
    ? generateKeyPairSync('ed25519').privateKey
    : generateKeyPairSync('ec', { namedCurve: alg === 'p256' ? 'prime256v1' : 'secp384r1' }).privateKey;
}

function record(over: Partial<RecordFields> = {}): RecordFields {
  return {
    landmarkId: 'sin-1',
    landmarkLat: 1.35,
    landmarkLon: 103.82,
    floorMicros: 50,
    serial: 'GPU-0001',
    nonce: randomBytes(32),
    chipSignature: randomBytes(64),
    rttMicros: 1234.5,
    rounds: 5,
    timeMs: Date.UTC(2026, 10, 28, 4, 0, 0, 123),
    ...over,
  };
}

describe('signers', () => {
  for (const alg of ['ed25519', 'p256', 'p384'] as const) {
    it(`${alg}: signs the challenge payload; any change to landmark, serial or nonce breaks it`, async () => {
      const s = softwareSigner(keyOf(alg));
      expect(s.alg).toBe(alg);
      const pub = publicKeyFromSpki(s.publicKeySpki);
      const nonce = randomBytes(32);
      const sig = await s.sign(challengePayload('kl-1', 'GPU-1', nonce));
      expect(sig.length).toBe(signatureLength(alg));
      expect(verifySignature(pub, challengePayload('kl-1', 'GPU-1', nonce), sig)).toBe(true);
      expect(verifySignature(pub, challengePayload('kl-2', 'GPU-1', nonce), sig)).toBe(false);
      expect(verifySignature(pub, challengePayload('kl-1', 'GPU-2', nonce), sig)).toBe(false);
      expect(verifySignature(pub, challengePayload('kl-1', 'GPU-1', randomBytes(32)), sig)).toBe(false);
      expect(verifySignature(pub, challengePayload('kl-1', 'GPU-1', nonce), sig.subarray(1))).toBe(false);
    });
  }

  it('length prefixes keep field boundaries apart', () => {
    const n = randomBytes(32);
    expect(challengePayload('ab', 'c', n).equals(challengePayload('a', 'bc', n))).toBe(false);
  });

  it('bad public keys are validation errors', () => {
    expect(() => publicKeyFromSpki(randomBytes(44))).toThrow(/SubjectPublicKeyInfo/);
  });
});

describe('signed batches', () => {
  it('round-trip through JSON and verify with the landmark key; tampering with any record fails', async () => {
    const lm = softwareSigner(keyOf('ed25519'));
    const pub = publicKeyFromSpki(lm.publicKeySpki);
    const recs = [record(), record({ serial: 'GPU-0002' })];
    const batch = signedBatchSchema.parse(JSON.parse(JSON.stringify(await signBatch('sin-1', lm, recs))));
    const ok = openBatch(batch, pub);
    expect(ok.ok).toBe(true);
    if (ok.ok) expect(ok.records.map(recordHash)).toEqual(recs.map(recordHash));
    const tampered = structuredClone(batch);
    tampered.records[1].rttMicros = 1000;
    expect(openBatch(tampered, pub)).toEqual({ ok: false, reason: 'landmark signature invalid' });
    const other = publicKeyFromSpki(softwareSigner(keyOf('ed25519')).publicKeySpki);
    expect(openBatch(batch, other).ok).toBe(false);
  });

  it('a batch whose records name another landmark is rejected before any signature check', async () => {
    const lm = softwareSigner(keyOf('p256'));
    const batch = await signBatch('sin-1', lm, [record()]);
    batch.records[0].landmarkId = 'kl-1';
    expect(openBatch(batch, publicKeyFromSpki(lm.publicKeySpki))).toEqual({
      ok: false,
      reason: 'record names another landmark',
    });
  });
});
