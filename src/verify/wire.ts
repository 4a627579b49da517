// Wire format between landmark, agent and verifier over TCP: frames of u32 big-endian length, then one
// type byte and the body. Challenge and response (the timed path) are binary; control messages are
// JSON. Everything here parses attacker-controlled bytes: it returns reasons, it never throws.
import { z } from 'zod';
import { ALGORITHMS } from './signer.js';
import { ID_PATTERN, NONCE_BYTES } from './payloads.js';
import { signedBatchSchema, type SignedBatch } from './record.js';

export const MSG = { HELLO: 1, CHALLENGE: 2, RESPONSE: 3, MEASURE: 4, RESULT: 5, ERROR: 6 } as const;
export type MsgType = (typeof MSG)[keyof typeof MSG];

/** Largest frame a peer may send on the chip path, and on the control path (batches of records). */
export const MAX_CHIP_FRAME = 1024;
export const MAX_CONTROL_FRAME = 8 * 1024 * 1024;

export interface Frame {
  type: number;
  body: Buffer;
}

export function encodeFrame(type: MsgType, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(5 + body.length);
  out.writeUInt32BE(body.length + 1, 0);
  out[4] = type;
  body.copy(out, 5);
  return out;
}

export function jsonFrame(type: MsgType, value: unknown): Buffer {
  return encodeFrame(type, Buffer.from(JSON.stringify(value), 'utf8'));
}

/** Incremental decoder; `push` returns whole frames, or an error after which the stream is dropped. */
export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0);
  constructor(private readonly maxFrame: number) {}

  push(chunk: Buffer): { frames: Frame[]; error?: string } {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const frames: Frame[] = [];
    while (this.buf.length >= 4) {
      const len = this.buf.readUInt32BE(0);
      if (len === 0) return { frames, error: 'empty frame' };
      if (len > this.maxFrame) return { frames, error: `frame of ${len} bytes exceeds the limit of ${this.maxFrame}` };
      if (this.buf.length < 4 + len) break;
      frames.push({ type: this.buf[4], body: this.buf.subarray(5, 4 + len) });
      this.buf = this.buf.subarray(4 + len);
    }
    return { frames };
  }

  /** Bytes of an incomplete frame still waiting (a truncated stream leaves these behind). */
  get pending(): number {
    return this.buf.length;
  }
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface Challenge {
  landmarkId: string;
  serial: string;
  nonce: Buffer;
}

export function encodeChallenge(c: Challenge): Buffer {
  const id = Buffer.from(c.landmarkId, 'latin1');
  const serial = Buffer.from(c.serial, 'latin1');
  return encodeFrame(
    MSG.CHALLENGE,
    Buffer.concat([Buffer.from([id.length]), id, Buffer.from([serial.length]), serial, c.nonce]),
  );
}

export function parseChallenge(body: Buffer): Parsed<Challenge> {
  if (body.length < 1) return { ok: false, reason: 'challenge truncated' };
  const idLen = body[0];
  if (body.length < 1 + idLen + 1) return { ok: false, reason: 'challenge truncated' };
  const landmarkId = body.subarray(1, 1 + idLen).toString('latin1');
  const sLen = body[1 + idLen];
  const rest = 2 + idLen + sLen;
  if (body.length !== rest + NONCE_BYTES) return { ok: false, reason: 'challenge has the wrong length' };
  const serial = body.subarray(2 + idLen, rest).toString('latin1');
  if (!ID_PATTERN.test(landmarkId) || !ID_PATTERN.test(serial))
    return { ok: false, reason: 'challenge ids are not printable ASCII' };
  return { ok: true, value: { landmarkId, serial, nonce: Buffer.from(body.subarray(rest)) } };
}

export function encodeResponse(nonce: Buffer, signature: Buffer): Buffer {
  return encodeFrame(MSG.RESPONSE, Buffer.concat([nonce, signature]));
}

export function parseResponse(body: Buffer): Parsed<{ nonce: Buffer; signature: Buffer }> {
  if (body.length <= NONCE_BYTES || body.length > NONCE_BYTES + 512)
    return { ok: false, reason: 'response has the wrong length' };
  return { ok: true, value: { nonce: body.subarray(0, NONCE_BYTES), signature: body.subarray(NONCE_BYTES) } };
}

const id = z.string().regex(ID_PATTERN);

export const helloSchema = z.object({ serial: id }).strict();
export type Hello = z.infer<typeof helloSchema>;

export const measureSchema = z
  .object({
    chips: z
      .array(
        z
          .object({
            serial: id,
            publicKey: z
              .string()
              .max(400)
              .regex(/^[A-Za-z0-9_-]+$/),
            alg: z.enum(ALGORITHMS),
          })
          .strict(),
      )
      .min(1)
      .max(10_000),
    rounds: z.number().int().min(1).max(50).default(5),
  })
  .strict();
export type MeasureRequest = z.infer<typeof measureSchema>;

export const resultSchema = z
  .object({
    batch: signedBatchSchema.nullable(),
    failures: z.array(z.object({ serial: id, reason: z.string().max(200) })).max(10_000),
  })
  .strict();
export interface MeasureResult {
  batch: SignedBatch | null;
  failures: { serial: string; reason: string }[];
}

export function parseJson<T>(body: Buffer, schema: z.ZodType<T, z.ZodTypeDef, unknown>): Parsed<T> {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  const r = schema.safeParse(value);
  if (!r.success)
    return {
      ok: false,
      reason: `invalid message: ${r.error.issues[0].path.join('.') || '(root)'} ${r.error.issues[0].message}`,
    };
  return { ok: true, value: r.data };
}
