// Proof of work on tip submissions (issue 16, Must 7): a flood is bounded by the work each tip costs its
// sender, and nothing about the sender is stored. The challenge is stateless: an HMAC of the day under a
// server secret (DATA_DIR/tips-pow.secret), so the server keeps no list of issued challenges and no address.
// The client finds a nonce such that sha256(challenge ":" sha256(body) ":" nonce) starts with `bits` zero
// bits; the proof covers the exact body, so it cannot be reused for another submission, and resending the
// same body is refused by the tip's unique id.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ForbiddenError, ValidationError } from '../errors.js';

/** About a million hashes: some 2 s of one core of a laptop (docs/performance.md). */
export const DEFAULT_POW_BITS = 20;
export const POW_HEADER = 'x-chipwatch-pow';

export interface PowSettings {
  secret: Uint8Array;
  /** leading zero bits required (0: no work) */
  bits: number;
}

/** The day's challenge (hex): the same for every sender, so it says nothing about who asks. */
export function challengeFor(secret: Uint8Array, day: string): string {
  return createHmac('sha256', secret).update(`chipwatch tips pow v1 ${day}`).digest('hex');
}

export const bodyHash = (body: Uint8Array | string): string => createHash('sha256').update(body).digest('hex');

function leadingZeroBits(h: Buffer): number {
  let n = 0;
  for (const byte of h) {
    if (byte === 0) {
      n += 8;
      continue;
    }
    return n + Math.clz32(byte) - 24;
  }
  return n;
}

const work = (challenge: string, body: string, nonce: string) =>
  leadingZeroBits(createHash('sha256').update(`${challenge}:${body}:${nonce}`).digest());

/** The client's side: the first nonce (decimal) whose hash has `bits` leading zero bits. */
export function solve(challenge: string, bodyHashHex: string, bits: number): string {
  for (let n = 0; ; n++) if (work(challenge, bodyHashHex, String(n)) >= bits) return String(n);
}

/**
 * Checks the proof header ("challenge:nonce") of a submission's raw body: the challenge must be today's or
 * yesterday's (a tip sealed just before midnight), and the hash must have enough leading zero bits.
 */
export function checkProof(pow: PowSettings, header: unknown, body: Uint8Array, days: [string, string]): void {
  if (pow.bits === 0) return;
  const m = typeof header === 'string' ? /^([0-9a-f]{64}):(\d{1,20})$/.exec(header) : null;
  if (!m)
    throw new ValidationError(
      `a tip needs a proof of work: header ${POW_HEADER}: CHALLENGE:NONCE (GET /api/tips/challenge)`,
      { field: POW_HEADER },
    );
  const given = Buffer.from(m[1], 'hex');
  if (!days.some((d) => timingSafeEqual(Buffer.from(challengeFor(pow.secret, d), 'hex'), given)))
    throw new ForbiddenError('the proof of work is for another challenge: fetch GET /api/tips/challenge again');
  if (work(m[1], bodyHash(body), m[2]) < pow.bits)
    throw new ForbiddenError(`the proof of work does not have ${pow.bits} leading zero bits for this body`);
}

/** The server's secret, created on first use (readable by its owner only). */
export function loadPowSecret(dataDir: string): Uint8Array {
  const file = join(dataDir, 'tips-pow.secret');
  mkdirSync(dataDir, { recursive: true });
  if (!existsSync(file)) writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  const hex = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new ValidationError(`${file} must hold 64 hex digits`, { field: 'tips-pow' });
  return new Uint8Array(Buffer.from(hex, 'hex'));
}
