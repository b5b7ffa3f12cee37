// The `jaeger_storage_exporter` config, as Jaeger v2's storageexporter.Config: the `trace_storage`
// backend to write into (a name under jaeger_storage.backends). `queue` and `retry_on_failure` are
// accepted for compatibility: writes into the memory store are synchronous and cannot fail for lack
// of room (the store evicts).
import Type, { type Static } from 'typebox';
import { AnyValue } from '../../../config/blocks/primitives.ts';

export const JaegerStorageExporterConfigSchema = Type.Object(
  {
    trace_storage: Type.String({
      default: '',
      description: 'Name of the jaeger_storage backend to write traces into (required).',
    }),
    queue: Type.Optional(AnyValue({ description: 'Accepted for compatibility; writes are synchronous.' })),
    retry_on_failure: Type.Optional(AnyValue({ description: 'Accepted for compatibility; writes are synchronous.' })),
  },
  { additionalProperties: false, description: 'Writes the pipeline’s traces into a jaeger_storage backend.' },
);

export type JaegerStorageExporterConfig = Static<typeof JaegerStorageExporterConfigSchema>;

export function validateJaegerStorageExporterConfig(config: unknown): [string, string][] {
  const cfg = config as JaegerStorageExporterConfig;
  return cfg.trace_storage === ''
    ? [['trace_storage', 'trace_storage is required: name a jaeger_storage backend']]
    : [];
}
