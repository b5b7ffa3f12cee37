// The otlp receiver's config: Go's keys and defaults through the real validator, the cross-field
// rules (with Go's messages where Go has one), and the endpoints reported for conflict checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { TSchema } from 'typebox';
import { IssueList } from '../../../config/issues.ts';
import { validateConfig } from '../../../config/validate.ts';
import { parseYamlNode } from '../../../config/yaml-node.ts';
import { normalizeUrlPath, otlpAuthenticators, otlpEndpoints, type OtlpReceiverConfig } from './config.ts';
import { otlpReceiverFactory as factory } from './factory.ts';

function load(name: string): { config: OtlpReceiverConfig | undefined; messages: string[] } {
  const text = readFileSync(new URL(`testdata/${name}`, import.meta.url), 'utf8');
  const issues = new IssueList();
  const node = parseYamlNode(text, name, issues);
  const r = validateConfig(factory.configSchema, node, 'receivers.otlp', undefined);
  const messages = [...issues.items, ...r.issues].map((i) => `${i.path}: ${i.message}`);
  const config = r.value as OtlpReceiverConfig | undefined;
  if (config !== undefined)
    for (const [path, msg] of factory.validate?.(config) ?? []) messages.push(`receivers.otlp.${path}: ${msg}`);
  return { config, messages };
}

test('`grpc:` alone enables gRPC with Go defaults and leaves HTTP off', () => {
  const { config, messages } = load('only_grpc.yaml');
  assert.deepEqual(messages, []);
  assert.ok(config);
  const grpc = config.protocols.grpc;
  assert.ok(grpc);
  assert.equal(config.protocols.http, undefined);
  assert.equal(grpc.endpoint, 'localhost:4317');
  assert.equal(grpc.transport, 'tcp');
  assert.equal(grpc.max_recv_msg_size_mib, 4);
  assert.equal(grpc.max_concurrent_streams, 100);
  // telegate's own bounds (README: Memory), on by default.
  assert.deepEqual(config.admission, { request_limit_mib: 128, waiting_limit_mib: 32, body_timeout: 60_000 });
  assert.equal(grpc.read_buffer_size, 524288);
  assert.equal(grpc.include_metadata, false);
  assert.equal(grpc.tls, undefined);
  assert.equal(grpc.auth, undefined);
});

test('`http:` (null or {}) enables HTTP with Go defaults', () => {
  for (const file of ['only_http.yaml', 'only_http_empty_map.yaml']) {
    const { config, messages } = load(file);
    assert.deepEqual(messages, [], file);
    assert.ok(config);
    const http = config.protocols.http;
    assert.ok(http);
    assert.equal(config.protocols.grpc, undefined);
    assert.equal(http.endpoint, 'localhost:4318');
    assert.equal(http.traces_url_path, '/v1/traces');
    assert.equal(http.metrics_url_path, '/v1/metrics');
    assert.equal(http.logs_url_path, '/v1/logs');
    assert.equal(http.max_request_body_size, 20 * 1024 * 1024);
    assert.deepEqual(http.compression_algorithms, [
      '',
      'gzip',
      'zstd',
      'zlib',
      'snappy',
      'deflate',
      'lz4',
      'x-snappy-framed',
    ]);
    assert.equal(http.cors, undefined);
  }
});

