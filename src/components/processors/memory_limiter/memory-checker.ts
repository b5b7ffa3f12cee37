// Measures the process's memory every check_interval and decides whether data must be refused, as
// Go's internal/memorylimiter: at or above the soft limit (hard − spike) refuse, below it accept.
// Go also forces a GC above the limits, and so does this (util/force-gc.ts): a collector marks its heap
// only at the heap limit (service/gc-mode.ts), so a reading may include garbage a GC would free.
import type { Logger } from '../../../contracts/component.ts';
import type { MemoryLimits } from './config.ts';
import { forceGcFunction } from '../../../util/force-gc.ts';

const MIB = 1024 * 1024;

/**
 * The memory compared with the limits: live JS heap plus memory outside it (Buffers: every payload
 * is one). This is what Go's limiter reads (runtime.MemStats.Alloc, live heap objects), not RSS,
 * which keeps freed pages and would hold the limiter in refusal long after the data has gone.
 */
export function measureMemoryBytes(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external; // external already includes arrayBuffers
}

/** What the checker needs besides the limits; tests replace the clock-free parts. */
export interface CheckerOptions {
  readonly limits: MemoryLimits;
  readonly checkIntervalMs: number;
  readonly minGcIntervalSoftMs: number;
  readonly minGcIntervalHardMs: number;
  readonly logger: Logger;
  readonly measure?: () => number;
  /** Forces a full GC; default forceGcFunction(); undefined only when V8 gives none. */
  readonly gc?: (() => void) | undefined;
}

/** The periodic check and the refusal state it leaves. */
export class MemoryChecker {
  private readonly opts: CheckerOptions;
  private readonly measure: () => number;
  private readonly gc: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastGcMs = 0;
  /** Whether data is refused now (set by the last check). */
  mustRefuse = false;
  /** The last measurement in bytes. */
  lastBytes = 0;

  constructor(opts: CheckerOptions) {
    this.opts = opts;
    this.measure = opts.measure ?? measureMemoryBytes;
    this.gc = 'gc' in opts ? opts.gc : forceGcFunction();
  }

  /** Checks now, then every check interval. Idempotent. */
  start(): void {
    if (this.timer !== undefined) return;
    this.check();
    this.timer = setInterval(() => {
      this.check();
    }, this.opts.checkIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * One measurement, as Go's CheckMemLimits: at or above the soft limit force a GC, at most every
   * min_gc_interval_when_hard_limited above the hard limit and every min_gc_interval_when_soft_limited
   * below it, and decide on the reading after it. While refusing too: garbage left from before the
   * refusal is freed only by a collection, and an idle process may not run one by itself.
   */
  check(nowMs = Date.now()): void {
    const { limits } = this.opts;
    let bytes = this.measure();
    if (bytes >= limits.softBytes) {
      const hard = bytes >= limits.hardBytes;
      bytes = this.gcIfDue(bytes, nowMs, hard ? this.opts.minGcIntervalHardMs : this.opts.minGcIntervalSoftMs);
    }
    this.lastBytes = bytes;
    const refuse = bytes >= limits.softBytes;
    if (refuse !== this.mustRefuse) this.logTransition(refuse, bytes);
    this.mustRefuse = refuse;
  }

  /** Forces a GC when one is available and the last is `minIntervalMs` old; returns the new reading. */
  private gcIfDue(bytes: number, nowMs: number, minIntervalMs: number): number {
    if (this.gc === undefined || nowMs - this.lastGcMs < minIntervalMs) return bytes;
    this.gc();
    this.lastGcMs = nowMs;
    return this.measure();
  }

  private logTransition(refuse: boolean, bytes: number): void {
    const fields = {
      cur_mem_mib: Math.round(bytes / MIB),
      soft_limit_mib: Math.round(this.opts.limits.softBytes / MIB),
    };
    if (refuse) this.opts.logger.warn('Memory usage is above soft limit. Refusing data.', fields);
    else this.opts.logger.info('Memory usage back within limits. Resuming normal operation.', fields);
  }
}
