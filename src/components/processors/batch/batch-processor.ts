// Hot path: see bench/micro/batch.bench.ts.
// The `batch` processor: gathers requests into batches of their bytes laid end to end (a payload of
// parts, concatenated only if a consumer needs it contiguous — see pdata/payload-bytes.ts), sends a batch
// when it reaches send_batch_size items or when `timeout` has passed since its first item, and keeps
// one batch per metadata_keys combination. `consume` answers as soon as the data is in a batch (as
// Go), but the data held is bounded: past a few batches, new data is refused with a retryable error.
import type { Component, CreateSettings } from '../../../contracts/component.ts';
import { SUCCESS, type ConsumeResult, type Consumer } from '../../../contracts/consumer.ts';
import type { Payload, RequestContext } from '../../../contracts/payload.ts';
import type { Room } from '../../../contracts/room.ts';
import type { Signal } from '../../../contracts/signal.ts';
import { TelegateError } from '../../../errors/catalogue.ts';
import { countItems } from '../../../pdata/count.ts';
import { payloadByteLength } from '../../../pdata/payload-bytes.ts';
import type { BatchConfig } from './config.ts';
import { BatchMetrics, type RefuseReason } from './metrics.ts';
import { Shard, type ReadyBatch, type ShardOwner } from './shard.ts';
import { toError } from '../../../errors/thrown.ts';
import { RateLimitedLog } from '../../../util/rate-limited-log.ts';
import { RoomSignal } from '../../../util/room-signal.ts';

// How much unsent data may be held, in batches of send_batch_max_size (or send_batch_size) items,
// and in bytes whatever the batch size.
const HELD_BATCHES = 4;
const MAX_HELD_BYTES = 64 * 1024 * 1024;
const DEFAULT_BATCH_ITEMS = 8192;

/** The batch processor of one pipeline. */
export class BatchProcessor implements Component, Consumer, ShardOwner {
  readonly signal: Signal;
  readonly timeoutMs: number;
  readonly sendBatchSize: number;
  readonly sendBatchMaxSize: number;
  private readonly next: Consumer;
  private readonly metrics: BatchMetrics;
  private readonly metadataKeys: readonly string[];
  private readonly cardinalityLimit: number;
  private readonly single: Shard | null;
  private readonly shards = new Map<string, Shard>();
  private readonly maxHeldItems: number;
  private heldItems = 0;
  private heldBytes = 0;
  private stopping = false;
  private stopped: Promise<void> | null = null;
  // Failures are logged at most once per interval (STYLE.md rule 8).
  private readonly failureLog: RateLimitedLog;
  /** Room while the data held is under its bound (DESIGN.md §4b): receivers wait on it instead of being refused. */
  readonly room = new RoomSignal(() => this.stopping || !this.isFull());