test('every key parses with units converted; TLS files are checked at validation', () => {
  const { config, messages } = load('config.yaml');
  // The testdata names certificate files that do not exist: validation says so, per key and file.
  assert.deepEqual(messages, [
    'receivers.otlp.protocols.grpc.tls.cert_file: cannot read tls.cert_file server.crt: no such file',
    'receivers.otlp.protocols.grpc.tls.key_file: cannot read tls.key_file server.key: no such file',
    'receivers.otlp.protocols.grpc.tls.client_ca_file: cannot read tls.client_ca_file ca.crt: no such file',
  ]);
  assert.ok(config?.protocols.grpc && config.protocols.http);
  assert.equal(config.backpressure_timeout, 2000);
  assert.deepEqual(config.admission, { request_limit_mib: 256, waiting_limit_mib: 64, body_timeout: 20_000 });
  const grpc = config.protocols.grpc;
  assert.equal(grpc.read_buffer_size, 1024 * 1024);
  assert.equal(grpc.write_buffer_size, 512 * 1024);
  assert.deepEqual(grpc.keepalive?.server_parameters, {
    max_connection_idle: 11_000,
    max_connection_age: 12_000,
    max_connection_age_grace: 13_000,
    time: 30_000,
    timeout: 5000,
  });
  assert.deepEqual(grpc.keepalive.enforcement_policy, { min_time: 10_000, permit_without_stream: true });
  assert.equal(grpc.tls?.reload_interval, 3_600_000);
  const http = config.protocols.http;
  assert.equal(http.max_request_body_size, 8 * 1024 * 1024);
  assert.equal(http.read_header_timeout, 15_000);
  assert.equal(http.read_timeout, 40_000);
  assert.deepEqual(http.cors?.allowed_origins, ['https://*.test.com', 'https://test.com']);
  assert.equal(http.metrics_url_path, 'v2/metrics');
});

test("no protocol is refused with Go's message", () => {
  assert.deepEqual(load('bad_no_proto_config.yaml').messages, [
    'receivers.otlp.protocols: must specify at least one protocol when using the OTLP receiver',
  ]);
});

test('a typo in a protocol name is an unknown key', () => {
  const { messages } = load('typo_default_proto_config.yaml');
  assert.equal(messages.length, 1);
  assert.match(messages[0] ?? '', /protocols\.htttp/);
  assert.match(messages[0] ?? '', /http/);
});

test('bad endpoints, duplicate URL paths and half a TLS key pair are reported with their paths', () => {
  assert.deepEqual(load('bad_endpoint.yaml').messages, [
    'receivers.otlp.protocols.grpc.endpoint: endpoint "localhost" has no port (expected host:port)',
    'receivers.otlp.protocols.http.endpoint: invalid port "99999" in endpoint "[::1]:99999"',
  ]);
  assert.deepEqual(load('duplicate_paths.yaml').messages, [
    'receivers.otlp.protocols.http.logs_url_path: path "/v1/data" is already used by traces_url_path',
  ]);
  assert.deepEqual(load('tls_without_key.yaml').messages, [
    'receivers.otlp.protocols.grpc.tls.key_file: TLS configuration must include both certificate and key (cert_file/cert_pem and key_file/key_pem)',
  ]);
});

test('the auth block parses and is listed by authenticators()', () => {
  const { config, messages } = load('auth.yaml');
  assert.deepEqual(messages, []);
  assert.deepEqual(config?.protocols.grpc?.auth, { authenticator: 'basicauth/server' });
  assert.deepEqual(otlpAuthenticators(config), [{ path: 'protocols.grpc.auth.authenticator', id: 'basicauth/server' }]);
});

test("URL paths are normalised as Go's SanitizedURLPath", () => {
  assert.equal(normalizeUrlPath('v1/traces'), '/v1/traces');
  assert.equal(normalizeUrlPath('/x'), '/x');
  assert.equal(normalizeUrlPath('/x?y=1'), '/x');
});

test('endpoints() lists the enabled TCP endpoints', () => {
  assert.deepEqual(otlpEndpoints(load('config.yaml').config), [
    { path: 'protocols.grpc.endpoint', endpoint: '0.0.0.0:14317' },
    { path: 'protocols.http.endpoint', endpoint: '0.0.0.0:14318' },
  ]);
  assert.deepEqual(otlpEndpoints(load('only_http.yaml').config), [
    { path: 'protocols.http.endpoint', endpoint: 'localhost:4318' },
  ]);
});

test('every schema property has a description', () => {
  const missing: string[] = [];
  const walk = (s: TSchema, path: string): void => {
    const props = (s as { properties?: Record<string, TSchema> }).properties ?? {};
    for (const [k, v] of Object.entries(props)) {
      if (typeof (v as { description?: unknown }).description !== 'string') missing.push(`${path}.${k}`);
      walk(v, `${path}.${k}`);
    }
  };
  walk(factory.configSchema, 'otlp');
  assert.deepEqual(missing, []);
});
