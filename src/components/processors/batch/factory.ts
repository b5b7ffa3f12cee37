// The `batch` processor factory: Go's type name, stability (beta for every signal) and defaults.
import type { ProcessorFactory } from '../../../contracts/component.ts';
import { BatchProcessor } from './batch-processor.ts';
import { BatchConfigSchema, validateBatchConfig, type BatchConfig } from './config.ts';

/** Batches requests by size and time before they go to the exporters. */
export const batchFactory: ProcessorFactory<BatchConfig> = {
  kind: 'processor',
  type: 'batch',
  stability: { traces: 'beta', metrics: 'beta', logs: 'beta' },
  description: 'Groups requests into batches by item count and time, separately per metadata_keys values.',
  configSchema: BatchConfigSchema,
  validate: (config) => validateBatchConfig(config as BatchConfig),
  create: (settings, config, signal, next) => new BatchProcessor(settings, config, signal, next),
};
