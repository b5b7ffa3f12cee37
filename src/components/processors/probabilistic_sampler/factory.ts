// The `probabilistic_sampler` processor factory: Go's type name and traces stability (beta). Go also
// samples logs (alpha); telegate does not yet, so the factory declares traces only and a logs pipeline
// naming it is refused at validation.
import type { ProcessorFactory } from '../../../contracts/component.ts';
import {
  ProbabilisticSamplerConfigSchema,
  validateProbabilisticSamplerConfig,
  type ProbabilisticSamplerConfig,
} from './config.ts';
import { ProbabilisticSamplerProcessor } from './probabilistic-sampler.ts';

/** Keeps a share of traces, decided per trace id so that every collector keeps the same traces. */
export const probabilisticSamplerFactory: ProcessorFactory<ProbabilisticSamplerConfig> = {
  kind: 'processor',
  type: 'probabilistic_sampler',
  stability: { traces: 'beta' },
  description:
    'Keeps sampling_percentage of traces, decided per trace id (FNV hash with hash_seed, or OTEP 235 consistent sampling), on the bytes.',
  configSchema: ProbabilisticSamplerConfigSchema,
  validate: (config) => validateProbabilisticSamplerConfig(config as ProbabilisticSamplerConfig),
  // Go accepts a percentage above 100 and keeps every trace (its README allows it): say so, no error.
  notes: (config) => {
    const pct = (config as ProbabilisticSamplerConfig).sampling_percentage;
    return pct > 100 ? [`sampling_percentage ${pct} is above 100: every trace is kept, as in the Go collector`] : [];
  },
  create: (settings, config, _signal, next) =>
    new ProbabilisticSamplerProcessor(config, next, settings.logger, settings.telemetry, settings.id.id),
};
