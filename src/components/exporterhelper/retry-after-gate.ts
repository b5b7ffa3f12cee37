// Honours a destination's "retry after" for the whole exporter, not only for the request that got it:
// while the gateway has asked to wait (RetryInfo on RESOURCE_EXHAUSTED or UNAVAILABLE), other requests
// are not sent either — they fail retryable at once with the time left, and the retry sender waits
// it out. Sending them anyway would only be refused again, and a throttled login would see its
// client's refusals pile up (issue 11: a block must not feed itself).

// A destination could ask for hours; the gate never holds longer than this, so that a bad answer
// cannot silence an exporter (the retry sender still honours the full delay per request).
const MAX_HOLD_MS = 5 * 60_000;

/** Remembers until when the destination asked not to be called. */
export class RetryAfterGate {
  private readonly now: () => number;
  private notBefore = 0;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  /** Milliseconds left to wait, or 0 when a call may be made. */
  remainingMs(): number {
    const left = this.notBefore - this.now();
    return left > 0 ? left : 0;
  }

  /** Records a destination's advice (only a positive delay changes anything). */
  hold(retryAfterMs: number | undefined): void {
    if (retryAfterMs === undefined || retryAfterMs <= 0) return;
    this.notBefore = Math.max(this.notBefore, this.now() + Math.min(retryAfterMs, MAX_HOLD_MS));
  }
}
