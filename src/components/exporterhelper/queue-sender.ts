// The bounded in-memory sending queue (Go's memory queue + queue_sender): payloads wait here and
// num_consumers workers send them. A full queue refuses new data with a retryable TG_PIPELINE_BUSY —
// never a silent drop — unless block_on_overflow. The size counts from enqueue until the send ends,
// as Go's does. `drain` sends what is left within a deadline on shutdown. With a persistent store
// (queue-store.ts) each request is stored before the sender is answered, acknowledged once it left
// the queue for good, and what shutdown could not send stays stored for the next start.
import type { ConsumeResult } from '../../contracts/consumer.ts';
import { SUCCESS } from '../../contracts/consumer.ts';
import { EMPTY_CONTEXT, type Payload } from '../../contracts/payload.ts';
import type { QueueConfig, QueueSizer } from '../../config/blocks/queue.ts';
import { TelegateError } from '../../errors/catalogue.ts';
import { payloadByteLength } from '../../pdata/payload-bytes.ts';
import { errorMessage } from '../../errors/thrown.ts';
import { permanentResult } from './export-error.ts';
import { MEMORY_STORE, type QueueStore } from './queue-store.ts';
import { mergePayloads, QueueBatcher, type BatchPiece } from './queue-batch.ts';
import { newEntry, recordAnswer, type Entry } from './queue-entry.ts';
import { RoomSignal } from '../../util/room-signal.ts';

/**
 * telegate's memory bound on top of Go's queue_size when it counts requests or items: Go's default
 * (1,000 batches of ~8,000 spans) can hold gigabytes while a destination is down. Past this many
 * bytes the queue refuses new data with a retryable error, which upstream senders retry, so
 * nothing is lost. `sizer: bytes` sets the bound explicitly instead.
 */
export const QUEUE_MAX_BYTES = 64 * 1024 * 1024;

/** Send one queued payload (retries included) and report the outcome. */
export type QueueSendFn = (payload: Payload) => Promise<ConsumeResult>;

/** What was left when the drain deadline passed. */
export interface Undelivered {
  readonly requests: number;
  readonly items: number;
  /** The payloads themselves, for the caller's accounting. */
  readonly payloads: readonly Payload[];
  /** True when they stay in a persistent store, to be sent after the next start (not dropped). */
  readonly kept: boolean;
  /** Items whose send was still running at the deadline (their outcome is unknown). */
  readonly inFlightItems: number;
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
  private store: QueueStore = MEMORY_STORE;
  /** Requests whose send failed while draining, left in the persistent store. */
  private keptRequests = 0;
  private keptItems = 0;
  private inFlightItems = 0;
  private readonly batcher: QueueBatcher | undefined;
  /** Size of the queued (not yet taken) requests in the batch sizer's units. */
  private queuedBatchUnits = 0;
  /** Room while not full (DESIGN.md §4b); a closed queue says yes, its refusal is immediate. */
  readonly room = new RoomSignal(() => this.closed || this.fits(1, 0));

  constructor(cfg: QueueConfig, send: QueueSendFn, busyRetryAfterMs: number) {
    this.cfg = cfg;
    this.send = send;
    this.busyRetryAfterMs = busyRetryAfterMs;
    if (cfg.batch !== undefined) {
      this.batcher = new QueueBatcher(cfg.batch, () => {
        this.pump();
      });
    }
  }

  /** Current size in sizer units (queued + being sent). */
  get size(): number {
    return this.used;
  }

  get capacity(): number {
    return this.cfg.queue_size;
  }

