// The bounded in-memory sending queue (Go's memory queue + queue_sender): payloads wait here and
// num_consumers workers send them. A full queue refuses new data with a retryable TG_PIPELINE_BUSY —
// never a silent drop — unless block_on_overflow. The size counts from enqueue until the send ends,
// as Go's does. `drain` sends what is left within a deadline on shutdown.
import type { ConsumeResult } from '../../contracts/consumer.ts';
import { SUCCESS } from '../../contracts/consumer.ts';
import type { Payload } from '../../contracts/payload.ts';
import type { QueueConfig, QueueSizer } from '../../config/blocks/queue.ts';
import { TelegateError } from '../../errors/catalogue.ts';
import { payloadByteLength } from '../../pdata/payload-bytes.ts';
import { permanentResult } from './export-error.ts';
import { RoomSignal } from '../../util/room-signal.ts';

/**
 * telegate's memory bound on top of Go's queue_size when it counts requests or items: Go's default
 * (1,000 batches of ~8,000 spans) can hold gigabytes while a destination is down. Past this many
 * bytes the queue refuses new data with a retryable error, which upstream senders retry, so
 * nothing is lost. `sizer: bytes` sets the bound explicitly instead.
 */
export const QUEUE_MAX_BYTES = 64 * 1024 * 1024;

interface Entry {
  readonly payload: Payload;
  readonly size: number;
  /** The payload's byte length, counted once (a batch's `bytes` would concatenate its parts). */
  readonly bytes: number;
  /** Set with wait_for_result: the caller awaits the send's outcome. */
  readonly done: ((r: ConsumeResult) => void) | undefined;
}

/** Send one queued payload (retries included) and report the outcome. */
export type QueueSendFn = (payload: Payload) => Promise<ConsumeResult>;

/** What was left when the drain deadline passed. */
export interface Undelivered {
  readonly requests: number;
  readonly items: number;
  /** The payloads themselves, for the caller's accounting. */
  readonly payloads: readonly Payload[];
}

/** A bounded queue and its workers. */
export class QueueSender {
  private readonly cfg: QueueConfig;
  private readonly send: QueueSendFn;
  private readonly busyRetryAfterMs: number;
  private entries: Entry[] = [];
  private head = 0;
  private used = 0;
  private usedBytes = 0;
  private active = 0;
  private closed = false;
  private spaceWaiters: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];
  /** Room while not full (DESIGN.md §4b); a closed queue says yes, its refusal is immediate. */
  readonly room = new RoomSignal(() => this.closed || this.fits(1, 0));

  constructor(cfg: QueueConfig, send: QueueSendFn, busyRetryAfterMs: number) {
    this.cfg = cfg;
    this.send = send;
    this.busyRetryAfterMs = busyRetryAfterMs;
  }

  /** Current size in sizer units (queued + being sent). */
  get size(): number {
    return this.used;
  }

  get capacity(): number {
    return this.cfg.queue_size;
  }

  /** Enqueues `payload`; answers at once (or, with wait_for_result, once it was sent). */
  async offer(payload: Payload): Promise<ConsumeResult> {
    const size = sizeOf(this.cfg.sizer, payload);
    if (size > this.cfg.queue_size) {
      return permanentResult(
        `the request (${size} ${this.cfg.sizer}) is larger than the whole sending queue (queue_size ${this.cfg.queue_size})`,
        '_OTHER',
      );
    }
    const bytes = payloadByteLength(payload);
    while (!this.fits(size, bytes)) {
      if (this.closed) return shuttingDown();
      if (!this.cfg.block_on_overflow) return this.busy();
      await new Promise<void>((resolve) => this.spaceWaiters.push(resolve));
    }
    if (this.closed) return shuttingDown();
    this.used += size;
    this.usedBytes += bytes;
    if (!this.cfg.wait_for_result) {
      this.push({ payload, size, bytes, done: undefined });
      return SUCCESS;
    }
    return new Promise<ConsumeResult>((resolve) => {
      this.push({ payload, size, bytes, done: resolve });
    });
  }

  /**
   * Refuses new data and waits until everything queued was sent, or `deadlineMs` passed. What is
   * left then is removed, its waiters answered with a retryable shutdown error, and returned.
   */
  async drain(deadlineMs: number): Promise<Undelivered> {
    this.closed = true;
    this.wake(this.spaceWaiters);
    this.spaceWaiters = [];
    if (this.used > 0) {
      await new Promise<void>((resolve) => {
        // Ref'd on purpose: shutdown must reach its deadline (and log what is lost) before the process exits.
        const timer = setTimeout(resolve, deadlineMs);
        this.idleWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.takeRemaining();
  }

  /** Room for one more entry: within queue_size, and (unless sizer is bytes) within QUEUE_MAX_BYTES. */
  private fits(size: number, bytes: number): boolean {
    if (this.used + size > this.cfg.queue_size) return false;
    return this.cfg.sizer === 'bytes' || this.usedBytes === 0 || this.usedBytes + bytes <= QUEUE_MAX_BYTES;
  }

  private push(entry: Entry): void {
    this.entries.push(entry);
    while (this.active < this.cfg.num_consumers && this.head < this.entries.length) {
      this.active++;
      void this.work();
    }
  }

  /** One consumer: sends entries until the queue is empty. */
  private async work(): Promise<void> {
    for (let entry = this.take(); entry !== undefined; entry = this.take()) {
      const result = await this.send(entry.payload);
      this.used -= entry.size;
      this.usedBytes -= entry.bytes;
      entry.done?.(result);
      const waiter = this.spaceWaiters.shift();
      waiter?.();
      this.room.notify();
    }
    this.active--;
    if (this.active === 0 && this.used === 0) {
      this.wake(this.idleWaiters);
      this.idleWaiters = [];
    }
  }

  private take(): Entry | undefined {
    if (this.head >= this.entries.length) return undefined;
    const entry = this.entries[this.head];
    this.entries[this.head++] = undefined as unknown as Entry;
    // Compact now and then so the array does not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    return entry;
  }

  private takeRemaining(): Undelivered {
    const left = this.entries.slice(this.head);
    this.entries = [];
    this.head = 0;
    let items = 0;
    for (const entry of left) {
      items += entry.payload.items;
      this.used -= entry.size;
      this.usedBytes -= entry.bytes;
      entry.done?.(shuttingDown());
    }
    return { requests: left.length, items, payloads: left.map((e) => e.payload) };
  }

  private busy(): ConsumeResult {
    const error = new TelegateError(
      'TG_PIPELINE_BUSY',
      this.used < this.cfg.queue_size
        ? `the sending queue is full (${Math.round(this.usedBytes / 1048576)} MiB held, the bound is ${QUEUE_MAX_BYTES / 1048576} MiB; set sizer: bytes to choose another); the data was refused, retry later`
        : `the sending queue is full (${this.cfg.queue_size} ${this.cfg.sizer}); the data was refused, retry later`,
      { retryAfterMs: this.busyRetryAfterMs },
    );
    return { status: 'retryable', error, retryAfterMs: this.busyRetryAfterMs };
  }

  private wake(waiters: (() => void)[]): void {
    for (const w of waiters) w();
  }
}

function sizeOf(sizer: QueueSizer, payload: Payload): number {
  if (sizer === 'requests') return 1;
  return sizer === 'items' ? payload.items : payloadByteLength(payload);
}

function shuttingDown(): ConsumeResult {
  return {
    status: 'retryable',
    error: new TelegateError('TG_SHUTTING_DOWN', 'the exporter is shutting down and takes no more data'),
  };
}
