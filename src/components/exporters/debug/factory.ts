// The debug exporter factory: prints what flows through a pipeline, for traces, metrics and logs.
import type { ExporterFactory } from '../../../contracts/component.ts';
import { DebugExporterConfigSchema, validateDebugExporterConfig, type DebugExporterConfig } from './config.ts';
import { createDebugExporter } from './debug-exporter.ts';

/** `exporters: debug:` */
export const debugExporterFactory: ExporterFactory<DebugExporterConfig> = {
  kind: 'exporter',
  type: 'debug',
  stability: { traces: 'alpha', metrics: 'alpha', logs: 'alpha' },
  description: 'Prints traces, metrics and logs to the log: counts, one line per item, or every field.',
  configSchema: DebugExporterConfigSchema,
  validate: validateDebugExporterConfig,
  create: (settings, config, signal) => createDebugExporter(settings, config, signal),
};
