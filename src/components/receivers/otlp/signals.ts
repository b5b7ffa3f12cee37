// Per-signal names the OTLP receiver needs: gRPC service paths, Go's metric item names, default URL paths.
import type { Signal } from '../../../contracts/signal.ts';

interface SignalInfo {
  /** Fully-qualified gRPC service. */
  readonly service: string;
  /** The item unit in Go's receiver metrics (`otelcol_receiver_accepted_<item>`). */
  readonly item: string;
  /** The request message name, for error messages. */
  readonly request: string;
  /** Default OTLP/HTTP path. */
  readonly urlPath: string;
}

/** Names per signal, as the OTLP protos and the Go collector spell them. */
export const SIGNAL_INFO: Readonly<Record<Signal, SignalInfo>> = {
  traces: {
    service: 'opentelemetry.proto.collector.trace.v1.TraceService',
    item: 'spans',
    request: 'ExportTraceServiceRequest',
    urlPath: '/v1/traces',
  },
  metrics: {
    service: 'opentelemetry.proto.collector.metrics.v1.MetricsService',
    item: 'metric_points',
    request: 'ExportMetricsServiceRequest',
    urlPath: '/v1/metrics',
  },
  logs: {
    service: 'opentelemetry.proto.collector.logs.v1.LogsService',
    item: 'log_records',
    request: 'ExportLogsServiceRequest',
    urlPath: '/v1/logs',
  },
};

/** The gRPC method path of a signal's Export call. */
export function exportMethodPath(signal: Signal): string {
  return `/${SIGNAL_INFO[signal].service}/Export`;
}
