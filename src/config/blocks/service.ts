// Schema of `service.telemetry`: the collector's own logs and metrics, spelled as the Go collector's
// otelconftelemetry config. Keys telegate does not act on yet are accepted (so Go configs load) and
// described as such. `service.extensions` and `service.pipelines` are checked by src/config/resolve-pipelines.ts.
import Type, { type Static } from 'typebox';
import { AnyValue } from './primitives.ts';

const LogsTelemetry = Type.Object({
  level: Type.Union([Type.Literal('debug'), Type.Literal('info'), Type.Literal('warn'), Type.Literal('error')], {
    default: 'info',
    description: "Lowest level of the collector's own log lines.",
  }),
  encoding: Type.Union([Type.Literal('console'), Type.Literal('json')], {
    default: 'console',
    description: 'Log line format.',
  }),
  development: Type.Optional(Type.Boolean({ description: 'Accepted for compatibility; no effect.' })),
  disable_caller: Type.Optional(Type.Boolean({ description: 'Accepted for compatibility; no effect.' })),
  disable_stacktrace: Type.Optional(Type.Boolean({ description: 'Accepted for compatibility; no effect.' })),
  sampling: Type.Optional(AnyValue({ description: 'Accepted for compatibility; no effect.' })),
  output_paths: Type.Optional(AnyValue({ description: 'Accepted for compatibility; logs go to stderr.' })),
  error_output_paths: Type.Optional(AnyValue({ description: 'Accepted for compatibility; logs go to stderr.' })),
  initial_fields: Type.Optional(AnyValue({ description: 'Fields added to every log line.' })),
  processors: Type.Optional(AnyValue({ description: 'Accepted for compatibility; no effect.' })),
});

const MetricsTelemetry = Type.Object({
  level: Type.Union([Type.Literal('none'), Type.Literal('basic'), Type.Literal('normal'), Type.Literal('detailed')], {
    default: 'normal',
    description: 'How many self-metrics to record; `none` turns the metrics server off.',
  }),
  address: Type.Optional(
    Type.String({ description: 'Deprecated form of a Prometheus pull reader: host:port of the metrics server.' }),
  ),
  readers: Type.Optional(
    Type.Array(
      AnyValue({
        description: 'A metric reader; `pull.exporter.prometheus.{host,port}` sets the metrics server address.',
      }),
      {
        description: 'Metric readers, as the Go collector writes them.',
      },
    ),
  ),
  views: Type.Optional(AnyValue({ description: 'Accepted for compatibility; no effect.' })),
});

/** `service.telemetry`. */
export const TelemetrySchema = Type.Object({
  logs: LogsTelemetry,
  metrics: MetricsTelemetry,
  traces: Type.Optional(AnyValue({ description: 'Accepted for compatibility; no effect.' })),
  resource: Type.Optional(AnyValue({ description: "Resource attributes of the collector's own telemetry." })),
});

/** The validated `service.telemetry` block. */
export type TelemetryBlock = Static<typeof TelemetrySchema>;
