// Exponential backoff with jitter, as cenkalti/backoff's ExponentialBackOff that Go's retry sender uses:
// each wait is interval × (1 ± randomization_factor), then the interval grows × multiplier up to max_interval.
import type { RetryConfig } from '../../config/blocks/retry.ts';

/** The waits of one request's retries. `random` is injectable for tests. */
export class ExponentialBackoff {
  private readonly cfg: RetryConfig;
  private readonly random: () => number;
  private currentMs: number;

  constructor(cfg: RetryConfig, random: () => number = Math.random) {
    this.cfg = cfg;
    this.random = random;
    this.currentMs = cfg.initial_interval;
  }

  /** The next wait in ms. */
  next(): number {
    const delta = this.cfg.randomization_factor * this.currentMs;
    const min = this.currentMs - delta;
    const wait = min + this.random() * (2 * delta);
    this.currentMs = Math.min(this.currentMs * this.cfg.multiplier, this.cfg.max_interval);
    return Math.max(0, wait);
  }
}
