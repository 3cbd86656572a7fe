/**
 * Counts requests without a valid API key per client address in fixed windows, in this process's memory: a
 * stream of made-up keys is refused (429) before any key is looked up in the database, while callers whose keys
 * are known go on.
 */
export class AddressLimit {
  private windowStart = Date.now();
  private counts = new Map<string, number>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    /** addresses remembered per window; beyond them the window starts again, so memory stays bounded */
    private readonly maxAddresses = 100_000,
  ) {}

  private roll(now: number): void {
    if (now - this.windowStart >= this.windowMs || this.counts.size >= this.maxAddresses) {
      this.windowStart = now;
      this.counts = new Map();
    }
  }

  /** Seconds until `address` may try again, or 0 when it is under the limit. */
  blockedFor(address: string, now = Date.now()): number {
    this.roll(now);
    if ((this.counts.get(address) ?? 0) < this.max) return 0;
    return Math.max(1, Math.ceil((this.windowStart + this.windowMs - now) / 1000));
  }

  /** One more request from `address` that had no valid key. */
  fail(address: string, now = Date.now()): void {
    this.roll(now);
    this.counts.set(address, (this.counts.get(address) ?? 0) + 1);
  }
}
