// The batch processor's self-metrics, named and bucketed as Go's batchprocessor metadata.yaml, with
// the `processor` label; plus telegate's counts of data it refused or dropped.
import type { Counter, Histogram, Telemetry } from '../../../contracts/component.ts';

const SIZE_BUCKETS = [
  10, 25, 50, 75, 100, 250, 500, 750, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000, 20000, 30000, 50000,
  100000,
];
const BYTES_BUCKETS = Array.from({ length: 18 }, (_, i) => 128 * 2 ** i); // 128 B … 16 MiB

/** Why data was refused before it entered a batch. */
export type RefuseReason = 'backpressure' | 'cardinality' | 'shutdown';

/** The instruments, bound once to this processor's label. */
export class BatchMetrics {
  readonly sendSize: Histogram;
  readonly sendSizeBytes: Histogram;
  readonly sizeTrigger: Counter;
  readonly timeoutTrigger: Counter;
  /** Items whose export failed permanently (or still failed at shutdown). */
  readonly dropped: Counter;
  private readonly refused: Record<RefuseReason, Counter>;

  constructor(telemetry: Telemetry, id: string, cardinality: () => number) {
    const l = { processor: id };
    this.sendSize = telemetry.histogram(
      'otelcol_processor_batch_batch_send_size',
      'Number of units in the batch',
      l,
      SIZE_BUCKETS,
    );
    this.sendSizeBytes = telemetry.histogram(
      'otelcol_processor_batch_batch_send_size_bytes',
      'Number of bytes in batch that was sent',
      l,
      BYTES_BUCKETS,
    );
    this.sizeTrigger = telemetry.counter(
      'otelcol_processor_batch_batch_size_trigger_send',
      'Number of times the batch was sent due to a size trigger',
      l,
    );
    this.timeoutTrigger = telemetry.counter(
      'otelcol_processor_batch_timeout_trigger_send',
      'Number of times the batch was sent due to a timeout trigger',
      l,
    );
    telemetry.observe(
      'otelcol_processor_batch_metadata_cardinality',
      'Number of distinct metadata value combinations being processed',
      l,
      cardinality,
    );
    this.dropped = telemetry.counter(
      'telegate_processor_batch_dropped_items',
      'Items whose export failed and that were dropped',
      l,
    );
    const refused = (reason: RefuseReason) =>
      telemetry.counter(
        'telegate_processor_batch_refused_items',
        'Items refused with a retryable error before batching',
        { ...l, reason },
      );
    this.refused = {
      backpressure: refused('backpressure'),
      cardinality: refused('cardinality'),
      shutdown: refused('shutdown'),
    };
  }

  /** Counts items refused for `reason`. */
  refuse(reason: RefuseReason, items: number): void {
    this.refused[reason].add(items);
  }
}
