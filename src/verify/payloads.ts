// The exact bytes that get signed. Every payload starts with its own domain-separation tag, so a chip
// signature over a challenge can never be mistaken for a landmark signature over a record, and fields
// are length-prefixed, so no two different field lists share an encoding.
import { createHash } from 'node:crypto';

export const NONCE_BYTES = 32;
export const TAG_CHALLENGE = Buffer.from('chipwatch/verify/challenge/v1\0', 'latin1');
export const TAG_RECORD = Buffer.from('chipwatch/verify/record/v1\0', 'latin1');
export const TAG_BATCH = Buffer.from('chipwatch/verify/batch/v1\0', 'latin1');

/** Identifiers (landmark ids, serials): 1–128 bytes of printable ASCII. */
export const ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

function str(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  const out = Buffer.allocUnsafe(2 + b.length);
  out.writeUInt16BE(b.length, 0);
  b.copy(out, 2);
  return out;
}

/** What the chip signs: tag ‖ landmark id ‖ serial ‖ nonce. */
export function challengePayload(landmarkId: string, serial: string, nonce: Buffer): Buffer {
  return Buffer.concat([TAG_CHALLENGE, str(landmarkId), str(serial), nonce]);
}

export interface RecordFields {
  landmarkId: string;
  /** Landmark position and processing floor as the landmark states them (signed with the record). */
  landmarkLat: number;
  landmarkLon: number;
  floorMicros: number;
  serial: string;
  nonce: Buffer;
  chipSignature: Buffer;
  rttMicros: number;
  rounds: number;
  /** Milliseconds since the Unix epoch when the kept round finished, landmark wall clock. */
  timeMs: number;
}

function f64(x: number): Buffer {
  const b = Buffer.allocUnsafe(8);
  b.writeDoubleBE(x, 0);
  return b;
}

function u32(x: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(x >>> 0, 0);
  return b;
}

function bytes(x: Buffer): Buffer {
  return Buffer.concat([u32(x.length), x]);
}

/** Canonical encoding of one record (its hash is what a landmark batch signature covers). */
export function recordEncoding(r: RecordFields): Buffer {
  return Buffer.concat([
    TAG_RECORD,
    str(r.landmarkId),
    f64(r.landmarkLat),
    f64(r.landmarkLon),
    f64(r.floorMicros),
    str(r.serial),
    bytes(r.nonce),
    bytes(r.chipSignature),
    f64(r.rttMicros),
    u32(r.rounds),
    f64(r.timeMs),
  ]);
}

export function recordHash(r: RecordFields): Buffer {
  return createHash('sha256').update(recordEncoding(r)).digest();
}

/** What a landmark signs for a batch: tag ‖ landmark id ‖ count ‖ SHA-256 of each record, in order. */
export function batchPayload(landmarkId: string, hashes: readonly Buffer[]): Buffer {
  return Buffer.concat([TAG_BATCH, str(landmarkId), u32(hashes.length), ...hashes]);
}
