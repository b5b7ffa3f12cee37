// The `sending_queue` block, as Go's exporterhelper QueueBatchConfig: a bounded queue drained by
// num_consumers workers, in memory or persistent (`storage`: a file_storage extension id). Queue
// `batch` is parsed and refused with a clear message until it exists (exporterhelper/queue-sender.ts).
import Type, { type Static } from 'typebox';
import { AnyValue } from './primitives.ts';

/** How queue_size is measured (Go's `sizer`). */
export const QUEUE_SIZERS = ['requests', 'items', 'bytes'] as const;
export type QueueSizer = (typeof QUEUE_SIZERS)[number];

/** The `sending_queue` block; `enabledDefault` is true for otlp, false for debug (as in Go). */
export function queueBlock(enabledDefault: boolean) {
  return Type.Object(
    {
      enabled: Type.Boolean({
        default: enabledDefault,
        description: 'Queue data in memory and send it from background workers.',
      }),
      num_consumers: Type.Integer({
        default: 10,
        description: 'Number of workers sending from the queue concurrently.',
      }),
      queue_size: Type.Integer({
        default: 1000,
        description: 'Capacity of the queue, in units of `sizer` (requests by default).',
      }),
      sizer: Type.Union([Type.Literal('requests'), Type.Literal('items'), Type.Literal('bytes')], {
        default: 'requests',
        description: 'What queue_size counts: requests (batches), items (spans, data points, log records) or bytes.',
      }),
      block_on_overflow: Type.Boolean({
        default: false,
        description: 'When full, wait for room instead of refusing the data with a retryable error.',
      }),
      wait_for_result: Type.Boolean({
        default: false,
        description: 'Answer the sender only once the queued data was exported (or failed).',
      }),
      storage: Type.String({
        default: '',
        description:
          'A storage extension id (`file_storage/NAME`): the queue is persistent, each request is on disk before the sender is answered and survives a restart.',
      }),
      batch: Type.Optional(
        AnyValue({ description: 'Batching inside the queue (not supported yet; use the batch processor).' }),
      ),
    },
    {
      default: {},
      additionalProperties: false,
      description: 'A bounded queue in front of the exporter (in memory, or persistent with `storage`).',
    },
  );
}

/** The parsed `sending_queue` block. */
export type QueueConfig = Static<ReturnType<typeof queueBlock>>;

/** Go's exporterhelper.NewDefaultQueueConfig (with `enabled` as given). */
export function defaultQueueConfig(enabled = true): QueueConfig {
  return {
    enabled,
    num_consumers: 10,
    queue_size: 1000,
    sizer: 'requests',
    block_on_overflow: false,
    wait_for_result: false,
    storage: '',
  };
}

/** Go's QueueBatchConfig.Validate plus telegate's "not supported yet" rules, as [path, message]. */
export function validateQueue(cfg: QueueConfig): [string, string][] {
  if (!cfg.enabled) return [];
  const problems: [string, string][] = [];
  if (cfg.num_consumers <= 0) problems.push(['num_consumers', '`num_consumers` must be positive']);
  if (cfg.queue_size <= 0) problems.push(['queue_size', '`queue_size` must be positive']);
  if (cfg.batch !== undefined && cfg.batch !== null) {
    problems.push([
      'batch',
      '`sending_queue.batch` is not supported yet; use the batch processor in the pipeline instead',
    ]);
  }
  return problems;
}
