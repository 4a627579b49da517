// The verifier's core: turns landmark-signed batches into trusted observations. Every record must come
// from a known landmark under its own key, name an enrolled chip whose signature over the challenge
// verifies, carry a nonce never accepted before, and be fresh. Pure: keys, clock and ledger passed in.
import { verifySignature, type PublicKey } from './signer.js';
import { challengePayload, type RecordFields } from './payloads.js';
import { openBatch, type SignedBatch } from './record.js';
import type { Observation } from './verdict.js';

export interface TrustedLandmark {
  id: string;
  lat: number;
  lon: number;
  key: PublicKey;
}

export interface CheckContext {
  landmarks: ReadonlyMap<string, TrustedLandmark>;
  /** Enrolled chips: serial → public key. Only these count. */
  chips: ReadonlyMap<string, PublicKey>;
  nowMs: number;
  /** Records older than this are stale. */
  maxAgeMs: number;
  /** Tolerated landmark clock lead (records from the future). */
  maxSkewMs: number;
}

export interface Rejection {
  landmarkId: string;
  serial?: string;
  index?: number;
  reason: string;
}

export interface CheckResult {
  accepted: RecordFields[];
  /** Each accepted record's position in its batch, so a later rejection (a replay) can name it. */
  acceptedIndexes: number[];
  rejected: Rejection[];
}

/** Largest coordinate disagreement tolerated between a record and the landmark directory (degrees). */
const COORD_EPS = 1e-6;

export function checkBatch(batch: SignedBatch, ctx: CheckContext): CheckResult {
  const lm = ctx.landmarks.get(batch.landmarkId);
  const refused = (reason: string): CheckResult => ({
    accepted: [],
    acceptedIndexes: [],
    rejected: [{ landmarkId: batch.landmarkId, reason }],
  });
  if (!lm) return refused('unknown landmark');
  const opened = openBatch(batch, lm.key);
  if (!opened.ok) return refused(opened.reason);
  const accepted: RecordFields[] = [];
  const acceptedIndexes: number[] = [];
  const rejected: Rejection[] = [];
  opened.records.forEach((r, index) => {
    const reason = checkRecord(r, lm, ctx);
    if (reason) rejected.push({ landmarkId: lm.id, serial: r.serial, index, reason });
    else {
      accepted.push(r);
      acceptedIndexes.push(index);
    }
  });
  return { accepted, acceptedIndexes, rejected };
}

function checkRecord(r: RecordFields, lm: TrustedLandmark, ctx: CheckContext): string | null {
  if (Math.abs(r.landmarkLat - lm.lat) > COORD_EPS || Math.abs(r.landmarkLon - lm.lon) > COORD_EPS)
    return 'landmark position differs from the directory';
  if (!Number.isFinite(r.timeMs)) return 'bad time';
  if (r.timeMs < ctx.nowMs - ctx.maxAgeMs) return 'stale record';
  if (r.timeMs > ctx.nowMs + ctx.maxSkewMs) return 'record from the future';
  if (r.floorMicros > r.rttMicros) return 'processing floor above the round trip';
  const chip = ctx.chips.get(r.serial);
  if (!chip) return 'chip not enrolled';
  if (!verifySignature(chip, challengePayload(r.landmarkId, r.serial, r.nonce), r.chipSignature))
    return 'chip signature invalid';
  return null;
}

/** Where accepted nonces are remembered; `claim` is false when the nonce was accepted before. */
export interface NonceLedger {
  claim(nonce: Buffer): boolean;
}

/** In-memory ledger; entries older than the staleness window may be forgotten (stale records fail anyway). */
export function memoryLedger(): NonceLedger & { size(): number } {
  const seen = new Set<string>();
  return {
    claim: (n) => {
      const k = n.toString('base64');
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    },
    size: () => seen.size,
  };
}

/** Claims each accepted record's nonce; replays move to `rejected`. */
export function claimNonces(result: CheckResult, ledger: NonceLedger): CheckResult {
  const accepted: RecordFields[] = [];
  const acceptedIndexes: number[] = [];
  const rejected = [...result.rejected];
  result.accepted.forEach((r, i) => {
    const index = result.acceptedIndexes[i];
    if (ledger.claim(r.nonce)) {
      accepted.push(r);
      acceptedIndexes.push(index);
    } else
      rejected.push({ landmarkId: r.landmarkId, serial: r.serial, index, reason: 'nonce already accepted (replay)' });
  });
  return { accepted, acceptedIndexes, rejected };
}

/** Fastest a chip is assumed to travel between measurements (km/s; ≈ 1,260 km/h, faster than airliners). */
export const MAX_CHIP_SPEED_KM_PER_S = 0.35;

/**
 * Observations for one chip at time `atMs`: per landmark the smallest RTT, with each disk widened by how
 * far the chip could have moved between its measurement and `atMs` (so disks from different moments
 * may be intersected soundly).
 */
export function observationsFor(
  serial: string,
  records: readonly RecordFields[],
  atMs: number,
): (Observation & { extraKm: number })[] {
  const best = new Map<string, Observation & { extraKm: number }>();
  for (const r of records) {
    if (r.serial !== serial) continue;
    const extraKm = (Math.max(0, atMs - r.timeMs) / 1000) * MAX_CHIP_SPEED_KM_PER_S;
    const o = {
      landmarkId: r.landmarkId,
      lat: r.landmarkLat,
      lon: r.landmarkLon,
      rttMs: r.rttMicros / 1000,
      floorMs: r.floorMicros / 1000,
      extraKm,
    };
    const prev = best.get(r.landmarkId);
    // Keep the disk with the smaller radius (rtt − floor converted, plus movement).
    if (
      !prev ||
      o.rttMs - o.floorMs + (2 * extraKm) / 299.792458 <
        prev.rttMs - (prev.floorMs ?? 0) + (2 * prev.extraKm) / 299.792458
    )
      best.set(r.landmarkId, o);
  }
  return [...best.values()];
}
