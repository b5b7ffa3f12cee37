// The otlphttp exporter config: schema defaults equal Go's createDefaultConfig, and validate gives a
// clear message with the key for each bad setting (no scheme, unknown encoding or compression, …).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { validateConfig } from '../../../config/validate.ts';
import { fromPlain } from '../../../config/node.ts';
import { loadConfig, registryOf } from '../../../config/load-config.ts';
import { BUILTIN_FACTORIES } from '../../builtin.ts';
import { defaultOtlpHttpExporterConfig, type OtlpHttpExporterConfig } from './config.ts';
import { otlpHttpExporterFactory } from './factory.ts';
import { signalUrl, urlProblem } from './signal-url.ts';

function parse(yaml: Record<string, unknown>): OtlpHttpExporterConfig {
  const result = validateConfig(
    otlpHttpExporterFactory.configSchema,
    fromPlain(yaml, undefined),
    'exporters.otlphttp',
    undefined,
  );
  assert.deepEqual(result.issues, []);
  return result.value as OtlpHttpExporterConfig;
}

function problems(yaml: Record<string, unknown>): string[] {
  return (otlpHttpExporterFactory.validate?.(parse(yaml)) ?? []).map(([path, message]) => `${path}: ${message}`);
}

test('schema defaults are the Go defaults (proto, gzip, 30s, 512 KiB, retry, queue on)', () => {
  const parsed = parse({ endpoint: 'http://collector:4318' });
  assert.deepEqual(
    JSON.parse(JSON.stringify(parsed)),
    JSON.parse(JSON.stringify(defaultOtlpHttpExporterConfig('http://collector:4318'))),
  );
  assert.equal(parsed.encoding, 'proto');
  assert.equal(parsed.compression, 'gzip');
  assert.equal(parsed.timeout, 30_000);
  assert.equal(parsed.sending_queue.enabled, true);
  assert.deepEqual(problems({ endpoint: 'http://collector:4318' }), []);
});

test('the keys of the Go exporter parse', () => {
  const cfg = parse({
    endpoint: 'https://collector:4318',
    traces_endpoint: 'https://traces:443/v1/traces',
    encoding: 'json',
    compression: 'none',
    headers: { 'x-tenant': 'a' },
    timeout: '2s',
    idle_conn_timeout: '1m',
    max_conns_per_host: 4,
    disable_keep_alives: true,
    auth: { authenticator: 'basicauth/client' },
    retry_on_failure: { initial_interval: '1s' },
  });
  assert.equal(cfg.timeout, 2000);
  assert.equal(cfg.idle_conn_timeout, 60_000);
  assert.equal(cfg.auth?.authenticator, 'basicauth/client');
  assert.deepEqual(problems({ logs_endpoint: 'http://logs:4318/v1/logs', encoding: 'json' }), []);
  assert.deepEqual(problems({ endpoint: 'http://c:1', compression: 'snappy' }), []);
  assert.deepEqual(problems({ endpoint: 'http://c:1', compression: 'x-snappy-framed' }), []);
});

