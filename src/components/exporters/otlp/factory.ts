// The otlp exporter factory: OTLP over gRPC, stable for traces, metrics and logs, one instance per (id, signal).
import type { ExporterFactory } from '../../../contracts/component.ts';
import { OtlpExporterConfigSchema, validateOtlpExporterConfig, type OtlpExporterConfig } from './config.ts';
import { createOtlpExporter } from './otlp-exporter.ts';

/** `exporters: otlp:` */
export const otlpExporterFactory: ExporterFactory<OtlpExporterConfig> = {
  kind: 'exporter',
  type: 'otlp',
  stability: { traces: 'stable', metrics: 'stable', logs: 'stable' },
  description: 'Sends traces, metrics and logs over OTLP/gRPC, with a sending queue and retries.',
  configSchema: OtlpExporterConfigSchema,
  validate: validateOtlpExporterConfig,
  authenticators: (config) => {
    const id = (config as OtlpExporterConfig).auth?.authenticator;
    return id === undefined ? [] : [{ path: 'auth.authenticator', id }];
  },
  create: (settings, config, signal) => createOtlpExporter(settings, config, signal),
};
