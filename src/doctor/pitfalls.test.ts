// validate's pitfall warnings, table-driven over whole configs as the loader resolves them: each
// pitfall is reported with its code and path, and the safe variants of the same config are not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTIN_FACTORIES } from '../components/builtin.ts';
import { loadConfig, registryOf } from '../config/load-config.ts';
import { pitfallWarnings } from './pitfalls.ts';

interface Edge {
  readonly exporter: string;
  readonly batch?: string;
}

function yaml(e: Edge): string {
  return `extensions:
  basicauth/client: { client_auth: { username: edge-1, password: x } }
receivers:
  otlp: { protocols: { grpc: { endpoint: 127.0.0.1:0 } } }
processors:
  batch: ${e.batch ?? '{}'}
exporters:
  ${e.exporter}
service:
  extensions: [basicauth/client]
  pipelines:
    traces: { receivers: [otlp], ${e.batch === undefined ? '' : 'processors: [batch], '}exporters: [${e.exporter.split(':')[0]}] }
`;
}

async function warnings(e: Edge): Promise<string[]> {
  const { config, issues } = await loadConfig({
    configs: [`yaml:${yaml(e)}`],
    sets: [],
    registry: registryOf(BUILTIN_FACTORIES),
  });
  assert.ok(config, JSON.stringify(issues));
  return pitfallWarnings(config).map((i) => `${i.code} ${i.path}: ${i.message}`);
}

const AUTH = 'auth: { authenticator: basicauth/client }';

test('credentials over plaintext to another machine are a warning; to loopback or over TLS they are not', async () => {
  const table: [string, RegExp | undefined][] = [
    [
      `otlp: { endpoint: gw.example.com:4317, tls: { insecure: true }, ${AUTH} }`,
      /^TG_CONFIG_PLAINTEXT_CREDENTIALS exporters\.otlp\.tls\.insecure: exporters\.otlp sends the credentials of basicauth\/client to gw\.example\.com:4317 without TLS/,
    ],
    [
      `otlp: { endpoint: http://10.0.0.5:4317, ${AUTH} }`,
      /^TG_CONFIG_PLAINTEXT_CREDENTIALS exporters\.otlp\.endpoint: .* to 10\.0\.0\.5:4317/,
    ],
    [
      `otlphttp: { endpoint: http://gw.example.com:4318, headers: { Authorization: Bearer abc } }`,
      /^TG_CONFIG_PLAINTEXT_CREDENTIALS exporters\.otlphttp\.endpoint: exporters\.otlphttp sends its Authorization header to gw\.example\.com:4318/,
    ],
    [`otlp: { endpoint: 127.0.0.1:4317, tls: { insecure: true }, ${AUTH} }`, undefined],
    [`otlp: { endpoint: gw.example.com:443, ${AUTH} }`, undefined],
    [`otlphttp: { endpoint: https://gw.example.com, ${AUTH} }`, undefined],
    ['otlp: { endpoint: gw.example.com:4317, tls: { insecure: true } }', undefined],
  ];
  for (const [exporter, expected] of table) {
    const found = await warnings({ exporter });
    if (expected === undefined) assert.deepEqual(found, [], exporter);
    else {
      assert.equal(found.length, 1, `${exporter}: ${found.join('\n')}`);
      assert.match(found[0] ?? '', expected);
    }
  }
});

test('a batch that can exceed the receiver or ingress limit is a warning, with the size that fits', async () => {
  const exporter = `otlp: { endpoint: gw.example.com:443, ${AUTH} }`;
  const big = await warnings({ exporter, batch: '{ send_batch_size: 20000, send_batch_max_size: 20000 }' });
  assert.equal(big.length, 1);
  assert.match(
    big[0] ?? '',
    /^TG_CONFIG_BATCH_TOO_LARGE processors\.batch\.send_batch_max_size: batches of up to 20000 spans .*can exceed the 4 MiB a collector's OTLP gRPC receiver accepts by default.*and the 1 MiB an ingress-nginx accepts/,
  );
  const unbounded = await warnings({ exporter, batch: '{ send_batch_size: 16000 }' });
  assert.match(
    unbounded[0] ?? '',
    /processors\.batch\.send_batch_size: batches of 16000 spans or more \(send_batch_max_size is 0: no upper bound\)/,
  );
  const uncompressed = await warnings({
    exporter: `otlp: { endpoint: gw.example.com:443, compression: none }`,
    batch: '{ send_batch_size: 4000, send_batch_max_size: 4000 }',
  });
  assert.match(uncompressed[0] ?? '', /≈ 1.1 MiB at ~300 B a span\) can exceed the 1 MiB an ingress-nginx/);
  assert.deepEqual(await warnings({ exporter, batch: '{ send_batch_size: 8192, send_batch_max_size: 8192 }' }), []);
  assert.deepEqual(await warnings({ exporter, batch: '{}' }), [], 'the default batch (8192 spans, gzip) fits');
  assert.deepEqual(
    await warnings({
      exporter: 'otlp: { endpoint: 127.0.0.1:4317, compression: none }',
      batch: '{ send_batch_size: 4000, send_batch_max_size: 4000 }',
    }),
    [],
    'no ingress on loopback',
  );
});

test('exporters that do not send over the network are not judged', async () => {
  assert.deepEqual(await warnings({ exporter: 'debug: {}', batch: '{ send_batch_size: 90000 }' }), []);
  assert.deepEqual(
    await warnings({ exporter: 'otlp: { endpoint: "unix:///tmp/s.sock" }', batch: '{ send_batch_size: 90000 }' }),
    [],
  );
});
