// The request bytes a receiver holds in memory across all its connections (DESIGN.md §4b: "memory is
// budgeted across all requests in flight, not only per message"). A body reserves what it will hold before
// it is buffered; past the limit it waits — its stream paused, so flow control holds the client — within a
// bound, or is refused. Reserving and releasing is an integer add/subtract: the hot path pays nothing more.

/** How a wait for room in the budget ended. */
export type BudgetWait = 'admitted' | 'timeout' | 'waiting-full' | 'gone';

interface Waiter {
  readonly bytes: number;
  readonly settle: (outcome: BudgetWait) => void;
}

/** A semaphore over bytes with a bounded, first-come-first-served line of waiters. */
export class ByteBudget {
  private readonly limitBytes: number;
  private readonly waitingLimitBytes: number;
  private held = 0;
  private waiting = 0;
  private readonly waiters: Waiter[] = [];

  /** `limitBytes` is held at most (one request larger than it passes alone); `waitingLimitBytes` may wait. */
  constructor(limitBytes: number, waitingLimitBytes: number) {
    this.limitBytes = limitBytes;
    this.waitingLimitBytes = waitingLimitBytes;
  }

  /** Bytes reserved now. */
  get heldBytes(): number {
    return this.held;
  }

  /** Bytes asked for by requests waiting now. */
  get waitingBytes(): number {
    return this.waiting;
  }

  /**
   * Reserves `bytes` when they fit now and nobody waits before (first come, first served). A request
   * larger than the whole limit fits when nothing else is held, so that it is slow, never stuck.
   */
  tryAcquire(bytes: number): boolean {
    if (this.waiters.length > 0 || !this.fits(bytes)) return false;
    this.held += bytes;
    return true;
  }

  /**
   * Waits for `bytes` at most `timeoutMs`, or until `signal` aborts (the client left). Refused at once
   * ('waiting-full') when the line already asks for waiting_limit: a waiter holds its stream and what
   * flow control let in, so the line is bounded too. 'admitted' means the bytes are reserved.
   */
  acquire(bytes: number, timeoutMs: number, signal?: AbortSignal): Promise<BudgetWait> {
    if (this.tryAcquire(bytes)) return Promise.resolve('admitted');
    if (this.waiting > 0 && this.waiting + bytes > this.waitingLimitBytes) return Promise.resolve('waiting-full');
    if (timeoutMs <= 0 || signal?.aborted === true) return Promise.resolve(timeoutMs <= 0 ? 'timeout' : 'gone');
    return new Promise((resolve) => {
      const settle = (outcome: BudgetWait): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      const waiter: Waiter = { bytes, settle };
      const onAbort = (): void => {
        this.leave(waiter, 'gone');
      };
      const timer = setTimeout(() => {
        this.leave(waiter, 'timeout');
      }, timeoutMs);
      signal?.addEventListener('abort', onAbort);
      this.waiters.push(waiter);
      this.waiting += bytes;
    });
  }

  /** Returns `bytes` reserved before, and lets in the waiters that now fit, in order. */
  release(bytes: number): void {
    this.held -= bytes;
    if (this.waiters.length > 0) this.admitWaiters();
  }

  private fits(bytes: number): boolean {
    return this.held + bytes <= this.limitBytes || this.held === 0;
  }

  private admitWaiters(): void {
    let first = this.waiters[0];
    while (first !== undefined && this.fits(first.bytes)) {
      this.waiters.shift();
      this.waiting -= first.bytes;
      this.held += first.bytes;
      first.settle('admitted');
      first = this.waiters[0];
    }
  }

  private leave(waiter: Waiter, outcome: BudgetWait): void {
    const at = this.waiters.indexOf(waiter);
    if (at < 0) return;
    this.waiters.splice(at, 1);
    this.waiting -= waiter.bytes;
    waiter.settle(outcome);
    // The head of the line may have blocked smaller requests behind it that fit now.
    if (at === 0 && this.waiters.length > 0) this.admitWaiters();
  }
}

/** What a server needs to hold request bodies to a budget; built by a receiver from its `admission` config. */
export interface BodyBudget {
  readonly budget: ByteBudget;
  /** The longest a body waits for room in the budget (the receiver's backpressure_timeout). */
  readonly maxWaitMs: number;
  /** The delay advised to a refused client (RetryInfo / Retry-After). */
  readonly retryAfterMs: number;
  /** Counts a request refused for lack of budget. */
  readonly onRefused: () => void;
}

/** The message a refused client reads. */
export function overBudgetMessage(outcome: BudgetWait, budget: ByteBudget, maxWaitMs: number): string {
  const why =
    outcome === 'waiting-full'
      ? 'too many requests already wait for memory (admission.waiting_limit_mib)'
      : `no memory came free within ${maxWaitMs} ms (admission.request_limit_mib; backpressure_timeout)`;
  return `the receiver holds ${budget.heldBytes} bytes of requests in flight: ${why}; the data was refused, not dropped: retry later`;
}
