// The `jaeger_storage_exporter` factory (Jaeger v2's name): writes each traces payload into the
// named jaeger_storage backend, counting spans stored and refused with the Go collector's exporter metrics
// (otelcol_exporter_sent_spans, otelcol_exporter_send_failed_spans), as Jaeger's exporterhelper does.
import type { Component, CreateSettings, ExporterFactory, Host } from '../../../contracts/component.ts';
import { SUCCESS, type ConsumeResult, type Consumer } from '../../../contracts/consumer.ts';
import type { Payload } from '../../../contracts/payload.ts';
import { findTraceStore } from '../../../backend/store/storage-extension.ts';
import type { TraceStore } from '../../../backend/store/trace-store.ts';
import {
  JaegerStorageExporterConfigSchema,
  validateJaegerStorageExporterConfig,
  type JaegerStorageExporterConfig,
} from './config.ts';
import { toError } from '../../../errors/thrown.ts';
import { ExporterMetrics } from '../../exporterhelper/exporter-metrics.ts';

class JaegerStorageExporter implements Component, Consumer {
  private readonly settings: CreateSettings;
  private readonly config: JaegerStorageExporterConfig;
  private readonly metrics: ExporterMetrics;
  private store: TraceStore | undefined;

  constructor(settings: CreateSettings, config: JaegerStorageExporterConfig) {
    this.settings = settings;
    this.config = config;
    this.metrics = new ExporterMetrics(settings.telemetry, settings.id.id, 'traces');
  }

  start(host: Host): Promise<void> {
    this.store = findTraceStore(host, `exporters.${this.settings.id.id}`, 'trace_storage', this.config.trace_storage);
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  consume(payload: Payload): Promise<ConsumeResult> {
    const store = this.store;
    if (store === undefined) return Promise.resolve({ status: 'failure', error: new Error('exporter not started') });
    let stored = 0;
    try {
      // Chunks are not requests on their own (contracts/payload.ts): the store reads the whole.
      stored = store.writeTraces(payload.bytes);
      this.metrics.addSent(stored);
      return Promise.resolve(SUCCESS);
    } catch (err) {
      const error = toError(err);
      // Spans before the malformed one are kept (and sent); the rest of the payload is refused for good.
      this.metrics.addSent(stored);
      this.metrics.addSendFailed(Math.max(0, payload.items - stored), 'InvalidArgument', true);
      this.settings.logger.warn('Dropping malformed traces', { error: error.message });
      return Promise.resolve({ status: 'failure', error });
    }
  }
}

/** `exporters: jaeger_storage_exporter:` */
export const jaegerStorageExporterFactory: ExporterFactory<JaegerStorageExporterConfig> = {
  kind: 'exporter',
  type: 'jaeger_storage_exporter',
  stability: { traces: 'alpha' },
  description: 'Writes traces into a jaeger_storage backend (the store the jaeger_query UI reads).',
  configSchema: JaegerStorageExporterConfigSchema,
  validate: validateJaegerStorageExporterConfig,
  create: (settings, config) => new JaegerStorageExporter(settings, config),
};
