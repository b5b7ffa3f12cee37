// Hot path: see bench/micro/batch.bench.ts and bench/load.
// One batch: pending request bytes (sent as parts of one payload — two serialized Export*ServiceRequest
// messages concatenated are one valid message — concatenated only when split), the batches ready to
// go, and the sender that hands them downstream one at a time, in order, retrying a batch the
// downstream refused with a retryable error. One shard per distinct metadata_keys combination (Go's `shard`).
import type { ConsumeResult } from '../../../contracts/consumer.ts';
import { EMPTY_CONTEXT, type DeflatePiece, type Payload, type RequestContext } from '../../../contracts/payload.ts';
import type { Room } from '../../../contracts/room.ts';
import type { Signal } from '../../../contracts/signal.ts';
import { PartsPayload } from '../../../pdata/payload-bytes.ts';
import { splitRequest } from '../../../pdata/split.ts';

/** What caused a batch to be sent (the metric it counts toward). */
export type Trigger = 'size' | 'timeout';

/**
 * A batch cut from the pending data, waiting to be sent. The payload is made once, so retries and a
 * fan-out downstream share it (and its lazily concatenated `bytes`); `items` and `byteLength` are
 * the processor's own accounting, whatever downstream does to the payload.
 */
export interface ReadyBatch {
  readonly payload: Payload;
  readonly items: number;
  readonly byteLength: number;
  readonly trigger: Trigger;
}

/** What a shard needs from its processor. */
export interface ShardOwner {
  readonly signal: Signal;
  readonly timeoutMs: number;
  readonly sendBatchSize: number;
  readonly sendBatchMaxSize: number;
  isStopping(): boolean;
  /** Hands a batch downstream; never rejects. */
  send(batch: ReadyBatch): Promise<ConsumeResult>;
  /** A batch left the shard (sent, or dropped with `result`): metrics, accounting, logging. */
  settle(batch: ReadyBatch, result: ConsumeResult): void;
  /** The batch could not be formed (malformed bytes): count and log. */
  discard(items: number, bytes: number, error: unknown): void;
  /** The shard holds nothing and sends nothing. */
  onIdle(shard: Shard): void;
  /** The downstream's room, when it can fill up: a retry wait ends early when room comes back. */
  nextRoom(): Room | undefined;
}

// Backoff between attempts of a batch refused with a retryable error and no retry advice.
const RETRY_INITIAL_MS = 100;
const RETRY_MAX_MS = 5_000;
// Pending data from requests with different contexts is sent with an empty one.
const MIXED: RequestContext = Object.freeze({});

/** One batcher. */
export class Shard {
  /** The metadata_keys combination this shard batches ('' for the single shard). */
  readonly key: string;
  private readonly owner: ShardOwner;
  /** With metadata_keys: the context every batch of this shard carries; else null (inputs decide). */
  private readonly fixedContext: RequestContext | null;
  private pending: Buffer[] = [];
  private pendingItems = 0;
  private pendingBytes = 0;
  /** The pending requests as deflate pieces while every one of them came with its own, else null. */
  private pendingGzip: DeflatePiece[] | null = [];
  /** The context shared by every pending request, MIXED, or null while nothing is pending. */
  private pendingContext: RequestContext | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly ready: ReadyBatch[] = [];
  private sending: Promise<void> | null = null;
  private attempts = 0;
  private wakeRetry: (() => void) | null = null;

  constructor(owner: ShardOwner, key: string, fixedContext: RequestContext | null) {
    this.key = key;
    this.owner = owner;
    this.fixedContext = fixedContext;
  }

  /**
   * Adds a request of `items` (> 0) items and `byteLength` bytes, given as its bytes or its parts;
   * sends what the size trigger (or timeout 0) releases. `gzip`: the request as deflate pieces (Payload.deflatePieces).
   */
  add(
    chunks: Buffer | readonly Buffer[],
    byteLength: number,
    items: number,
    context: RequestContext,
    gzip?: readonly DeflatePiece[],
  ): void {
    if (Buffer.isBuffer(chunks)) this.pending.push(chunks);
    else for (const part of chunks) this.pending.push(part);
    if (gzip === undefined) this.pendingGzip = null;
    else if (this.pendingGzip !== null) for (const piece of gzip) this.pendingGzip.push(piece);
    this.pendingItems += items;
    this.pendingBytes += byteLength;
    this.pendingContext = this.pendingContext === null || this.pendingContext === context ? context : MIXED;
    const o = this.owner;
    // Go: without a timer (timeout 0 or send_batch_size 0) everything is sent at once.
    const timed = o.timeoutMs > 0 && o.sendBatchSize > 0;
    if (!timed) this.cut('size', true);
    else if (this.pendingItems >= o.sendBatchSize) {
      this.cut('size', false);
      this.stopTimer();
    }
    if (timed && this.pendingItems > 0 && this.timer === null) {
      this.timer = setTimeout(this.onTimeout, o.timeoutMs);
      this.timer.unref();
    }
    this.pump();
  }

