// The otlphttp exporter factory: OTLP over HTTP (protobuf or JSON), stable for traces, metrics and logs
// as in Go, one instance per (id, signal).
import type { ExporterFactory } from '../../../contracts/component.ts';
import { OtlpHttpExporterConfigSchema, validateOtlpHttpExporterConfig, type OtlpHttpExporterConfig } from './config.ts';
import { createOtlpHttpExporter } from './otlphttp-exporter.ts';

/** `exporters: otlphttp:` */
export const otlpHttpExporterFactory: ExporterFactory<OtlpHttpExporterConfig> = {
  kind: 'exporter',
  type: 'otlphttp',
  stability: { traces: 'stable', metrics: 'stable', logs: 'stable' },
  description: 'Sends traces, metrics and logs over OTLP/HTTP (protobuf or JSON), with a sending queue and retries.',
  configSchema: OtlpHttpExporterConfigSchema,
  validate: validateOtlpHttpExporterConfig,
  authenticators: (config) => {
    const id = (config as OtlpHttpExporterConfig).auth?.authenticator;
    return id === undefined ? [] : [{ path: 'auth.authenticator', id }];
  },
  create: (settings, config, signal) => createOtlpHttpExporter(settings, config, signal),
};
