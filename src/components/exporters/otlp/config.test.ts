// The otlp exporter config: schema defaults equal Go's createDefaultConfig, and the factory's
// validate gives Go's messages (or a clear "not supported") for each bad setting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfig } from '../../../config/validate.ts';
import { fromPlain } from '../../../config/node.ts';
import { defaultOtlpExporterConfig, type OtlpExporterConfig } from './config.ts';
import { otlpExporterFactory } from './factory.ts';

function parse(yaml: Record<string, unknown>): OtlpExporterConfig {
  const result = validateConfig(
    otlpExporterFactory.configSchema,
    fromPlain(yaml, undefined),
    'exporters.otlp',
    undefined,
  );
  assert.deepEqual(result.issues, []);
  return result.value as OtlpExporterConfig;
}

function problems(yaml: Record<string, unknown>): string[] {
  return (otlpExporterFactory.validate?.(parse(yaml)) ?? []).map(([path, message]) => `${path}: ${message}`);
}

test('schema defaults are the Go defaults (gzip, 5s timeout, retry 5s/0.5/1.5/30s/300s, queue 10×1000)', () => {
  const parsed = parse({ endpoint: 'collector:4317' });
  assert.deepEqual(
    JSON.parse(JSON.stringify(parsed)),
    JSON.parse(JSON.stringify(defaultOtlpExporterConfig('collector:4317'))),
  );
  assert.equal(parsed.compression, 'gzip');
  assert.equal(parsed.timeout, 5000);
  assert.equal(parsed.tls.insecure, false);
  assert.deepEqual(problems({ endpoint: 'collector:4317' }), []);
});

test('the keys of the Go exporter parse: durations, keepalive, headers, newer queue keys', () => {
  const cfg = parse({
    endpoint: 'https://collector:443',
    timeout: '2s',
    headers: { 'x-tenant': 'a' },
    keepalive: { time: '30s' },
    tls: { ca_file: '/ca.pem', min_version: '1.3', reload_interval: '1m' },
    retry_on_failure: { initial_interval: '1s', max_elapsed_time: 0 },
    sending_queue: { sizer: 'items', block_on_overflow: true, wait_for_result: true },
    wait_for_ready: true,
    balancer_name: 'pick_first',
    write_buffer_size: '1MiB',
  });
  assert.equal(cfg.timeout, 2000);
  assert.deepEqual(cfg.keepalive, { time: 30_000, timeout: 10_000, permit_without_stream: false });
  assert.equal(cfg.tls.reload_interval, 60_000);
  assert.equal(cfg.sending_queue.sizer, 'items');
  assert.equal(cfg.write_buffer_size, 1024 * 1024);
  assert.deepEqual(problems({ endpoint: 'https://collector:443', tls: { min_version: '1.3' } }), []);
  assert.deepEqual(problems({ endpoint: 'c:4317', compression: 'zstd', compression_params: { level: 19 } }), []);
  assert.deepEqual(problems({ endpoint: 'c:4317', compression: 'snappy' }), []);
});

test('validate: each bad setting is reported with its path and a clear message', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{}, /^endpoint: requires a non-empty "endpoint"$/],
    [{ endpoint: 'collector' }, /^endpoint: address collector: missing port in address$/],
    [
      { endpoint: 'c:4317', compression: 'zstd', compression_params: { level: -2 } },
      /^compression_params\.level: unsupported parameters \{Level:-2\} for compression type "zstd" \(zstd takes 1 to 22\)$/,
    ],
    [
      { endpoint: 'c:4317', compression: 'x-snappy-framed' },
      /^compression: unsupported compression type "x-snappy-framed" for gRPC; use gzip, zstd, snappy or none$/,
    ],
    [
      { endpoint: 'c:4317', compression: 'snappy', compression_params: { level: 1 } },
      /^compression_params\.level: unsupported parameters \{Level:1\} for compression type "snappy"$/,
    ],
    [{ endpoint: 'c:4317', compression: 'brotli' }, /^compression: unsupported compression type "brotli"/],
    [
      { endpoint: 'c:4317', sending_queue: { batch: { flush_timeout: '0s' } } },
      /^sending_queue\.batch\.flush_timeout: `flush_timeout` must be greater than zero$/,
    ],
    [
      { endpoint: 'c:4317', sending_queue: { batch: { min_size: 10, max_size: 5 } } },
      /^sending_queue\.batch\.max_size: `max_size` must be greater or equal to `min_size`$/,
    ],
    [
      { endpoint: 'c:4317', sending_queue: { num_consumers: 0 } },
      /^sending_queue\.num_consumers: `num_consumers` must be positive$/,
    ],
    [
      { endpoint: 'c:4317', retry_on_failure: { max_elapsed_time: '1s' } },
      /^retry_on_failure\.max_elapsed_time: 'max_elapsed_time' must not be less than 'initial_interval'$/,
    ],
    [
      { endpoint: 'c:4317', retry_on_failure: { randomization_factor: 2 } },
      /randomization_factor value must be less than or equal to 1/,
    ],
    [
      { endpoint: 'c:4317', tls: { cert_file: 'c.pem' } },
      /^tls\.key_file: TLS configuration must include both certificate and key/,
    ],
    [{ endpoint: 'c:4317', tls: { min_version: '1.4' } }, /^tls\.min_version: invalid TLS min_version/],
    [
      { endpoint: 'c:4317', tls: { min_version: '1.3', max_version: '1.2' } },
      /min_version cannot be greater than max_version/,
    ],
    [{ endpoint: 'c:4317', balancer_name: 'weighted' }, /^balancer_name: invalid balancer_name: weighted/],
  ];
  for (const [yaml, expected] of cases) {
    const found = problems(yaml);
    assert.ok(
      found.some((p) => expected.test(p)),
      `${JSON.stringify(yaml)} → ${JSON.stringify(found)}`,
    );
  }
});

test('a disabled queue is not validated further', () => {
  assert.deepEqual(problems({ endpoint: 'c:4317', sending_queue: { enabled: false, num_consumers: 0 } }), []);
});

test('the factory declares the Go type and stability', () => {
  assert.equal(otlpExporterFactory.type, 'otlp');
  assert.equal(otlpExporterFactory.kind, 'exporter');
  assert.deepEqual(otlpExporterFactory.stability, { traces: 'stable', metrics: 'stable', logs: 'stable' });
});

test('compression_params.level: gzip takes -1 or 1 to 9; other compressions take none', () => {
  assert.deepEqual(problems({ endpoint: 'c:4317', compression_params: { level: 1 } }), []);
  assert.deepEqual(problems({ endpoint: 'c:4317', compression_params: { level: 12 } }), [
    'compression_params.level: unsupported parameters {Level:12} for compression type "gzip" (gzip takes -1 or 1 to 9)',
  ]);
  assert.deepEqual(problems({ endpoint: 'c:4317', compression: 'none', compression_params: { level: 3 } }), [
    'compression_params.level: unsupported parameters {Level:3} for compression type "none"',
  ]);
});
