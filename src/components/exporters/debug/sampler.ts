// zap's sampler as Go's debug exporter configures it: per message, per one-second tick, the first
// `initial` entries pass, then every `thereafter`-th; thereafter 1 (the default) passes everything.
const MAX_KEYS = 1024;

/** Decides which log entries pass, by message text. */
export class Sampler {
  private readonly initial: number;
  private readonly thereafter: number;
  private tick = 0;
  private readonly counts = new Map<string, number>();

  constructor(initial: number, thereafter: number) {
    this.initial = initial;
    this.thereafter = thereafter;
  }

  /** Whether an entry with this message is logged now. */
  allow(message: string, nowMs = Date.now()): boolean {
    if (this.thereafter === 1) return true;
    const tick = Math.floor(nowMs / 1000);
    if (tick !== this.tick || this.counts.size >= MAX_KEYS) {
      this.tick = tick;
      this.counts.clear();
    }
    const n = (this.counts.get(message) ?? 0) + 1;
    this.counts.set(message, n);
    if (n <= this.initial) return true;
    return this.thereafter > 0 && (n - this.initial) % this.thereafter === 0;
  }
}
