// The `sending_queue` block, as Go's exporterhelper QueueBatchConfig: a bounded queue drained by
// num_consumers workers, in memory or persistent (`storage`: a file_storage extension id), with
// optional exporter-side batching (`batch`: requests merged as they leave the queue).
import Type, { type Static } from 'typebox';
import { Duration, OptionalBlock } from './primitives.ts';

/** How queue_size is measured (Go's `sizer`). */
export const QUEUE_SIZERS = ['requests', 'items', 'bytes'] as const;
export type QueueSizer = (typeof QUEUE_SIZERS)[number];

/** `sending_queue.batch` (Go's exporterhelper BatchConfig): off unless the key is present. */
const QueueBatchBlock = Type.Object(
  {
    flush_timeout: Duration({
      default: '200ms',
      description: 'Send a batch smaller than min_size once its oldest request has waited this long.',
    }),
    min_size: Type.Integer({
      default: 8192,
      description: 'Send as soon as the queued requests reach this size (in batch `sizer` units).',
    }),
    max_size: Type.Integer({
      default: 0,
      description:
        'Largest batch (0 = no limit). The request that would pass it is cut, as Go does: its first piece fills the batch, the rest go in pieces of at most max_size (with sizer items or bytes).',
    }),
    sizer: Type.Union([Type.Literal('requests'), Type.Literal('items'), Type.Literal('bytes')], {
      default: 'items',
      description: 'What min_size and max_size count: requests, items (spans, data points, log records) or bytes.',
    }),
  },
  { description: 'Merge queued requests into larger ones as they leave the queue (after the persistent store).' },
);

/** The parsed `sending_queue.batch` block. */
export type QueueBatchConfig = Static<typeof QueueBatchBlock>;

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
      batch: OptionalBlock(QueueBatchBlock),
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
    batch: undefined,
  };
}

/** Go's QueueBatchConfig.Validate and BatchConfig.Validate, as [path, message]. */
export function validateQueue(cfg: QueueConfig): [string, string][] {
  if (!cfg.enabled) return [];
  const problems: [string, string][] = [];
  if (cfg.num_consumers <= 0) problems.push(['num_consumers', '`num_consumers` must be positive']);
  if (cfg.queue_size <= 0) problems.push(['queue_size', '`queue_size` must be positive']);
  const b = cfg.batch;
  if (b === undefined) return problems;
  if (b.flush_timeout <= 0) problems.push(['batch.flush_timeout', '`flush_timeout` must be greater than zero']);
  if (b.min_size < 0) problems.push(['batch.min_size', '`min_size` must be non-negative']);
  if (b.max_size < 0) problems.push(['batch.max_size', '`max_size` must be non-negative']);
  if (b.max_size > 0 && b.max_size < b.min_size) {
    problems.push(['batch.max_size', '`max_size` must be greater or equal to `min_size`']);
  }
  return problems;
}
