// The `memory_limiter` processor factory (Go's memorylimiterprocessor): refuses data with a retryable
// error while the process uses more memory than its soft limit.
import type { ProcessorFactory } from '../../../contracts/component.ts';
import { MemoryLimiterConfigSchema, validateMemoryLimiterConfig, type MemoryLimiterConfig } from './config.ts';
import { MemoryLimiterProcessor } from './memory-limiter-processor.ts';

/** `processors: memory_limiter:`; put it first in each pipeline. */
export const memoryLimiterFactory: ProcessorFactory<MemoryLimiterConfig> = {
  kind: 'processor',
  type: 'memory_limiter',
  stability: { traces: 'beta', metrics: 'beta', logs: 'beta' },
  description:
    'Refuses data with a retryable error (UNAVAILABLE / 503) while memory is above limit_mib − spike_limit_mib.',
  configSchema: MemoryLimiterConfigSchema,
  validate: (config) => validateMemoryLimiterConfig(config),
  create: (settings, config, signal, next) => new MemoryLimiterProcessor(settings, config, signal, next),
};
