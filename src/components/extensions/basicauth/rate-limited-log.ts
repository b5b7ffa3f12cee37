// Rate-limited warnings for the authentication path: a flood of wrong guesses must not flood the log
// (STYLE.md rule 8). Each message logs at most once per interval, with the count suppressed since.
import type { Logger } from '../../../contracts/component.ts';

// Messages are a small fixed set, but bound the map anyway (rule 9).
const MAX_KEYS = 16;

/** Logs each distinct message at most once per `intervalMs`. Fields must never hold secrets. */
export class RateLimitedLog {
  private readonly logger: Logger;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(logger: Logger, now: () => number, intervalMs = 10_000) {
    this.logger = logger;
    this.now = now;
    this.intervalMs = intervalMs;
  }

  warn(msg: string, fields: Record<string, unknown>): void {
    const now = this.now();
    const entry = this.last.get(msg);
    if (entry !== undefined && now - entry.at < this.intervalMs) {
      entry.suppressed++;
      return;
    }
    if (entry === undefined && this.last.size >= MAX_KEYS) this.last.clear();
    const suppressed = entry?.suppressed ?? 0;
    this.last.set(msg, { at: now, suppressed: 0 });
    this.logger.warn(msg, suppressed > 0 ? { ...fields, suppressed_since_last: suppressed } : fields);
  }
}
