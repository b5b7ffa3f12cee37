// The `resource` processor factory: Go's type name and stability (beta for every signal).
import type { ProcessorFactory } from '../../../contracts/component.ts';
import { TelegateError } from '../../../errors/catalogue.ts';
import { compileActions } from '../../attraction/compile.ts';
import { ResourceConfigSchema, validateResourceConfig, type ResourceConfig } from './config.ts';
import { ResourceProcessor } from './resource-processor.ts';

/** Inserts, updates, deletes, hashes, extracts or converts Resource attributes. */
export const resourceFactory: ProcessorFactory<ResourceConfig> = {
  kind: 'processor',
  type: 'resource',
  stability: { traces: 'beta', metrics: 'beta', logs: 'beta' },
  description:
    'Applies attribute actions (insert, update, upsert, delete, hash, extract, convert) to Resource attributes.',
  configSchema: ResourceConfigSchema,
  validate: (config) => validateResourceConfig(config as ResourceConfig),
  create: (settings, config, _signal, next) => {
    const compiled = compileActions(config.attributes);
    if (!compiled.ok) {
      throw new TelegateError(
        'TG_CONFIG_INVALID',
        `error creating "${settings.id.id}" processor: ${compiled.errors.map((e) => e[1]).join('; ')}`,
      );
    }
    return new ResourceProcessor(compiled.actions, next, settings.logger);
  },
};