test('validate: each bad setting is reported with its key and a clear message', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{}, /^endpoint: at least one endpoint must be specified$/],
    [
      { endpoint: 'collector:4318' },
      /^endpoint: endpoint must be a valid URL: .*no http:\/\/ or https:\/\/ scheme; write e\.g\. http:\/\/collector:4318$/,
    ],
    [
      { endpoint: 'grpc://collector:4317' },
      /^endpoint: .*no http:\/\/ or https:\/\/ scheme; write e\.g\. http:\/\/collector:4317/,
    ],
    [{ endpoint: 'not a url' }, /^endpoint: endpoint must be a valid URL: "not a url" is not a URL/],
    [{ metrics_endpoint: 'metrics:4318/v1/metrics' }, /^metrics_endpoint: metrics_endpoint must be a valid URL/],
    [
      { endpoint: 'http://c:1', encoding: 'protobuf' },
      /^encoding: invalid encoding type: protobuf \(use proto or json\)$/,
    ],
    [{ endpoint: 'http://c:1', compression: 'br' }, /^compression: unsupported compression type "br"/],
    [
      { endpoint: 'http://c:1', compression: 'lz4' },
      /^compression: compression "lz4" is not supported by telegate yet/,
    ],
    [
      { endpoint: 'http://c:1', compression: 'x-snappy-framed', compression_params: { level: 1 } },
      /^compression_params\.level: unsupported parameters \{Level:1\} for compression type "x-snappy-framed"$/,
    ],
    [
      { endpoint: 'http://c:1', compression: 'zstd', compression_params: { level: 23 } },
      /^compression_params\.level: unsupported parameters \{Level:23\} for compression type "zstd" \(zstd takes 1 to 22\)$/,
    ],
    [
      { endpoint: 'http://c:1', compression: 'none', compression_params: { level: 5 } },
      /^compression_params\.level: unsupported parameters/,
    ],
    [{ endpoint: 'http://c:1', compression_params: { level: 12 } }, /^compression_params\.level: .*takes -1 or 1 to 9/],
    [
      { endpoint: 'http://c:1', proxy_url: 'http://proxy:3128' },
      /^proxy_url: proxy_url is not supported by telegate yet/,
    ],
    [{ endpoint: 'http://c:1', timeout: '-1s' }, /^timeout: 'timeout' must be non-negative$/],
    [{ endpoint: 'http://c:1', auth: { authenticator: '' } }, /^auth\.authenticator: /],
    [{ endpoint: 'http://c:1', retry_on_failure: { multiplier: -1 } }, /^retry_on_failure\./],
    [{ endpoint: 'http://c:1', sending_queue: { num_consumers: 0 } }, /^sending_queue\./],
    [{ endpoint: 'http://c:1', tls: { min_version: '1.7' } }, /^tls\.min_version/],
  ];
  for (const [yaml, expected] of cases) {
    const found = problems(yaml);
    assert.ok(
      found.some((p) => expected.test(p)),
      `${JSON.stringify(yaml)}: ${JSON.stringify(found)}`,
    );
  }
});

test('signal URLs follow composeSignalURL', () => {
  assert.equal(signalUrl('http://c:4318', '', 'traces').href, 'http://c:4318/v1/traces');
  assert.equal(signalUrl('http://c:4318/', '', 'metrics').href, 'http://c:4318/v1/metrics');
  assert.equal(signalUrl('http://c:4318/otlp', '', 'logs').href, 'http://c:4318/otlp/v1/logs');
  assert.equal(signalUrl('http://c:4318', 'https://t/x', 'traces').href, 'https://t/x');
  assert.equal(urlProblem('https://[::1]:4318'), undefined);
  assert.match(urlProblem('http://') ?? '', /not a URL/);
});

test('telegate validate: a bad config names each problem with its YAML path and line', async () => {
  const file = fileURLToPath(new URL('./testdata/bad-config.yaml', import.meta.url));
  const { config, issues } = await loadConfig({ configs: [file], sets: [], registry: registryOf(BUILTIN_FACTORIES) });
  assert.equal(config, undefined);
  const shown = issues.map((i) => `${i.path}:${String(i.source?.line)} ${i.message}`);
  const expected: RegExp[] = [
    /^exporters\.otlphttp\.endpoint:8 endpoint must be a valid URL: .*scheme/,
    /^exporters\.otlphttp\.encoding:9 invalid encoding type: protobuf/,
    /^exporters\.otlphttp\.compression:10 unsupported compression type "brotli"/,
    /^exporters\.otlphttp\/signals\.traces_endpoint:12 traces_endpoint must be a valid URL/,
  ];
  for (const want of expected)
    assert.ok(
      shown.some((s) => want.test(s)),
      `${String(want)} in ${JSON.stringify(shown)}`,
    );
});