  /**
   * Backs the queue with `store` and queues what a previous run left in it, oldest first (with an
   * empty request context: contexts are not stored). Call before the first offer.
   */
  useStore(store: QueueStore, signal: Payload['signal']): void {
    this.store = store;
    for (const r of store.recovered) {
      const payload: Payload = { signal, bytes: r.bytes, items: r.items, context: EMPTY_CONTEXT };
      const size = sizeOf(this.cfg.sizer, payload);
      this.used += size;
      this.usedBytes += r.bytes.length;
      this.push(newEntry(payload, size, r.bytes.length, undefined, r.seq, Date.now()));
    }
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
    let id = 0;
    if (this.store.persistent) {
      try {
        id = await this.store.append(payload);
      } catch (err) {
        this.release(size, bytes);
        return storageFailed(err, this.busyRetryAfterMs);
      }
      // Stored but too late to send in this run: it goes out after the next start.
      if (this.isClosed()) {
        this.release(size, bytes);
        return SUCCESS;
      }
    }
    if (!this.cfg.wait_for_result) {
      this.push(newEntry(payload, size, bytes, undefined, id, this.now()));
      return SUCCESS;
    }
    return new Promise<ConsumeResult>((resolve) => {
      this.push(newEntry(payload, size, bytes, resolve, id, this.now()));
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
    // Batches still short of min_size go now.
    this.batcher?.stop();
    this.pump();
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

  /** Read through a call: `closed` may change while offer awaits the store. */
  private isClosed(): boolean {
    return this.closed;
  }

  /** Room for one more entry: within queue_size, and (unless sizer is bytes) within QUEUE_MAX_BYTES. */
  private fits(size: number, bytes: number): boolean {
    if (this.used + size > this.cfg.queue_size) return false;
    return this.cfg.sizer === 'bytes' || this.usedBytes === 0 || this.usedBytes + bytes <= QUEUE_MAX_BYTES;
  }

  private now(): number {
    return this.batcher === undefined ? 0 : Date.now();
  }

  private push(entry: Entry): void {
    this.entries.push(entry);
    if (this.batcher !== undefined) this.queuedBatchUnits += this.batcher.sizeOf(entry.payload);
    this.pump();
  }

  /** Starts consumers while there is work ready for them. */
  private pump(): void {
    while (this.active < this.cfg.num_consumers && this.readyCount() > 0) {
      this.active++;
      void this.work();
    }
  }

  /** Whether a send can start: a queued request without batching, a due batch with. */
  private readyCount(): number {
    if (this.batcher === undefined) return this.head < this.entries.length ? 1 : 0;
    return this.batcher.isDue(this.entries[this.head], this.queuedBatchUnits, this.closed) ? 1 : 0;
  }

  /** The next send's pieces: one whole request without batching, the batcher's batch with. */
  private nextBatch(): BatchPiece<Entry>[] | undefined {
    if (this.readyCount() === 0) return undefined;
    if (this.batcher === undefined) {
      const entry = this.take() as Entry;
      entry.inFlight++;
      return [{ entry, payload: entry.payload }];
    }
    const batch = this.batcher.take<Entry>({ peek: () => this.entries[this.head], pop: () => this.take() });
    this.queuedBatchUnits += batch.grown - batch.units;
    return batch.pieces;
  }

  /** One consumer: sends until nothing is ready. */
  private async work(): Promise<void> {
    for (let batch = this.nextBatch(); batch !== undefined; batch = this.nextBatch()) {
      const payload = mergePayloads(batch);
      this.inFlightItems += payload.items;
      const result = await this.send(payload);
      this.inFlightItems -= payload.items;
      for (const { entry } of batch) this.answered(entry, result);
    }
    this.active--;
    if (this.active === 0 && this.used === 0) {
      this.wake(this.idleWaiters);
      this.idleWaiters = [];
    }
  }

  /**
   * One piece of `entry` was answered. The request leaves the queue (acknowledged in a persistent store,
   * its room released, its waiter answered with the worst answer) once every piece of it was.
   */
  private answered(entry: Entry, result: ConsumeResult): void {
    if (!recordAnswer(entry, result, this.closed)) return;
    this.settle(entry);
    this.release(entry.size, entry.bytes);
    entry.done?.(entry.outcome);
  }

  /**
   * A request left the queue: delivered, or dropped (counted by the caller) — unless a persistent
   * queue is draining and a send of it failed with a retryable error: it then stays stored (whole: a
   * piece already delivered goes again after the restart, a duplicate, as Go's persistent queue does).
   */
  private settle(entry: Entry): void {
    if (!this.store.persistent) return;
    if (entry.keep) {
      this.keptRequests++;
      this.keptItems += entry.payload.items;
      return;
    }
    this.store.ack(entry.id);
  }

  private release(size: number, bytes: number): void {
    this.used -= size;
    this.usedBytes -= bytes;
    const waiter = this.spaceWaiters.shift();
    waiter?.();
    this.room.notify();
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
    this.queuedBatchUnits = 0;
    let items = this.keptItems;
    const payloads: Payload[] = [];
    for (const entry of left) {
      // A request cut and partly sent: what is left of it is what was not delivered.
      const rest = entry.pieces ?? [entry.payload];
      for (const p of rest) items += p.items;
      payloads.push(...rest);
      entry.abandoned = true;
      this.used -= entry.size;
      this.usedBytes -= entry.bytes;
      entry.done?.(shuttingDown());
    }
    return {
      requests: left.length + this.keptRequests,
      items,
      payloads,
      kept: this.store.persistent,
      inFlightItems: this.inFlightItems,
    };
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

function storageFailed(err: unknown, retryAfterMs: number): ConsumeResult {
  const error = new TelegateError(
    'TG_STORAGE_UNAVAILABLE',
    `the persistent sending queue could not store the data (${errorMessage(err)}); the data was refused, retry later`,
    { cause: err, retryAfterMs },
  );
  return { status: 'retryable', error, retryAfterMs };
}

function shuttingDown(): ConsumeResult {
  return {
    status: 'retryable',
    error: new TelegateError('TG_SHUTTING_DOWN', 'the exporter is shutting down and takes no more data'),
  };
}
