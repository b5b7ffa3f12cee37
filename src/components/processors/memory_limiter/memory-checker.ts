// Measures the process's memory every check_interval and decides whether data must be refused, as
// Go's internal/memorylimiter: at or above the soft limit (hard − spike) refuse, below it accept.
// Go also forces a GC above the limits; Node can only when started with --expose-gc (global.gc), so
// that step runs when gc is available and is skipped otherwise (V8 collects on its own schedule).
import type { Logger } from '../../../contracts/component.ts';
import type { MemoryLimits } from './config.ts';

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
  /** Forces a full GC; default global.gc when node runs with --expose-gc. */
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
    this.gc = opts.gc ?? (globalThis as { gc?: () => void }).gc;
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

  /** One measurement: force a GC when allowed and needed, then set mustRefuse from the soft limit. */
  check(nowMs = Date.now()): void {
    const { limits } = this.opts;
    let bytes = this.measure();
    if (this.shouldGc(bytes, nowMs) && this.gc !== undefined) {
      this.gc();
      this.lastGcMs = nowMs;
      bytes = this.measure();
    }
    this.lastBytes = bytes;
    const refuse = bytes >= limits.softBytes;
    if (refuse !== this.mustRefuse) this.logTransition(refuse, bytes);
    this.mustRefuse = refuse;
  }

  private shouldGc(bytes: number, nowMs: number): boolean {
    const since = nowMs - this.lastGcMs;
    if (bytes >= this.opts.limits.hardBytes) return since >= this.opts.minGcIntervalHardMs;
    if (bytes >= this.opts.limits.softBytes) return since >= this.opts.minGcIntervalSoftMs;
    return false;
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
