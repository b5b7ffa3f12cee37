// The logging exporter factory: the Go collector's removed `logging` exporter, kept as a deprecated
// alias that runs the debug exporter with the mapped verbosity.
import type { ExporterFactory } from '../../../contracts/component.ts';
import { defaultDebugExporterConfig } from '../debug/config.ts';
import { createDebugExporter } from '../debug/debug-exporter.ts';
import {
  LoggingExporterConfigSchema,
  resolveVerbosity,
  validateLoggingExporterConfig,
  type LoggingExporterConfig,
} from './config.ts';

/** `exporters: logging:` (deprecated; use `debug`). */
export const loggingExporterFactory: ExporterFactory<LoggingExporterConfig> = {
  kind: 'exporter',
  type: 'logging',
  stability: { traces: 'deprecated', metrics: 'deprecated', logs: 'deprecated' },
  description: 'Deprecated alias of the debug exporter (removed from the Go collector in v0.111.0).',
  deprecation:
    'the logging exporter is deprecated; use the debug exporter (loglevel: debug → verbosity: detailed, info → normal)',
  configSchema: LoggingExporterConfigSchema,
  validate: validateLoggingExporterConfig,
  create: (settings, config, signal) =>
    createDebugExporter(
      settings,
      {
        ...defaultDebugExporterConfig(),
        verbosity: resolveVerbosity(config),
        sampling_initial: config.sampling_initial,
        sampling_thereafter: config.sampling_thereafter,
      },
      signal,
    ),
};
