import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTIN_FACTORIES } from '../../builtin.ts';
import { loadConfig, registryOf } from '../../../config/load-config.ts';
import { resolveBackends } from './config.ts';
import { readFileSync } from 'node:fs';

async function errors(yaml: string): Promise<string[]> {
  const { issues } = await loadConfig({ configs: [`yaml:${yaml}`], sets: [], registry: registryOf(BUILTIN_FACTORIES) });
  return issues.filter((i) => i.severity === 'error').map((i) => `${i.path}: ${i.message}`);
}

const PIPELINE = `
receivers: { otlp: { protocols: { grpc: { endpoint: 127.0.0.1:0 } } } }
exporters: { jaeger_storage_exporter: { trace_storage: some_store } }
`;

test('memory backends resolve with max_traces, max_bytes and defaults', () => {
  const { backends, problems } = resolveBackends({
    backends: { a: { memory: { max_traces: 10, max_bytes: '1MiB' } }, b: { memory: {} } },
    trace_backends: { c: { memory: { max_traces: 5 } } },
  });
  assert.deepEqual(problems, []);
  assert.deepEqual(backends, [
    { name: 'a', maxTraces: 10, maxBytes: 1024 * 1024 },
    { name: 'b', maxTraces: 100_000, maxBytes: 1024 ** 3 },
    { name: 'c', maxTraces: 5, maxBytes: 1024 ** 3 },
  ]);
});

test('Jaeger v2 storage backends other than memory are named as not supported, with their YAML path', async () => {
  const found = await errors(`${PIPELINE}
extensions:
  jaeger_storage:
    backends:
      some_store: { memory: { max_traces: 100000 } }
      es: { elasticsearch: { server_urls: [http://localhost:9200] } }
      b: { badger: { directories: { keys: /tmp } } }
      c: { cassandra: {} }
      o: { opensearch: {} }
      g: { grpc: {} }
      ch: { clickhouse: {} }
      m: { memory: { max_traces: -1, colour: red } }
service:
  extensions: [jaeger_storage]
  pipelines: { traces: { receivers: [otlp], exporters: [jaeger_storage_exporter] } }
`);
  for (const [name, type] of [
    ['es', 'elasticsearch'],
    ['b', 'badger'],
    ['c', 'cassandra'],
    ['o', 'opensearch'],
    ['g', 'grpc'],
    ['ch', 'clickhouse'],
  ])
    assert.ok(
      found.some((m) =>
        m.startsWith(
          `extensions.jaeger_storage.backends.${name}.${type}: the Jaeger v2 ${type} storage backend is not supported by telegate`,
        ),
      ),
      `${type}: ${found.join('\n')}`,
    );
  assert.ok(
    found.some((m) =>
      m.startsWith('extensions.jaeger_storage.backends.m.memory.max_traces: max_traces must be a positive integer'),
    ),
  );
  assert.ok(found.some((m) => m.startsWith('extensions.jaeger_storage.backends.m.memory.colour: unknown key')));
});

test('Jaeger v2 components telegate lacks get a clear "not supported" error', async () => {
  const found = await errors(`${PIPELINE}
extensions:
  jaeger_storage: { backends: { some_store: { memory: { max_traces: 10 } } } }
  jaeger_query: { storage: { traces: some_store, metrics: prom }, grpc: { endpoint: 0.0.0.0:16685 } }
  remote_sampling: { file: { path: ~ } }
  healthcheckv2: { use_v2: true }
  expvar: { endpoint: localhost:27777 }
processors:
  adaptive_sampling:
service:
  extensions: [jaeger_storage, jaeger_query, remote_sampling, healthcheckv2, expvar]
  pipelines: { traces: { receivers: [otlp], processors: [adaptive_sampling], exporters: [jaeger_storage_exporter] } }
`);
  for (const expected of [
    'extensions.remote_sampling: `remote_sampling` is a Jaeger v2 extension that is not supported by telegate',
    'extensions.healthcheckv2: `healthcheckv2` is a Jaeger v2 extension that is not supported by telegate',
    'extensions.expvar: `expvar` is a Jaeger v2 extension that is not supported by telegate',
    'processors.adaptive_sampling: `adaptive_sampling` is a Jaeger v2 processor that is not supported by telegate',
  ])
    assert.ok(found.includes(expected), `${expected}\n--\n${found.join('\n')}`);
  assert.ok(
    found.some((m) => m.startsWith('extensions.jaeger_query.grpc: ')),
    found.join('\n'),
  );
  assert.ok(
    found.some((m) => m.startsWith('extensions.jaeger_query.storage.metrics: ')),
    found.join('\n'),
  );
});

test('the jaeger receiver is named as a component telegate lacks', async () => {
  const found = await errors(`
receivers: { jaeger: { protocols: { grpc: } } }
exporters: { debug: }
service: { pipelines: { traces: { receivers: [jaeger], exporters: [debug] } } }
`);
  assert.ok(
    found.some((m) =>
      m.startsWith(
        'receivers.jaeger: `jaeger` is an OpenTelemetry Collector receiver that telegate does not implement yet',
      ),
    ),
    found.join('\n'),
  );
});

test('jaeger_storage_exporter and jaeger_query require their storage names', async () => {
  const found = await errors(`
receivers: { otlp: { protocols: { grpc: { endpoint: 127.0.0.1:0 } } } }
exporters: { jaeger_storage_exporter: {} }
extensions: { jaeger_query: {} }
service:
  extensions: [jaeger_query]
  pipelines: { traces: { receivers: [otlp], exporters: [jaeger_storage_exporter] } }
`);
  assert.ok(
    found.some((m) => m.startsWith('exporters.jaeger_storage_exporter.trace_storage: trace_storage is required')),
  );
  assert.ok(found.some((m) => m.startsWith('extensions.jaeger_query.storage.traces: storage.traces is required')));
});

test("Jaeger v2's own config (its supported parts: telemetry, archive storage, UI file) validates as written", async () => {
  const text = readFileSync(new URL('../jaeger_query/testdata/config-jaeger-v2.yaml', import.meta.url), 'utf8');
  assert.deepEqual(await errors(text), []);
});
