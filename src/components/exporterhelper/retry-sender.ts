// Retries retryable failures with exponential backoff (Go's retry_sender): permanent failures are
// returned at once; the destination's RetryInfo delay is honoured when longer than the backoff; the
// request is given up when the next wait would pass max_elapsed_time (0 = never). `stop` (shutdown)
// interrupts a wait, leaving the data to the caller's accounting.
import type { ConsumeResult } from '../../contracts/consumer.ts';
import type { Payload } from '../../contracts/payload.ts';
import type { RetryConfig } from '../../config/blocks/retry.ts';
import { ExponentialBackoff } from './backoff.ts';
import { errorTypeOf, retryableResult } from './export-error.ts';
import type { RateLimitedLog } from '../../util/rate-limited-log.ts';

/** One attempt of sending a payload. */
export type AttemptFn = (payload: Payload) => Promise<ConsumeResult>;

/** Sends with retries as `retry_on_failure` says. */
export class RetrySender {
  private readonly cfg: RetryConfig;
  private readonly attempt: AttemptFn;
  private readonly log: RateLimitedLog;
  private readonly stopper = new AbortController();

  constructor(cfg: RetryConfig, attempt: AttemptFn, log: RateLimitedLog) {
    this.cfg = cfg;
    this.attempt = attempt;
    this.log = log;
  }

  /** Stops waiting between retries (shutdown): pending waits end with a retryable `Shutdown` failure. */
  stop(): void {
    this.stopper.abort();
  }

  async send(payload: Payload): Promise<ConsumeResult> {
    let result = await this.attempt(payload);
    if (result.status !== 'retryable' || !this.cfg.enabled) return result;
    const backoff = new ExponentialBackoff(this.cfg);
    const giveUpAt = this.cfg.max_elapsed_time > 0 ? Date.now() + this.cfg.max_elapsed_time : Infinity;
    while (result.status === 'retryable') {
      const waitMs = Math.max(backoff.next(), result.retryAfterMs ?? 0);
      if (Date.now() + waitMs > giveUpAt)
        return retryableResult(`no more retries left: ${result.error.message}`, errorTypeOf(result));
      if (this.stopper.signal.aborted) return shutdownResult(result);
      this.log.log('info', 'Exporting failed. Will retry the request after interval.', {
        error: result.error.message,
        interval: `${Math.round(waitMs)}ms`,
      });
      if (!(await this.sleep(waitMs))) return shutdownResult(result);
      result = await this.attempt(payload);
    }
    return result;
  }

  /** Resolves true after `ms`, false if stopped first. */
  private sleep(ms: number): Promise<boolean> {
    const signal = this.stopper.signal;
    return new Promise((resolve) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      // Not unref'd: a pending retry is data still owed; stop() clears it on shutdown.
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

function shutdownResult(last: ConsumeResult & { status: 'retryable' }): ConsumeResult {
  return retryableResult(`interrupted by shutdown while waiting to retry: ${last.error.message}`, 'Shutdown');
}
