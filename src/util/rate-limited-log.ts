// Rate-limited logging (STYLE.md rule 8): a failure that repeats must not flood the log. Each key logs
// at most once per interval; what it holds back is counted and reported, with the next line or in a
// summary when the interval ends, so a burst that stops is still told in full.
import type { Logger } from '../contracts/component.ts';

/** The levels a rate-limited line may use. */
export type RateLimitedLevel = 'debug' | 'info' | 'warn' | 'error';

/** Limits of a RateLimitedLog. */
export interface RateLimitedLogOptions {
  /** At most one line per key per this many milliseconds (default 10 s). */
  readonly intervalMs?: number | undefined;
  /** Keys remembered at once (default 64); the oldest is summarised and forgotten past it (rule 9). */
  readonly maxKeys?: number | undefined;
}

/** How one event is logged: its key (default: the message) and numbers summed over the held-back events. */
export interface RateLimitedEvent {
  readonly key?: string;
  readonly counts?: Readonly<Record<string, number>>;
}

interface Held {
  readonly level: RateLimitedLevel;
  readonly msg: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

interface Entry {
  /** When the last line of this key was written. */
  at: number;
  /** Events not written since that line. */
  suppressed: number;
  /** Sums of `counts` over the events since that line. */
  counts: Record<string, number>;
  /** The latest held-back event, written by the summary. */
  held: Held | undefined;
  timer: NodeJS.Timeout | undefined;
}

const DEFAULT_INTERVAL_MS = 10_000;
const DEFAULT_MAX_KEYS = 64;

/** Logs each key at most once per interval; fields must never hold secrets. */
export class RateLimitedLog {
  private readonly logger: Logger;
  private readonly intervalMs: number;
  private readonly maxKeys: number;
  private readonly entries = new Map<string, Entry>();

  constructor(logger: Logger, options: RateLimitedLogOptions = {}) {
    this.logger = logger;
    this.intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
    this.maxKeys = Math.max(1, options.maxKeys ?? DEFAULT_MAX_KEYS);
  }

  /** Writes the line now, or holds it back (counted) when its key wrote one within the interval. */
  log(level: RateLimitedLevel, msg: string, fields: Readonly<Record<string, unknown>>, event?: RateLimitedEvent): void {
    const key = event?.key ?? msg;
    const now = Date.now();
    const entry = this.entries.get(key) ?? this.add(key, now);
    addCounts(entry.counts, event?.counts);
    if (now - entry.at < this.intervalMs) {
      entry.suppressed++;
      entry.held = { level, msg, fields };
      entry.timer ??= this.summaryTimer(key, entry, entry.at + this.intervalMs - now);
      return;
    }
    this.write(entry, { level, msg, fields }, entry.suppressed, now);
  }

  /** Writes the summaries still held back and stops every timer. The log stays usable. */
  close(): void {
    for (const entry of this.entries.values()) this.flush(entry);
    this.entries.clear();
  }

  private add(key: string, now: number): Entry {
    if (this.entries.size >= this.maxKeys) this.evictOldest();
    // A new key logs at once: it starts as if its last line were an interval ago.
    const entry: Entry = { at: now - this.intervalMs, suppressed: 0, counts: {}, held: undefined, timer: undefined };
    this.entries.set(key, entry);
    return entry;
  }

  private evictOldest(): void {
    const [key, entry] = this.entries.entries().next().value ?? [];
    if (key === undefined || entry === undefined) return;
    this.flush(entry);
    this.entries.delete(key);
  }

  private summaryTimer(key: string, entry: Entry, delayMs: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      entry.timer = undefined;
      if (this.entries.get(key) === entry) this.flush(entry);
    }, delayMs);
    // A pending summary never keeps the process alive.
    timer.unref();
    return timer;
  }

  /** Writes the latest held-back event (the others it stands for counted), if any. */
  private flush(entry: Entry): void {
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    entry.timer = undefined;
    if (entry.held !== undefined) this.write(entry, entry.held, entry.suppressed - 1, Date.now());
  }

  private write(entry: Entry, line: Held, suppressed: number, now: number): void {
    const fields: Record<string, unknown> = { ...line.fields, ...entry.counts };
    if (suppressed > 0) fields.suppressed_since_last = suppressed;
    this.logger[line.level](line.msg, fields);
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    entry.at = now;
    entry.suppressed = 0;
    entry.counts = {};
    entry.held = undefined;
    entry.timer = undefined;
  }
}

function addCounts(into: Record<string, number>, counts: Readonly<Record<string, number>> | undefined): void {
  if (counts === undefined) return;
  for (const [name, n] of Object.entries(counts)) into[name] = (into[name] ?? 0) + n;
}
