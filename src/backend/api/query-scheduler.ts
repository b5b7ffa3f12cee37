// Query work shares the event loop with ingestion (DESIGN.md §5): the scheduler admits a bounded number
// of queries at once (the rest are refused with retry information) and gives the admitted ones, together,
// at most one time slice per turn of the loop, so OTLP requests and cheap endpoints wait at most a slice.
// Measured in bench/store (ingest p99 with and without 20 heavy searches).

/** Limits of a QueryScheduler. */
export interface QuerySchedulerOptions {
  /** Queries running at once; more are refused (503 with Retry-After). */
  readonly maxConcurrent: number;
  /** Query work done per turn of the event loop, all queries together, in ms. */
  readonly sliceMs: number;
}

/** A running query's hold on the scheduler; `release` is idempotent. */
export interface QueryTicket {
  release(): void;
}

/** Admission and time slicing of query work. */
export class QueryScheduler {
  private readonly opts: QuerySchedulerOptions;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private sliceEnd = 0;
  private scheduled = false;
  /** Queries refused since start (for tests and telemetry). */
  refused = 0;

  constructor(opts: QuerySchedulerOptions) {
    this.opts = opts;
  }

  /** Queries running now. */
  get active(): number {
    return this.running;
  }

  /** A ticket when there is room for one more query; undefined (counted) when there is not. */
  admit(): QueryTicket | undefined {
    if (this.running >= this.opts.maxConcurrent) {
      this.refused++;
      return undefined;
    }
    this.running++;
    let held = true;
    return {
      release: () => {
        if (held) this.running--;
        held = false;
      },
    };
  }

  /**
   * Undefined while the current slice lasts (go on); otherwise a promise resolved when the caller's turn
   * comes. Callers take turns in arrival order, one per loop turn, each for up to one slice.
   */
  checkpoint(): Promise<void> | undefined {
    if (performance.now() < this.sliceEnd) return undefined;
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // setImmediate runs after the poll phase: I/O ready now (OTLP requests) is served before the next slice.
    setImmediate(this.turn);
  }

  private readonly turn = (): void => {
    this.scheduled = false;
    const next = this.waiting.shift();
    if (next === undefined) return;
    this.sliceEnd = performance.now() + this.opts.sliceMs;
    next();
    if (this.waiting.length > 0) this.schedule();
  };
}
