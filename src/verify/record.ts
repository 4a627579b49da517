// Measurement records and the landmark-signed batches that carry them, in their JSON form (files, API,
// database). One landmark signature covers a whole batch: tag ‖ id ‖ n ‖ SHA-256 of each record.
import { z } from 'zod';
import { ALGORITHMS, verifySignature, type PublicKey, type Signer } from './signer.js';
import { batchPayload, recordHash, ID_PATTERN, NONCE_BYTES, type RecordFields } from './payloads.js';

const b64 = z
  .string()
  .max(1024)
  .regex(/^[A-Za-z0-9_-]*$/, 'base64url');
const id = z.string().regex(ID_PATTERN, '1–128 printable ASCII characters');
// RFC 3339 UTC with milliseconds, as toISOString writes it; precompiled (zod's datetime() rebuilds its
// regex on every call, a measurable cost at verifier rates).
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const isoTime = z
  .string()
  .max(30)
  .regex(ISO_UTC, 'ISO 8601 UTC time')
  .refine((s) => Number.isFinite(Date.parse(s)), 'not a valid time');

export const recordJsonSchema = z
  .object({
    landmarkId: id,
    landmarkLat: z.number().min(-90).max(90),
    landmarkLon: z.number().min(-180).max(180),
    floorMicros: z.number().min(0).max(1e7),
    serial: id,
    nonce: b64,
    chipSignature: b64,
    rttMicros: z.number().min(0).max(1e8),
    rounds: z.number().int().min(1).max(1000),
    time: isoTime,
  })
  .strict();
export type RecordJson = z.infer<typeof recordJsonSchema>;

export const MAX_BATCH_RECORDS = 10_000;

export const signedBatchSchema = z
  .object({
    v: z.literal(1),
    landmarkId: id,
    alg: z.enum(ALGORITHMS),
    records: z.array(recordJsonSchema).min(1).max(MAX_BATCH_RECORDS),
    signature: b64,
  })
  .strict();
export type SignedBatch = z.infer<typeof signedBatchSchema>;

export function toJson(r: RecordFields): RecordJson {
  return {
    landmarkId: r.landmarkId,
    landmarkLat: r.landmarkLat,
    landmarkLon: r.landmarkLon,
    floorMicros: r.floorMicros,
    serial: r.serial,
    nonce: r.nonce.toString('base64url'),
    chipSignature: r.chipSignature.toString('base64url'),
    rttMicros: r.rttMicros,
    rounds: r.rounds,
    time: new Date(r.timeMs).toISOString(),
  };
}

export function fromJson(j: RecordJson): RecordFields {
  return {
    landmarkId: j.landmarkId,
    landmarkLat: j.landmarkLat,
    landmarkLon: j.landmarkLon,
    floorMicros: j.floorMicros,
    serial: j.serial,
    nonce: Buffer.from(j.nonce, 'base64url'),
    chipSignature: Buffer.from(j.chipSignature, 'base64url'),
    rttMicros: j.rttMicros,
    rounds: j.rounds,
    timeMs: Date.parse(j.time),
  };
}

/** Signs records as one batch with the landmark's key (the records must name this landmark). */
export async function signBatch(
  landmarkId: string,
  signer: Signer,
  records: readonly RecordFields[],
): Promise<SignedBatch> {
  for (const r of records) if (r.landmarkId !== landmarkId) throw new Error('record from another landmark in batch');
  const signature = await signer.sign(batchPayload(landmarkId, records.map(recordHash)));
  return {
    v: 1,
    landmarkId,
    alg: signer.alg,
    records: records.map(toJson),
    signature: signature.toString('base64url'),
  };
}

export type BatchCheck = { ok: true; records: RecordFields[] } | { ok: false; reason: string };

/**
 * Checks a batch's landmark signature with the landmark's trusted key (never a key the batch brings)
 * and returns its records decoded. Attacker-controlled input: structure was validated by the schema.
 */
export function openBatch(batch: SignedBatch, landmarkKey: PublicKey): BatchCheck {
  if (batch.alg !== landmarkKey.alg) return { ok: false, reason: 'batch algorithm differs from the landmark key' };
  const records = batch.records.map(fromJson);
  for (const r of records) {
    if (r.landmarkId !== batch.landmarkId) return { ok: false, reason: 'record names another landmark' };
    if (r.nonce.length !== NONCE_BYTES) return { ok: false, reason: 'nonce is not 32 bytes' };
  }
  const payload = batchPayload(batch.landmarkId, records.map(recordHash));
  if (!verifySignature(landmarkKey, payload, Buffer.from(batch.signature, 'base64url'))) {
    return { ok: false, reason: 'landmark signature invalid' };
  }
  return { ok: true, records };
}