  /** Shutdown: sends everything pending now, without waiting between retries; resolves when done. */
  flush(): Promise<void> {
    this.stopTimer();
    if (this.pendingItems > 0) this.cut('timeout', true);
    this.wakeRetry?.();
    this.pump();
    return this.sending ?? Promise.resolve();
  }

  /** True when the shard holds no data and sends nothing. */
  isIdle(): boolean {
    return this.pendingItems === 0 && this.ready.length === 0 && this.sending === null;
  }

  private readonly onTimeout = (): void => {
    this.timer = null;
    if (this.pendingItems > 0) this.cut('timeout', true);
    this.pump();
  };

  private stopTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * Moves pending data to the ready list in batches of at most send_batch_max_size items. With
   * `all` false (size trigger) a remainder smaller than send_batch_size stays pending, as in Go.
   */
  private cut(trigger: Trigger, all: boolean): void {
    const o = this.owner;
    const chunks = this.pending;
    const items = this.pendingItems;
    const byteLength = this.pendingBytes;
    const gzip = this.pendingGzip;
    this.pendingGzip = [];
    const context =
      this.fixedContext ??
      (this.pendingContext === MIXED || this.pendingContext === null ? EMPTY_CONTEXT : this.pendingContext);
    this.pending = [];
    this.pendingItems = 0;
    this.pendingBytes = 0;
    if (o.sendBatchMaxSize === 0 || items <= o.sendBatchMaxSize) {
      // No split: the requests' own Buffers become the batch's parts; no concatenation here.
      this.pendingContext = null;
      const [only] = chunks;
      const deflatePieces = gzip === null || gzip.length === 0 ? undefined : gzip;
      const payload: Payload =
        chunks.length === 1 && only !== undefined
          ? { signal: o.signal, bytes: only, items, context, ...(deflatePieces && { deflatePieces }) }
          : new PartsPayload(o.signal, chunks, byteLength, items, context, deflatePieces);
      this.ready.push({ payload, items, byteLength, trigger });
      return;
    }
    this.cutSplit(trigger, all, chunks, byteLength, items, context);
  }

  /** Splitting needs the contiguous request: concatenate, split, keep a small remainder pending. */
  private cutSplit(
    trigger: Trigger,
    all: boolean,
    chunks: readonly Buffer[],
    byteLength: number,
    items: number,
    context: RequestContext,
  ): void {
    const o = this.owner;
    const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, byteLength);
    let parts: { bytes: Buffer; items: number }[];
    try {
      parts = splitRequest(o.signal, bytes, o.sendBatchMaxSize);
    } catch (err) {
      this.pendingContext = null;
      o.discard(items, byteLength, err);
      return;
    }
    let remaining = items;
    let i = 0;
    for (; i < parts.length && (all || remaining >= o.sendBatchSize); i++) {
      const part = parts[i] as { bytes: Buffer; items: number };
      const payload: Payload = { signal: o.signal, bytes: part.bytes, items: part.items, context };
      this.ready.push({ payload, items: part.items, byteLength: part.bytes.length, trigger });
      remaining -= part.items;
    }
    for (; i < parts.length; i++) {
      const part = parts[i] as { bytes: Buffer; items: number };
      this.pending.push(part.bytes);
      this.pendingItems += part.items;
      this.pendingBytes += part.bytes.length;
    }
    if (this.pendingItems === 0) this.pendingContext = null;
  }

  private pump(): void {
    if (this.sending !== null || this.ready.length === 0) return;
    this.sending = this.drain().finally(() => {
      this.sending = null;
      // A batch cut while the last send was settling starts a new drain.
      if (this.ready.length > 0) this.pump();
      else if (this.isIdle()) this.owner.onIdle(this);
    });
  }

  private async drain(): Promise<void> {
    const o = this.owner;
    for (let batch = this.ready[0]; batch !== undefined; batch = this.ready[0]) {
      const result = await o.send(batch);
      if (result.status === 'retryable' && !o.isStopping()) {
        await this.waitToRetry(result.retryAfterMs);
        continue;
      }
      this.ready.shift();
      this.attempts = 0;
      o.settle(batch, result);
    }
  }

  private waitToRetry(retryAfterMs: number | undefined): Promise<void> {
    const backoff = Math.min(RETRY_MAX_MS, RETRY_INITIAL_MS * 2 ** this.attempts);
    this.attempts++;
    const delay = retryAfterMs !== undefined && retryAfterMs > 0 ? Math.min(retryAfterMs, 30_000) : backoff;
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        off?.();
        this.wakeRetry = null;
        resolve();
      };
      const timer = setTimeout(done, delay);
      timer.unref();
      this.wakeRetry = done;
      // A downstream that refused for lack of room says when it has some (after one of its sends ended):
      // retry then, not a backoff later.
      const off = this.owner.nextRoom()?.onRoom(done);
    });
  }
}
