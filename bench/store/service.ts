// The store benchmark's collector: a Service running Jaeger v2's memory config as all-in-one does (OTLP
// over HTTP into the memory store, the Jaeger query API with its default limits), on free ports of
// 127.0.0.1, without the batch processor so that an ingest request's latency includes the store write.
import { createServer } from 'node:net';
import { BUILTIN_FACTORIES } from '../../src/components/builtin.ts';
import { loadConfig, registryOf } from '../../src/config/load-config.ts';
import { graphSpecOf } from '../../src/cli/load.ts';
import { Service } from '../../src/service/service.ts';
import { ServiceLogger } from '../../src/service/telemetry/logger.ts';
import { MetricsRegistry } from '../../src/service/telemetry/metrics-registry.ts';
import type { Host } from '../../src/contracts/component.ts';
import type { TraceStore } from '../../src/backend/store/trace-store.ts';
import { findTraceStore } from '../../src/backend/store/storage-extension.ts';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => {
        resolve(typeof addr === 'object' && addr !== null ? addr.port : 0);
      });
    });
  });
}

const config = (otlp: number, query: number, maxTraces: number): string => `
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:${otlp}
exporters:
  jaeger_storage_exporter:
    trace_storage: mem
extensions:
  jaeger_storage:
    backends:
      mem:
        memory:
          max_traces: ${maxTraces}
          max_bytes: 4GiB
  jaeger_query:
    storage:
      traces: mem
    http:
      endpoint: 127.0.0.1:${query}
service:
  telemetry:
    metrics:
      level: none
    logs:
      level: warn
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [jaeger_storage_exporter]
`;

/** A started collector: its store, its OTLP/HTTP and query ports. */
export interface BenchCollector {
  readonly store: TraceStore;
  readonly otlpPort: number;
  readonly queryPort: number;
  shutdown(): Promise<void>;
}

/** Starts the collector with a store of at most `maxTraces` traces. */
export async function startCollector(maxTraces: number): Promise<BenchCollector> {
  const [otlpPort, queryPort] = await Promise.all([freePort(), freePort()]);
  const { config: resolved, issues } = await loadConfig({
    configs: [`yaml:${config(otlpPort, queryPort, maxTraces)}`],
    sets: [],
    registry: registryOf(BUILTIN_FACTORIES),
  });
  if (resolved === undefined) throw new Error(issues.map((i) => i.message).join('\n'));
  const service = new Service(graphSpecOf(resolved), {
    logger: new ServiceLogger('warn'),
    telemetry: new MetricsRegistry({ service_name: 'telegate-bench' }),
  });
  await service.start();
  // The Service keeps its host to itself; the benchmark reads the store the way the query extension does.
  const host = (service as unknown as { host: Host }).host;
  const store = findTraceStore(host, 'bench', 'storage.traces', 'mem');
  return { store, otlpPort, queryPort, shutdown: () => service.shutdown() };
}
