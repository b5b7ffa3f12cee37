// A bound on password-hash work for the whole process: at most `slots` checks run at once (bcrypt
// runs on the libuv thread pool, whose default size is 4: more in flight only queue there, delaying
// every fs and dns call of the data path too). A check waits for a slot at most `maxWaitMs`; past
// that, or when too many already wait, it is refused and the client is told when to retry.

/** Default slots: the libuv thread-pool size (UV_THREADPOOL_SIZE, else 4). */
export function threadPoolSize(): number {
  const n = Number(process.env['UV_THREADPOOL_SIZE']);
  return Number.isInteger(n) && n > 0 ? n : 4;
}

// A bcrypt cost-10 check takes ~60–90 ms on a small machine: a second of waiting is ~50 checks queued
// ahead, enough to ride out a burst, short enough that the client's deadline is not spent here.
const DEFAULT_MAX_WAIT_MS = 1000;
const DEFAULT_MAX_WAITERS = 256;

interface Waiter {
  readonly resolve: (granted: boolean) => void;
  readonly timer: NodeJS.Timeout;
}

/** A counting semaphore with a bounded, time-limited wait. */
export class HashWorkLimit {
  readonly slots: number;
  readonly maxWaitMs: number;
  private readonly maxWaiters: number;
  private running = 0;
  private readonly waiters: Waiter[] = [];

  constructor(slots = threadPoolSize(), maxWaitMs = DEFAULT_MAX_WAIT_MS, maxWaiters = DEFAULT_MAX_WAITERS) {
    this.slots = slots;
    this.maxWaitMs = maxWaitMs;
    this.maxWaiters = maxWaiters;
  }

  /** true when a slot is taken at once; otherwise a promise of whether one was granted in time. */
  acquire(): boolean | Promise<boolean> {
    if (this.running < this.slots) {
      this.running++;
      return true;
    }
    if (this.waiters.length >= this.maxWaiters) return false;
    return new Promise((resolve) => {
      const waiter: Waiter = {
        resolve,
        timer: setTimeout(() => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          resolve(false);
        }, this.maxWaitMs).unref(),
      };
      this.waiters.push(waiter);
    });
  }

  /** Returns a slot, handing it straight to the oldest waiter. */
  release(): void {
    const next = this.waiters.shift();
    if (next === undefined) {
      this.running--;
      return;
    }
    clearTimeout(next.timer);
    next.resolve(true);
  }

  /** Checks running now (a gauge). */
  get inFlight(): number {
    return this.running;
  }
}

/** The process-wide limit every basicauth server shares. */
export const HASH_WORK = new HashWorkLimit();
