// The run's counters, shared by every worker, and the snapshots progress and the summary are made of.

/** What has happened so far. */
export interface GenProgress {
  readonly sentItems: number;
  readonly failedItems: number;
  readonly requests: number;
  readonly failedRequests: number;
  readonly elapsedMs: number;
  /** Items accepted per second since the start. */
  readonly itemsPerSecond: number;
}

/** Counters updated by the workers; failure reasons are kept with their counts (bounded). */
export class Stats {
  sentItems = 0;
  failedItems = 0;
  requests = 0;
  failedRequests = 0;
  readonly reasons = new Map<string, number>();
  private readonly startNs = process.hrtime.bigint();

  /** Records one export's outcome. */
  record(items: number, ok: boolean, reason: string): void {
    this.requests++;
    if (ok) {
      this.sentItems += items;
      return;
    }
    this.failedRequests++;
    this.failedItems += items;
    if (this.reasons.has(reason) || this.reasons.size < 20)
      this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
  }

  elapsedMs(): number {
    return Number(process.hrtime.bigint() - this.startNs) / 1e6;
  }

  snapshot(): GenProgress {
    const elapsedMs = this.elapsedMs();
    return {
      sentItems: this.sentItems,
      failedItems: this.failedItems,
      requests: this.requests,
      failedRequests: this.failedRequests,
      elapsedMs,
      itemsPerSecond: elapsedMs > 0 ? (this.sentItems * 1000) / elapsedMs : 0,
    };
  }
}