  constructor(settings: CreateSettings, cfg: BatchConfig, signal: Signal, next: Consumer) {
    this.signal = signal;
    this.timeoutMs = cfg.timeout;
    this.sendBatchSize = cfg.send_batch_size;
    this.sendBatchMaxSize = cfg.send_batch_max_size;
    this.next = next;
    this.failureLog = new RateLimitedLog(settings.logger);
    // Lower-cased like HTTP/2 header names, sorted so that a combination has one key.
    this.metadataKeys = [...new Set(cfg.metadata_keys.map((k) => k.toLowerCase()))].sort();
    this.cardinalityLimit = cfg.metadata_cardinality_limit;
    this.single = this.metadataKeys.length === 0 ? new Shard(this, '', null) : null;
    this.maxHeldItems = HELD_BATCHES * (cfg.send_batch_max_size || cfg.send_batch_size || DEFAULT_BATCH_ITEMS);
    this.metrics = new BatchMetrics(settings.telemetry, settings.id.id, () =>
      this.single !== null ? 1 : this.shards.size,
    );
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  /** Flushes every batch and waits until each was handed downstream (or dropped). Idempotent. */
  shutdown(): Promise<void> {
    this.stopping = true;
    this.stopped ??= Promise.all([...this.allShards()].map((s) => s.flush())).then(() => {
      this.failureLog.close();
    });
    return this.stopped;
  }

  consume(payload: Payload): Promise<ConsumeResult> {
    if (!(payload.items >= 0)) payload.items = countItems(payload.signal, payload.bytes);
    const items = payload.items;
    if (this.stopping)
      return this.refuse('shutdown', items, 'TG_SHUTTING_DOWN', 'the batch processor is shutting down');
    // Go drops requests without items.
    if (items === 0) return Promise.resolve(SUCCESS);
    if (this.isFull()) {
      return this.refuse('backpressure', items, 'TG_PIPELINE_BUSY', 'the batch processor holds too much unsent data');
    }
    const shard = this.single ?? this.shardFor(payload.context);
    if (shard === undefined) {
      return this.refuse('cardinality', items, 'TG_PIPELINE_BUSY', 'too many batcher metadata-value combinations');
    }
    // Parts (a batch from an upstream batch processor) are taken as they are, without concatenating.
    const byteLength = payloadByteLength(payload);
    this.heldItems += items;
    this.heldBytes += byteLength;
    shard.add(payload.parts ?? payload.bytes, byteLength, items, payload.context, payload.deflatePieces);
    return Promise.resolve(SUCCESS);
  }

  isStopping(): boolean {
    return this.stopping;
  }

  async send(batch: ReadyBatch): Promise<ConsumeResult> {
    try {
      return await this.next.consume(batch.payload);
    } catch (err) {
      return { status: 'failure', error: toError(err) };
    }
  }

  settle(batch: ReadyBatch, result: ConsumeResult): void {
    this.heldItems -= batch.items;
    this.heldBytes -= batch.byteLength;
    this.room.notify();
    if (result.status === 'success') {
      // Go records only batches the next consumer accepted.
      (batch.trigger === 'size' ? this.metrics.sizeTrigger : this.metrics.timeoutTrigger).add(1);
      this.metrics.sendSize.record(batch.items);
      this.metrics.sendSizeBytes.record(batch.byteLength);
      return;
    }
    this.drop(batch.items, result.error);
  }

  discard(items: number, bytes: number, error: unknown): void {
    this.heldItems -= items;
    this.heldBytes -= bytes;
    this.room.notify();
    this.drop(items, toError(error));
  }

  /** The next consumer's room, so that a batch refused for lack of room is retried as soon as there is some. */
  nextRoom(): Room | undefined {
    return this.next.room;
  }

  private isFull(): boolean {
    return this.heldItems >= this.maxHeldItems || this.heldBytes >= MAX_HELD_BYTES;
  }

  onIdle(shard: Shard): void {
    // A metadata shard that holds nothing is forgotten, so the cardinality limit bounds the
    // combinations in flight rather than every combination ever seen.
    if (shard !== this.single && this.shards.get(shard.key) === shard) this.shards.delete(shard.key);
  }

  private drop(items: number, error: Error): void {
    this.metrics.dropped.add(items);
    this.failureLog.log(
      'warn',
      'Sender failed; data dropped',
      { error: error.message },
      { counts: { dropped_items: items, failed_batches: 1 } },
    );
  }

  private refuse(
    reason: RefuseReason,
    items: number,
    code: 'TG_SHUTTING_DOWN' | 'TG_PIPELINE_BUSY',
    message: string,
  ): Promise<ConsumeResult> {
    this.metrics.refuse(reason, items);
    return Promise.resolve({ status: 'retryable', error: new TelegateError(code, message) });
  }

  private shardFor(ctx: RequestContext): Shard | undefined {
    const values = this.metadataKeys.map((k) => ctx.metadata?.get(k) ?? []);
    const key = JSON.stringify(values);
    let shard = this.shards.get(key);
    if (shard !== undefined) return shard;
    if (this.cardinalityLimit !== 0 && this.shards.size >= this.cardinalityLimit) return undefined;
    const metadata = new Map<string, readonly string[]>();
    this.metadataKeys.forEach((k, i) => {
      const v = values[i] ?? [];
      if (v.length > 0) metadata.set(k, v);
    });
    shard = new Shard(this, key, { metadata });
    this.shards.set(key, shard);
    return shard;
  }

  private *allShards(): Iterable<Shard> {
    if (this.single !== null) yield this.single;
    yield* this.shards.values();
  }
}
