// The endpoint forms the Go OTLP exporter accepts, and the errors for the ones it does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGrpcEndpoint } from './endpoint.ts';

test('accepted endpoint forms', () => {
  const cases: [string, Record<string, unknown>][] = [
    [
      'collector:4317',
      { transport: 'tcp', host: 'collector', port: 4317, authority: 'collector:4317', tls: 'from-config' },
    ],
    ['dns:///collector:4317', { transport: 'tcp', host: 'collector', port: 4317, tls: 'from-config' }],
    ['dns://8.8.8.8/collector:4317', { transport: 'tcp', host: 'collector', port: 4317 }],
    ['passthrough:///10.0.0.1:4317', { transport: 'tcp', host: '10.0.0.1', port: 4317 }],
    ['https://collector:443', { transport: 'tcp', host: 'collector', port: 443, tls: 'force' }],
    ['http://collector:4317', { transport: 'tcp', host: 'collector', port: 4317, tls: 'plaintext' }],
    ['[::1]:4317', { transport: 'tcp', host: '::1', port: 4317, authority: '[::1]:4317' }],
    ['unix:///var/run/otel.sock', { transport: 'unix', path: '/var/run/otel.sock', tls: 'from-config' }],
  ];
  for (const [endpoint, expected] of cases) {
    const parsed = parseGrpcEndpoint(endpoint);
    assert.ok(parsed.ok, endpoint);
    for (const [k, v] of Object.entries(expected))
      assert.equal((parsed.target as unknown as Record<string, unknown>)[k], v, `${endpoint} ${k}`);
  }
});

test('rejected endpoints say why', () => {
  const cases: [string, RegExp][] = [
    ['', /requires a non-empty "endpoint"/],
    ['collector', /address collector: missing port in address/],
    ['collector:otlp', /invalid port "otlp"/],
    ['collector:70000', /invalid port "70000"/],
    ['::1:4317', /too many colons/],
    ['unix://', /unix socket path cannot be empty/],
    ['unix://relative/sock', /must be absolute/],
    ['unix:sock', /unix:\/\/\/absolute\/path/],
    ['xds:///svc:443', /unsupported endpoint scheme "xds:\/\/"/],
    [':4317', /missing host/],
  ];
  for (const [endpoint, message] of cases) {
    const parsed = parseGrpcEndpoint(endpoint);
    assert.match(parsed.ok ? 'accepted' : parsed.message, message, endpoint);
  }
});
