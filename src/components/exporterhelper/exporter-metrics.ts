// The exporter self-metrics with the Go collector's names and labels (exporterhelper metadata.yaml):
// sent / send_failed / enqueue_failed per signal unit, labelled { exporter }, send_failed also with
// { error.type, error.permanent }; queue size and capacity labelled { exporter, data_type }.
import type { Counter, Telemetry } from '../../contracts/component.ts';
import type { Signal } from '../../contracts/signal.ts';
import type { RecoveredRecord, RecoveryReport } from '../../contracts/queue-storage.ts';

const UNIT: Record<Signal, { suffix: string; noun: string }> = {
  traces: { suffix: 'spans', noun: 'spans' },
  metrics: { suffix: 'metric_points', noun: 'metric points' },
  logs: { suffix: 'log_records', noun: 'log records' },
};

/** Counters of one exporter instance (one id, one signal). */
export class ExporterMetrics {
  private readonly telemetry: Telemetry;
  private readonly signal: Signal;
  private readonly exporterId: string;
  private readonly sent: Counter;
  private readonly enqueueFailed: Counter;
  private readonly failed = new Map<string, Counter>();
  private rejected: Counter | undefined;

  constructor(telemetry: Telemetry, exporterId: string, signal: Signal) {
    this.telemetry = telemetry;
    this.signal = signal;
    this.exporterId = exporterId;
    const { suffix, noun } = UNIT[signal];
    const labels = { exporter: exporterId };
    this.sent = telemetry.counter(
      `otelcol_exporter_sent_${suffix}`,
      `Number of ${noun} successfully sent to destination.`,
      labels,
    );
    this.enqueueFailed = telemetry.counter(
      `otelcol_exporter_enqueue_failed_${suffix}`,
      `Number of ${noun} failed to be added to the sending queue.`,
      labels,
    );
  }

  addSent(items: number): void {
    this.sent.add(items);
  }

  addEnqueueFailed(items: number): void {
    this.enqueueFailed.add(items);
  }

  /** Counts items the destination accepted the request for but rejected (OTLP partial success). */
  addRejected(items: number): void {
    if (this.rejected === undefined) {
      // Registered at the first partial success: most exporters never see one.
      const { suffix, noun } = UNIT[this.signal];
      this.rejected = this.telemetry.counter(
        `telegate_exporter_rejected_${suffix}`,
        `Number of ${noun} the destination rejected in a partial success response.`,
        { exporter: this.exporterId },
      );
    }
    this.rejected.add(items);
  }

  /** Counts items that could not be sent; `errorType` is bounded (gRPC code names and a few more). */
  addSendFailed(items: number, errorType: string, permanent: boolean): void {
    const key = `${errorType}|${permanent}`;
    let counter = this.failed.get(key);
    if (counter === undefined) {
      const { suffix, noun } = UNIT[this.signal];
      const labels = { exporter: this.exporterId, 'error.type': errorType, 'error.permanent': String(permanent) };
      counter = this.telemetry.counter(
        `otelcol_exporter_send_failed_${suffix}`,
        `Number of ${noun} in failed attempts to send to destination.`,
        labels,
      );
      this.failed.set(key, counter);
    }
    counter.add(items);
  }

  /** Counts what a persistent queue found at start: requests replayed (possible duplicates) and damage skipped. */
  addRecovery(report: RecoveryReport, recovered: readonly RecoveredRecord[]): void {
    const labels = { exporter: this.exporterId, data_type: this.signal };
    const replayed = this.telemetry.counter(
      'telegate_exporter_queue_replayed_requests',
      'Requests a persistent queue replayed at start (delivered at least once; some may be duplicates).',
      labels,
    );
    const corrupt = this.telemetry.counter(
      'telegate_exporter_queue_corrupt_records',
      'Damaged regions of a persistent queue skipped at start (each lost one request or more).',
      labels,
    );
    replayed.add(recovered.length);
    corrupt.add(report.corruptRecords);
  }

  /** Registers the queue gauges, read at scrape time. */
  observeQueue(size: () => number, capacity: number): void {
    const labels = { exporter: this.exporterId, data_type: this.signal };
    this.telemetry.observe(
      'otelcol_exporter_queue_size',
      'Current size of the retry queue (in batches).',
      labels,
      size,
    );
    this.telemetry.observe(
      'otelcol_exporter_queue_capacity',
      'Fixed capacity of the retry queue (in batches).',
      labels,
      () => capacity,
    );
  }
}
