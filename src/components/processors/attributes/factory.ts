// The `attributes` processor factory: Go's type name and stability (beta for every signal).
import type { ProcessorFactory } from '../../../contracts/component.ts';
import { TelegateError } from '../../../errors/catalogue.ts';
import { compileActions } from '../../attraction/compile.ts';
import { AttributesProcessor } from './attributes-processor.ts';
import {
  AttributesConfigSchema,
  compileMatchConfig,
  validateAttributesConfig,
  type AttributesConfig,
} from './config.ts';
import { ItemMatcher } from './item-match.ts';

/** Inserts, updates, deletes, hashes, extracts or converts span, log record and data point attributes. */
export const attributesFactory: ProcessorFactory<AttributesConfig> = {
  kind: 'processor',
  type: 'attributes',
  stability: { traces: 'beta', metrics: 'beta', logs: 'beta' },
  description:
    'Applies attribute actions (insert, update, upsert, delete, hash, extract, convert) to span, log record and metric data point attributes, filtered by include/exclude.',
  configSchema: AttributesConfigSchema,
  validate: (config) => validateAttributesConfig(config as AttributesConfig),
  create: (settings, config, signal, next) => {
    const fail = (message: string): never => {
      throw new TelegateError('TG_CONFIG_INVALID', `error creating "${settings.id.id}" processor: ${message}`);
    };
    const compiled = compileActions(config.actions);
    if (!compiled.ok) return fail(compiled.errors.map((e) => e[1]).join('; '));
    const match = compileMatchConfig(config, signal);
    if (typeof match === 'string') return fail(match);
    const matcher = new ItemMatcher(match.include, match.exclude);
    return new AttributesProcessor(compiled.actions, matcher, next, settings.logger);
  },
};
