import { describe, it, expect } from 'vitest';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  chipAlerts,
  DEFAULT_POLICY,
  firstCheckAt,
  nextCheckAfter,
  shipmentFailing,
  verifyDeadline,
  type ChipState,
} from '../../src/verify/fleet.js';
import { softwareSigner, publicKeyFromSpki } from '../../src/verify/signer.js';
import { challengePayload, type RecordFields } from '../../src/verify/payloads.js';
import { signBatch } from '../../src/verify/record.js';
import { memoryLedger, observationsFor, MAX_CHIP_SPEED_KM_PER_S } from '../../src/verify/check.js';
import { verifyBatches } from '../../src/verify/pipeline.js';
import { checkBundle } from '../../src/verify/bundle.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1);
const chip = (over: Partial<ChipState> = {}): ChipState => ({
  serial: 'S',
  shipment: 'B',
  shippedAtMs: T0,
  enrolledAtMs: T0 - DAY,
  lastVerifiedAtMs: null,
  ...over,
});

describe('fleet policy', () => {
  it('first check at shipment, due within 30 days; then every 90 days; failures retried daily', () => {
    expect(firstCheckAt(chip())).toBe(T0);
    expect(firstCheckAt(chip({ shippedAtMs: null }))).toBe(T0 - DAY);
    expect(verifyDeadline(chip())).toBe(T0 + 30 * DAY);
    expect(verifyDeadline(chip({ lastVerifiedAtMs: T0 + DAY }))).toBe(T0 + DAY + (90 + 14) * DAY);
    expect(nextCheckAfter('proven-outside', T0)).toBe(T0 + 90 * DAY);
    expect(nextCheckAfter('no-response', T0)).toBe(T0 + DAY);
  });

  it('alerts: inconsistent at once; stopped verifying only past the deadline', () => {
    expect(chipAlerts(chip(), 'inconsistent', T0 + DAY, {}).map((a) => a.kind)).toEqual(['chip-inconsistent']);
    expect(chipAlerts(chip(), 'no-response', T0 + 29 * DAY, {})).toEqual([]);
    expect(chipAlerts(chip(), 'no-response', T0 + 31 * DAY, {}).map((a) => a.kind)).toEqual(['chip-stopped-verifying']);
    expect(chipAlerts(chip(), 'proven-outside', T0 + 31 * DAY, {})).toEqual([]);
  });

  it('a shipment is flagged at the configured share of failing chips', () => {
    expect(shipmentFailing([{ failing: true }, { failing: false }, { failing: false }, { failing: false }])).toBe(true);
    expect(shipmentFailing([{ failing: true }, ...Array(4).fill({ failing: false })])).toBe(false);
    expect(shipmentFailing([], DEFAULT_POLICY)).toBe(false);
  });
});

describe('records of different ages', () => {
  it('each disk is widened by how far the chip could have moved since', () => {
    const base = {
      landmarkId: 'a',
      landmarkLat: 0,
      landmarkLon: 0,
      floorMicros: 0,
      serial: 'S',
      nonce: randomBytes(32),
      chipSignature: randomBytes(64),
      rttMicros: 1000,
      rounds: 1,
    };
    const obs = observationsFor('S', [{ ...base, timeMs: T0 - 60_000 }], T0);
    expect(obs[0].extraKm).toBeCloseTo(60 * MAX_CHIP_SPEED_KM_PER_S, 9);
  });
});

describe('pipeline and bundles', () => {
  async function fixture() {
    const lm = softwareSigner(generateKeyPairSync('ed25519').privateKey);
    const c = softwareSigner(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
    const rec = async (rttMicros: number): Promise<RecordFields> => {
      const nonce = randomBytes(32);
      return {
        landmarkId: 'kl',
        landmarkLat: 3.139,
        landmarkLon: 101.6869,
        floorMicros: 10,
        serial: 'GPU-1',
        nonce,
        chipSignature: await c.sign(challengePayload('kl', 'GPU-1', nonce)),
        rttMicros,
        rounds: 3,
        timeMs: T0,
      };
    };
    const batch = await signBatch('kl', lm, [await rec(900), await rec(1500)]);
    return { lm, c, batch };
  }

  it('the full path accepts good records, judges the chip, and reports malformed input without throwing', async () => {
    const { lm, c, batch } = await fixture();
    const ctx = {
      landmarks: new Map([['kl', { id: 'kl', lat: 3.139, lon: 101.6869, key: publicKeyFromSpki(lm.publicKeySpki) }]]),
      chips: new Map([['GPU-1', publicKeyFromSpki(c.publicKeySpki)]]),
      nowMs: T0,
      maxAgeMs: 900_000,
      maxSkewMs: 0,
    };
    const r = verifyBatches(
      [JSON.stringify(batch), '{not json', JSON.stringify({ v: 2 }), JSON.stringify(batch)],
      ctx,
      memoryLedger(),
      new Map(),
    );
    expect(r.accepted).toBe(2);
    expect(r.verdicts.get('GPU-1')!.verdict).toBe('proven-outside');
    expect(r.rejected.map((x) => x.reason)).toEqual([
      'batch is not JSON',
      expect.stringMatching(/^invalid batch/),
      'nonce already accepted (replay)',
      'nonce already accepted (replay)',
    ]);
  });

  it('a bundle re-checks offline; an independent directory with another key rejects everything', async () => {
    const { lm, c, batch } = await fixture();
    const bundle = {
      landmarks: [{ id: 'kl', lat: 3.139, lon: 101.6869, publicKey: lm.publicKeySpki.toString('base64url') }],
      chips: [{ serial: 'GPU-1', publicKey: c.publicKeySpki.toString('base64url') }],
      batches: [batch],
      declared: { 'GPU-1': { lat: 50.11, lon: 8.68 } },
    };
    const r = checkBundle(bundle);
    expect(r.acceptedRecords).toBe(2);
    expect(r.verdicts[0].verdict).toBe('inconsistent');
    expect(r.verdicts[0].evidence.inconsistent!.landmarkId).toBe('kl');
    const other = softwareSigner(generateKeyPairSync('ed25519').privateKey).publicKeySpki.toString('base64url');
    const r2 = checkBundle(bundle, [{ id: 'kl', lat: 3.139, lon: 101.6869, publicKey: other }]);
    expect(r2.acceptedRecords).toBe(0);
    expect(r2.rejected[0].reason).toBe('landmark signature invalid');
    expect(r2.verdicts[0].verdict).toBe('no-response');
    // Stale relative to a later verdict time.
    expect(
      checkBundle({ ...bundle, at: new Date(T0 + 3_600_000).toISOString() }).rejected.map((x) => x.reason),
    ).toEqual(['stale record', 'stale record']);
  });
});
