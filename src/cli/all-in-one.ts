// `telegate all-in-one`: the whole trace backend in one command, as Jaeger's all-in-one: OTLP in on
// localhost:4317 (gRPC) and :4318 (HTTP), spans batched into an in-memory store, and the Jaeger query
// API and web UI on 0.0.0.0:16686. `--config` files and `--set` flags merge over the built-in config
// (ports, max_traces, …), e.g. --set extensions::jaeger_storage::backends::memstore::memory::max_traces=5000.
import { runCollector } from './run.ts';
import { ALL_IN_ONE_MAX_TRACES } from './all-in-one-limits.ts';

export { ALL_IN_ONE_MAX_TRACES } from './all-in-one-limits.ts';

export const ALL_IN_ONE_CONFIG_YAML = `# telegate all-in-one's built-in config
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: localhost:4317
      http:
        endpoint: localhost:4318

processors:
  batch:

exporters:
  jaeger_storage_exporter:
    trace_storage: memstore

extensions:
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: ${ALL_IN_ONE_MAX_TRACES}
  jaeger_query:
    storage:
      traces: memstore
    http:
      endpoint: 0.0.0.0:16686

service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
`;

/** Runs the all-in-one config with the user's overlays; resolves with the exit code. */
export function runAllInOne(configs: readonly string[], sets: readonly string[]): Promise<number> {
  return runCollector([`yaml:${ALL_IN_ONE_CONFIG_YAML}`, ...configs], sets);
}
