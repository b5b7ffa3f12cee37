// Wraps an exporter's push function in Go's exporterhelper chain: queue → count → retry → timeout →
// push. consume() answers with the queue's verdict (or, without a queue, the send's outcome); shutdown
// stops intake, drains the queue within a deadline and logs, once and in total, what it could not
// deliver (a persistent queue keeps that for the next start instead).
import type { Component, CreateSettings, Host } from '../../contracts/component.ts';
import type { Consumer, ConsumeResult } from '../../contracts/consumer.ts';
import type { Payload } from '../../contracts/payload.ts';
import type { Room } from '../../contracts/room.ts';
import type { Signal } from '../../contracts/signal.ts';
import type { QueueConfig } from '../../config/blocks/queue.ts';
import type { RetryConfig } from '../../config/blocks/retry.ts';
import { TelegateError } from '../../errors/catalogue.ts';
import { isQueueStorage } from '../../contracts/queue-storage.ts';
import { errorTypeOf } from './export-error.ts';
import { LogQueueStore, type QueueStore } from './queue-store.ts';
import { ExporterMetrics } from './exporter-metrics.ts';
import { QueueSender, type Undelivered } from './queue-sender.ts';
import { RetrySender } from './retry-sender.ts';
import { withTimeout, type PushFn } from './timeout-sender.ts';
import { RateLimitedLog } from '../../util/rate-limited-log.ts';

/** How to build an exporter from a push function. */
export interface ExporterHelperOptions {
  readonly signal: Signal;
  readonly push: PushFn;
  /** Per-attempt timeout in ms; 0 = none. */
  readonly timeoutMs: number;
  readonly retry: RetryConfig;
  /** The sending_queue block; `enabled: false` sends synchronously. */
  readonly queue: QueueConfig;
  readonly start?: (host: Host) => Promise<void>;
  /** Called after the queue drained, with the time left of the shutdown deadline. */
  readonly shutdown?: (remainingMs: number) => Promise<void>;
  /** Bound on the whole shutdown (drain + exporter shutdown); default 10 s. */
  readonly shutdownTimeoutMs?: number;
  /** The delay advised to senders when the queue is full; default 1 s. */
  readonly busyRetryAfterMs?: number;
  /** Rate limit of failure logs; default 10 s. */
  readonly logIntervalMs?: number;
}

const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

// Go's exporters log the rejected count under a per-signal key.
const DROPPED_KEY: Record<Signal, string> = {
  traces: 'dropped_spans',
  metrics: 'dropped_data_points',
  logs: 'dropped_log_records',
};

/** An exporter instance: Component & Consumer around a push function. */
export class ExporterHelper implements Component, Consumer {
  private readonly settings: CreateSettings;
  private readonly options: ExporterHelperOptions;
  private readonly metrics: ExporterMetrics;
  private readonly log: RateLimitedLog;
  private readonly retry: RetrySender;
  private readonly queue: QueueSender | undefined;
  private stopping = false;
  /** Whether the last send failed, so that recovery is reported once (not per success). */
  private failing = false;
  private shutdownPromise: Promise<void> | undefined;
  private store: QueueStore | undefined;
  /** Items whose send failed (and were dropped) while shutdown drained the queue. */
  private drainDropped = 0;
  /** The sending queue's room, when there is a queue (DESIGN.md §4b). */
  readonly room: Room | undefined;

  constructor(settings: CreateSettings, options: ExporterHelperOptions) {
    this.settings = settings;
    this.options = options;
    this.metrics = new ExporterMetrics(settings.telemetry, settings.id.id, options.signal);
    this.log = new RateLimitedLog(settings.logger, { intervalMs: options.logIntervalMs });
    this.retry = new RetrySender(options.retry, withTimeout(options.push, options.timeoutMs), this.log);
    if (options.queue.enabled) {
      const queue = new QueueSender(options.queue, (p) => this.sendCounted(p), options.busyRetryAfterMs ?? 1000);
      this.metrics.observeQueue(() => queue.size, queue.capacity);
      this.queue = queue;
    }
    this.room = this.queue?.room;
  }

  async start(host: Host): Promise<void> {
    await this.options.start?.(host);
    const storageId = this.options.queue.storage;
    if (this.queue !== undefined && storageId !== '') await this.openStore(host, storageId, this.queue);
  }

  /** Opens the persistent queue's log and queues what the previous run left. */
  private async openStore(host: Host, storageId: string, queue: QueueSender): Promise<void> {
    const ext = host.getExtension(storageId);
    const at = `exporters.${this.settings.id.id}.sending_queue.storage`;
    if (!isQueueStorage(ext)) {
      const why = ext === undefined ? 'is not a configured, enabled extension' : 'is not a storage extension';
      throw new TelegateError(
        'TG_CONFIG_INVALID',
        `${at}: ${storageId} ${why}; use a file_storage extension listed in service.extensions`,
      );
    }
    const log = await ext.openQueueLog(`exporter_${this.settings.id.id}_${this.options.signal}`);
    const store = new LogQueueStore(log);
    this.store = store;
    queue.useStore(store, this.options.signal);
    this.metrics.addRecovery(store.report, store.recovered);
    const { records, corruptRecords, corruptBytes } = store.report;
    if (records > 0) {
      this.settings.logger.info('Persistent queue: sending what the previous run left (some may be duplicates)', {
        requests: records,
        items: store.recovered.reduce((n, r) => n + r.items, 0),
      });
    }
    if (corruptRecords > 0) {
      this.settings.logger.warn('Persistent queue: damaged records were skipped; their data is lost', {
        damaged_regions: corruptRecords,
        damaged_bytes: corruptBytes,
      });
    }
  }

