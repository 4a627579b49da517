// Counts failed authentications per client address in fixed one-minute windows, so wrong keys cannot
// be tried without limit: once an address reaches the limit it is refused before any key is checked.

export class AddressLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly maxPerWindow: number,
    private readonly windowMs = 60_000,
    /** Addresses remembered at most (an attacker with many addresses must not grow the map without bound). */
    private readonly maxAddresses = 100_000,
  ) {}

  /** Seconds until `address` may try again, or 0 when it may try now. */
  retryAfterSeconds(address: string, now = Date.now()): number {
    const w = this.windows.get(address);
    if (!w || w.resetAt <= now || w.count < this.maxPerWindow) return 0;
    return Math.max(1, Math.ceil((w.resetAt - now) / 1000));
  }

  /** Records one failure from `address`. */
  fail(address: string, now = Date.now()): void {
    const w = this.windows.get(address);
    if (w && w.resetAt > now) {
      w.count++;
      return;
    }
    if (this.windows.size >= this.maxAddresses) this.sweep(now);
    this.windows.set(address, { count: 1, resetAt: now + this.windowMs });
  }

  private sweep(now: number): void {
    for (const [a, w] of this.windows) if (w.resetAt <= now) this.windows.delete(a);
    // Still full: forget the oldest entries (Map keeps insertion order) rather than grow.
    for (const a of this.windows.keys()) {
      if (this.windows.size < this.maxAddresses) break;
      this.windows.delete(a);
    }
  }
}
