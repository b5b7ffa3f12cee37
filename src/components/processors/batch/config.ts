// The `batch` processor's config, with Go's keys, defaults and validation messages
// (opentelemetry-collector processor/batchprocessor/config.go).
import Type, { type Static } from 'typebox';
import { Duration } from '../../../config/blocks/primitives.ts';

const UINT32_MAX = 0xffffffff;

/** The config schema. */
export const BatchConfigSchema = Type.Object(
  {
    timeout: Duration({
      default: '200ms',
      description:
        'Time after which a batch is sent regardless of size, counted from its first item. 0 sends every request at once.',
    }),
    send_batch_size: Type.Integer({
      minimum: 0,
      maximum: UINT32_MAX,
      default: 8192,
      description:
        'Number of items (spans, metric data points, log records) that triggers sending a batch. 0 sends every request at once, split only by send_batch_max_size.',
    }),
    send_batch_max_size: Type.Integer({
      minimum: 0,
      maximum: UINT32_MAX,
      default: 0,
      description:
        'Upper limit of a batch in items; larger batches are split. 0 means no limit; otherwise it must be ≥ send_batch_size.',
    }),
    metadata_keys: Type.Array(Type.String(), {
      default: [],
      description:
        'Request metadata keys (client headers; needs include_metadata on the receiver) whose values form separate batches, one per distinct combination. Case-insensitive; an empty value and an absent key are distinct.',
    }),
    metadata_cardinality_limit: Type.Integer({
      minimum: 0,
      maximum: UINT32_MAX,
      default: 1000,
      description:
        'Maximum number of distinct metadata_keys value combinations batched at once; data of a further combination is refused with a retryable error.',
    }),
  },
  { additionalProperties: false },
);

/** The validated config (timeout in milliseconds). */
export type BatchConfig = Static<typeof BatchConfigSchema>;

/** Cross-field rules, with Go's messages: [relative path, message]. */
export function validateBatchConfig(cfg: BatchConfig): [string, string][] {
  const problems: [string, string][] = [];
  if (cfg.send_batch_max_size > 0 && cfg.send_batch_max_size < cfg.send_batch_size) {
    problems.push(['send_batch_max_size', 'send_batch_max_size must be greater or equal to send_batch_size']);
  }
  const seen = new Set<string>();
  for (const key of cfg.metadata_keys) {
    const lower = key.toLowerCase();
    if (seen.has(lower))
      problems.push(['metadata_keys', `duplicate entry in metadata_keys: ${JSON.stringify(lower)} (case-insensitive)`]);
    seen.add(lower);
  }
  if (cfg.timeout < 0) problems.push(['timeout', 'timeout must be greater or equal to 0']);
  return problems;
}
