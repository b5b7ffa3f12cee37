import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGenArgs } from './flags.ts';
import { endpointOf, httpPathOf } from './options.ts';

test("telemetrygen's defaults for each signal", () => {
  const t = parseGenArgs(['traces']);
  assert.equal(endpointOf(t), 'localhost:4317');
  assert.equal(t.insecure, false);
  assert.deepEqual([t.workers, t.rate, t.count, t.childSpans, t.durationMs], [1, 0, 1, 1, 0]);
  assert.deepEqual([t.service, t.statusCode, t.batch, t.spanDurationNs], ['telemetrygen', 0, true, 123_000]);
  assert.equal(httpPathOf(t), '/v1/traces');
  const m = parseGenArgs(['metrics', '--otlp-http']);
  assert.deepEqual(
    [endpointOf(m), httpPathOf(m), m.rate, m.metricName, m.metricType, m.temporality],
    ['localhost:4318', '/v1/metrics', 1, 'gen', 'Gauge', 2],
  );
  const l = parseGenArgs(['logs']);
  assert.deepEqual([l.body, l.severityText, l.severityNumber, httpPathOf(l)], ['the message', 'Info', 9, '/v1/logs']);
});

test('pflag syntax: --flag value, --flag=value, booleans with =false, repeated key=value flags', () => {
  const o = parseGenArgs([
    'traces',
    '--otlp-endpoint=collector:4317',
    '--otlp-insecure',
    '--batch=false',
    '--rate',
    '250.5',
    '--duration',
    '1m30s',
    '--otlp-header',
    'x-tenant="acme"',
    '--otlp-attributes',
    'k8s.ns="prod"',
    '--otlp-attributes',
    'replicas=3',
    '--telemetry-attributes',
    'tags=["a", "b,c"]',
    '--status-code',
    'Error',
    '--span-duration',
    '2ms',
  ]);
  assert.equal(o.endpoint, 'collector:4317');
  assert.equal(o.insecure, true);
  assert.equal(o.batch, false);
  assert.equal(o.rate, 250.5);
  assert.equal(o.durationMs, 90_000);
  assert.deepEqual(o.headers, { 'x-tenant': 'acme' });
  assert.deepEqual(o.resourceAttributes, [
    ['k8s.ns', 'prod'],
    ['replicas', 3],
  ]);
  assert.deepEqual(o.telemetryAttributes, [['tags', ['a', 'b,c']]]);
  assert.equal(o.statusCode, 2, 'Error is OTLP status code 2');
  assert.equal(o.spanDurationNs, 2_000_000);
  assert.equal(parseGenArgs(['traces', '--duration', 'inf']).durationMs, Infinity);
  assert.equal(parseGenArgs(['traces', '--status-code', '2']).statusCode, 1, "Go's codes.Ok (2) is OTLP's 1");
});

test('refusals say what is wrong', () => {
  const cases: [string[], RegExp][] = [
    [['spans'], /expected a signal/],
    [['traces', '--nope'], /unknown flag --nope/],
    [['logs', '--child-spans', '2'], /unknown flag --child-spans for gen logs/],
    [['traces', '--traces', '0'], /either `traces` or `duration` must be greater than 0/],
    [['traces', '--otlp-attributes', 'k=unquoted'], /double quotes/],
    [['traces', '--telemetry-attributes', 'k=[1, "a"]'], /same type/],
    [['traces', '--rate'], /needs an argument/],
    [['traces', '--status-code', 'bad'], /Unset, Error, Ok/],
    [['traces', '--mtls'], /--client-cert and --client-key/],
    [['traces', '--otlp-basic-auth', 'nopassword'], /user:password/],
    [['logs', '--severity-number', '25'], /1 to 24/],
    [['traces', '--scenario', 'bank'], /unknown scenario/],
    [['traces', '--otlp-oauth2-client-id', 'a'], /need --otlp-oauth2-token-url/],
    [['traces', '--otlp-oauth2-token-url', 'ftp://x'], /not an http\(s\) URL/],
    [['traces', '--otlp-oauth2-token-url', 'https://x/t'], /needs --otlp-oauth2-client-id/],
    [['traces', '--otlp-oauth2-token-url', 'https://x/t', '--otlp-oauth2-client-id', 'a'], /client-secret/],
    [
      [
        'traces',
        '--otlp-oauth2-token-url=https://x/t',
        '--otlp-oauth2-client-id=a',
        '--otlp-oauth2-client-secret=s',
        '--otlp-basic-auth=u:p',
      ],
      /choose one/,
    ],
  ];
  for (const [argv, message] of cases) assert.throws(() => parseGenArgs(argv), message, argv.join(' '));
});

test('--otlp-oauth2-*: the client-credentials settings', () => {
  const o = parseGenArgs([
    'traces',
    '--otlp-oauth2-token-url',
    'https://id.example/token',
    '--otlp-oauth2-client-id=edge-1',
    '--otlp-oauth2-client-secret-file=/run/secret',
    '--otlp-oauth2-scopes=telemetry.write,other',
  ]);
  assert.deepEqual(o.oauth2, {
    tokenUrl: 'https://id.example/token',
    clientId: 'edge-1',
    clientSecret: '',
    clientSecretFile: '/run/secret',
    scopes: ['telemetry.write', 'other'],
  });
});
