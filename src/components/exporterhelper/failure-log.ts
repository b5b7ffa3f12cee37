// Rate-limited logging for the export path: a failing destination must not flood the log (STYLE.md
// rule 8). Each message logs at most once per interval, reporting how many were suppressed since.
import type { Logger } from '../../contracts/component.ts';

type Level = 'info' | 'warn' | 'error';

// Messages are a small fixed set, but bound the map anyway (rule 9).
const MAX_KEYS = 64;

/** Logs each distinct message at most once per `intervalMs`. Fields must never hold secrets. */
export class FailureLog {
  private readonly logger: Logger;
  private readonly intervalMs: number;
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(logger: Logger, intervalMs = 10_000) {
    this.logger = logger;
    this.intervalMs = intervalMs;
  }

  log(level: Level, msg: string, fields: Record<string, unknown>): void {
    const now = Date.now();
    const entry = this.last.get(msg);
    if (entry !== undefined && now - entry.at < this.intervalMs) {
      entry.suppressed++;
      return;
    }
    if (entry === undefined && this.last.size >= MAX_KEYS) this.last.clear();
    const suppressed = entry?.suppressed ?? 0;
    this.last.set(msg, { at: now, suppressed: 0 });
    this.logger[level](msg, suppressed > 0 ? { ...fields, suppressed_since_last: suppressed } : fields);
  }
}
