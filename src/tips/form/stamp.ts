// Form stamps for the tip form that works without JavaScript. A browser without scripts cannot solve the
// proof of work POST /api/tips asks for, so the form carries a stamp instead: issued with the form, valid from
// a few seconds after (a person reads and types; a script that posts at once is turned back) for a few hours,
// and redeemed once. Stateless to issue (an HMAC of the time and a nonce); the redeemed nonces are kept in
// memory until they expire, so a copied stamp cannot be replayed. Nothing in a stamp names the sender.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface StampRules {
  /** A stamp younger than this is refused (ms). */
  minAgeMs: number;
  /** A stamp older than this is refused (ms). */
  maxAgeMs: number;
  /** At most this many redeemed nonces are remembered; past it the oldest are forgotten early. */
  maxRemembered: number;
}

export const STAMP_RULES: StampRules = { minAgeMs: 3_000, maxAgeMs: 4 * 3_600_000, maxRemembered: 100_000 };

export type StampCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'too-new' | 'expired' | 'used' };

const FORMAT = /^(\d{13})\.([0-9a-f]{32})\.([0-9a-f]{64})$/;

export class FormStamps {
  private readonly key: Buffer;
  /** Redeemed nonces and when they expire, in insertion (so expiry) order. */
  private readonly redeemed = new Map<string, number>();

  constructor(
    secret: Uint8Array,
    private readonly rules: StampRules = STAMP_RULES,
  ) {
    // A key of its own, so a stamp can never stand for a proof-of-work challenge made with the same secret.
    this.key = createHmac('sha256', secret).update('chipwatch tip form stamp v1').digest();
  }

  issue(nowMs: number): string {
    const head = `${nowMs}.${randomBytes(16).toString('hex')}`;
    return `${head}.${this.mac(head)}`;
  }

  /** Checks a stamp and, when it is good, redeems it (a second redemption answers 'used'). */
  redeem(stamp: string | undefined, nowMs: number): StampCheck {
    if (!stamp) return { ok: false, reason: 'missing' };
    const m = FORMAT.exec(stamp);
    if (!m) return { ok: false, reason: 'malformed' };
    const [, issued, nonce, mac] = m;
    const expected = Buffer.from(this.mac(`${issued}.${nonce}`), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(mac, 'hex'))) return { ok: false, reason: 'malformed' };
    const age = nowMs - Number(issued);
    if (age < this.rules.minAgeMs) return { ok: false, reason: 'too-new' };
    if (age > this.rules.maxAgeMs) return { ok: false, reason: 'expired' };
    this.forgetExpired(nowMs);
    if (this.redeemed.has(nonce)) return { ok: false, reason: 'used' };
    this.redeemed.set(nonce, Number(issued) + this.rules.maxAgeMs);
    return { ok: true };
  }

  private forgetExpired(nowMs: number): void {
    for (const [nonce, expires] of this.redeemed) {
      if (expires > nowMs && this.redeemed.size < this.rules.maxRemembered) break;
      this.redeemed.delete(nonce);
    }
  }

  private mac(text: string): string {
    return createHmac('sha256', this.key).update(text).digest('hex');
  }
}