  async consume(payload: Payload): Promise<ConsumeResult> {
    if (this.stopping) {
      return {
        status: 'retryable',
        error: new TelegateError('TG_SHUTTING_DOWN', `exporter ${this.settings.id.id} is shutting down`),
      };
    }
    if (this.queue === undefined) return this.sendCounted(payload);
    const result = await this.queue.offer(payload);
    if (result.status !== 'success' && !this.options.queue.wait_for_result) this.refused(payload, result);
    return result;
  }

  /** Idempotent; safe before start. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= this.stop();
    return this.shutdownPromise;
  }

  private async stop(): Promise<void> {
    const deadline = Date.now() + (this.options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS);
    this.stopping = true;
    // As Go: stop retry waits first, so the drain gives each queued request one attempt.
    this.retry.stop();
    if (this.queue !== undefined) this.reportUndelivered(await this.queue.drain(Math.max(0, deadline - Date.now())));
    await this.store?.close();
    await this.options.shutdown?.(Math.max(0, deadline - Date.now()));
    this.log.close();
  }

  /**
   * One line with the total the shutdown could not deliver: failure logs are rate-limited, so
   * without it most of a shutdown's losses would be told only as suppressed counts.
   */
  private reportUndelivered(left: Undelivered): void {
    if (left.kept) {
      if (left.requests > 0) {
        this.settings.logger.warn(
          'Shutdown: data not yet delivered stays in the persistent queue for the next start.',
          {
            kept_requests: left.requests,
            kept_items: left.items,
            in_flight_items: left.inFlightItems,
            dropped_items: this.drainDropped,
          },
        );
      }
      return;
    }
    if (left.requests > 0) this.metrics.addSendFailed(left.items, 'Shutdown', false);
    const dropped = left.items + this.drainDropped + left.inFlightItems;
    if (dropped === 0) return;
    this.settings.logger.error('Shutdown: dropping data that could not be delivered.', {
      dropped_items: dropped,
      failed_while_draining_items: this.drainDropped,
      still_queued_at_deadline_requests: left.requests,
      still_queued_at_deadline_items: left.items,
      // Counted here, not in send_failed: such a send may still succeed before the process exits.
      in_flight_at_deadline_items: left.inFlightItems,
    });
  }

  /** Sends with retries and counts the outcome (Go's obsReportSender). */
  private async sendCounted(payload: Payload): Promise<ConsumeResult> {
    const result = await this.retry.send(payload);
    if (result.status === 'success') {
      this.metrics.addSent(payload.items);
      if (this.failing) this.settings.reportStatus?.('ok');
      this.failing = false;
      if (result.rejectedItems !== undefined || result.message !== undefined) this.partialSuccess(result);
      return result;
    }
    // Draining into a persistent queue: a retryable failure stays stored (queue-sender.ts), not a drop.
    if (this.stopping && this.store !== undefined && result.status === 'retryable') return result;
    this.metrics.addSendFailed(payload.items, errorTypeOf(result), result.status === 'failure');
    if (this.stopping && this.queue !== undefined) this.drainDropped += payload.items;
    // Every failed send is reported (Go's health_check counts them against exporter_failure_threshold).
    this.failing = true;
    this.settings.reportStatus?.('recoverable_error', result.error);
    if (this.queue !== undefined) {
      this.log.log('error', 'Exporting failed. Dropping data.', {
        error: result.error.message,
        dropped_items: payload.items,
      });
    } else {
      this.log.log('warn', 'Exporting failed. The error is returned to the sender.', {
        error: result.error.message,
        items: payload.items,
      });
    }
    return result;
  }

  // OTLP spec "Partial Success": not retried; Go logs it as a warning, here once per interval with the
  // rejected items summed, and counted.
  private partialSuccess(result: { readonly rejectedItems?: number; readonly message?: string }): void {
    const rejected = result.rejectedItems ?? 0;
    if (rejected > 0) this.metrics.addRejected(rejected);
    this.log.log(
      'warn',
      'Partial success response',
      { message: result.message ?? '' },
      { counts: { [DROPPED_KEY[this.options.signal]]: rejected } },
    );
  }

  private refused(payload: Payload, result: ConsumeResult): void {
    if (result.status === 'success') return;
    this.metrics.addEnqueueFailed(payload.items);
    this.log.log('warn', 'Exporting failed. Rejecting data.', {
      error: result.error.message,
      rejected_items: payload.items,
    });
  }
}
