// Paces one worker against a monotonic clock: the n-th item is due at start + n / rate, so the achieved
// rate does not drift with timer lateness or request latency (a late worker catches up, bounded by its
// in-flight limit). Rate 0 means unthrottled.

/** When each batch of items may be sent. */
export class Pacer {
  private readonly startNs: bigint;
  private readonly nsPerItem: number;
  private scheduled = 0;

  private readonly now: () => bigint;

  constructor(ratePerSecond: number, now: () => bigint = () => process.hrtime.bigint()) {
    this.now = now;
    this.startNs = now();
    this.nsPerItem = ratePerSecond > 0 ? 1e9 / ratePerSecond : 0;
  }

  /** Milliseconds to wait before `items` more may be sent (0 = now); call `take` once they are sent. */
  delayMs(items: number): number {
    if (this.nsPerItem === 0) return 0;
    // A batch is due at the middle of the interval its items take at the rate, so over any window the
    // items sent are within half a batch of rate × window.
    const dueNs = this.startNs + BigInt(Math.round((this.scheduled + items / 2) * this.nsPerItem));
    const late = Number(dueNs - this.now()) / 1e6;
    return late > 0 ? late : 0;
  }

  /** Books `items` as scheduled. */
  take(items: number): void {
    this.scheduled += items;
  }
}
