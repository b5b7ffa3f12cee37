// Every secret a config can hold — basicauth client_auth.password and htpasswd.inline, bearertokenauth
// token(s), exporter headers, TLS key/cert/CA PEM — is a Secret once parsed, and never shows: not when
// the config is inspected, serialized or interpolated, not in validation output, not in thrown errors,
// not in the collector's own debug log while it starts, exports and stops.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { inspect } from 'node:util';
import {
  formatIssues,
  loadConfig,
  registryOf,
  type ResolvedComponent,
  type ResolvedConfig,
} from '../config/load-config.ts';
import type { Component } from '../contracts/component.ts';
import { graphSpecOf } from '../cli/load.ts';
import { Service } from '../service/service.ts';
import { ServiceLogger } from '../service/telemetry/logger.ts';
import { Secret } from '../util/secret.ts';
import { MemoryTelemetry, testHost } from '../../test/helpers/fakes.ts';
import { encodeRequest } from '../../test/helpers/otlp-proto.ts';
import { selfSignedCert } from '../../test/helpers/tls.ts';
import { BUILTIN_FACTORIES } from './builtin.ts';

const pair = selfSignedCert();
after(() => {
  rmSync(pair.dir, { recursive: true, force: true });
});
const KEY_PEM = pair.key.toString('utf8');
const CERT_PEM = pair.cert.toString('utf8');

const ENV = {
  PASSWORD: 'pw-7d1f-secret',
  INLINE: 'user-1:inline-7d1f-secret',
  TOKEN: 'tok-7d1f-secret',
  HEADER: 'hdr-7d1f-secret',
  KEY: KEY_PEM,
  CERT: CERT_PEM,
};

/** Text that must never appear: each secret, and each line of the private key's body. */
const GUESS = 'guess-7d1f-wrong';
const NEEDLES = [
  ENV.PASSWORD,
  ENV.INLINE,
  'inline-7d1f-secret',
  GUESS,
  Buffer.from(`user-1:${GUESS}`).toString('base64'),
  ENV.TOKEN,
  ENV.HEADER,
  Buffer.from(`user-1:${ENV.PASSWORD}`).toString('base64'),
  ...KEY_PEM.split('\n').filter((l) => l.length > 16 && !l.startsWith('-----')),
];

function assertNoSecret(what: string, text: string): void {
  for (const needle of NEEDLES) assert.ok(!text.includes(needle), `${what} shows a secret (${needle}):\n${text}`);
}

const CONFIG = `
extensions:
  basicauth/client:
    client_auth: { username: user-1, password: "\${env:PASSWORD}" }
  basicauth/server:
    htpasswd: { inline: "\${env:INLINE}" }
  bearertokenauth:
    tokens: ["\${env:TOKEN}"]
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:0
        tls: { cert_pem: "\${env:CERT}", key_pem: "\${env:KEY}" }
        auth: { authenticator: bearertokenauth }
      http:
        endpoint: 127.0.0.1:0
        auth: { authenticator: basicauth/server }
exporters:
  otlp:
    endpoint: 127.0.0.1:1
    headers: { x-api-key: "\${env:HEADER}" }
    tls: { ca_pem: "\${env:CERT}", cert_pem: "\${env:CERT}", key_pem: "\${env:KEY}" }
    auth: { authenticator: basicauth/client }
    retry_on_failure: { enabled: false }
    sending_queue: { enabled: false }
service:
  extensions: [basicauth/client, basicauth/server, bearertokenauth]
  telemetry: { logs: { level: debug } }
  pipelines:
    traces: { receivers: [otlp], exporters: [otlp] }
`;

async function load(yaml: string, env: Record<string, string> = ENV) {
  return loadConfig({ configs: [`yaml:${yaml}`], sets: [], env, registry: registryOf(BUILTIN_FACTORIES) });
}

async function resolved(): Promise<ResolvedConfig> {
  const { config, issues } = await load(CONFIG);
  assert.equal(formatIssues(issues), 'no problems');
  assert.ok(config);
  return config;
}

function configOf(config: ResolvedConfig, kind: 'extensions' | 'exporters', id: string): Record<string, unknown> {
  const c = config[kind].get(id)?.config;
  assert.ok(c !== undefined && typeof c === 'object');
  return c as Record<string, unknown>;
}

test('the parsed config holds each secret as a Secret that reveals the configured value', async () => {
  const config = await resolved();
  const client = configOf(config, 'extensions', 'basicauth/client') as { client_auth: { password: Secret } };
  const server = configOf(config, 'extensions', 'basicauth/server') as { htpasswd: { inline: Secret } };
  const bearer = configOf(config, 'extensions', 'bearertokenauth') as { tokens: Secret[] };
  const exporter = configOf(config, 'exporters', 'otlp') as {
    headers: Record<string, Secret>;
    tls: { key_pem: Secret; cert_pem: Secret; ca_pem: Secret };
  };
  const revealed = [
    client.client_auth.password,
    server.htpasswd.inline,
    bearer.tokens[0],
    exporter.headers['x-api-key'],
    exporter.tls.key_pem,
    exporter.tls.cert_pem,
    exporter.tls.ca_pem,
  ].map((s) => (s instanceof Secret ? s.reveal() : s));
  assert.deepEqual(revealed, [ENV.PASSWORD, ENV.INLINE, ENV.TOKEN, ENV.HEADER, KEY_PEM, CERT_PEM, CERT_PEM]);
});

test('inspecting, serializing or interpolating the config shows no secret', async () => {
  const config = await resolved();
  const toJson = (_k: string, v: unknown): unknown => (v instanceof Map ? Object.fromEntries(v) : v);
  const exporter = configOf(config, 'exporters', 'otlp');
  assertNoSecret('util.inspect', inspect(config, { depth: Infinity, showHidden: true }));
  assertNoSecret('console.log format', inspect(exporter, { depth: Infinity, colors: true }));
  assertNoSecret('JSON.stringify', JSON.stringify(config, toJson));
  assertNoSecret('template string', `headers ${String(exporter['headers'] && inspect(exporter['headers']))}`);
  const tls = exporter['tls'] as { key_pem: Secret };
  assertNoSecret('String()', `key ${String(tls.key_pem)}`);
});

test('validation output never quotes a secret, even when the secret is what is wrong', async () => {
  const broken = `
extensions:
  basicauth/client:
    client_auth: { username: "user-1:x", password: 42 }
  basicauth/server:
    htpasswd: { inline: "user-1:\${env:PASSWORD}\\nno-colon-\${env:PASSWORD}" }
  bearertokenauth:
    token: { nested: "\${env:TOKEN}" }
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:0
        tls: { cert_pem: "\${env:CERT}", key_pem: "-----BEGIN PRIVATE KEY-----\\n\${env:PASSWORD}\\n-----END PRIVATE KEY-----" }
exporters:
  otlp:
    endpoint: 127.0.0.1:1
    headers: { x-api-key: ["\${env:HEADER}"] }
    tls: { ca_pem: "\${env:CERT}", key_pem: "\${env:KEY}" }
service:
  extensions: [basicauth/client, basicauth/server, bearertokenauth]
  pipelines:
    traces: { receivers: [otlp], exporters: [otlp] }
`;
  const { config, issues } = await load(broken);
  assert.equal(config, undefined);
  const output = formatIssues(issues);
  // Each broken secret is reported (at its path), without its value.
  for (const path of [
    'basicauth/client.client_auth.password',
    'basicauth/server.htpasswd.inline',
    'bearertokenauth.token',
    'grpc.tls',
    'otlp.headers.x-api-key',
  ])
    assert.ok(output.includes(path), `no issue at ${path}:\n${output}`);
  assertNoSecret('validate output', output);
  assertNoSecret('issues as JSON', JSON.stringify(issues));
});

/** A ServiceLogger at debug level (the collector's own, with its field rendering) writing into `lines`. */
function debugLogger(lines: string[]): ServiceLogger {
  return new ServiceLogger('debug', 'json', (line) => lines.push(line));
}

test('starting, exporting with and stopping every secret-holding component logs no secret', async () => {
  const config = await resolved();
  const lines: string[] = [];
  const service = new Service(graphSpecOf(config), { logger: debugLogger(lines), telemetry: new MemoryTelemetry() });
  await service.start();
  // A client presenting a wrong password: refused, and the refusal logged at debug level.
  const endpoint = /"msg":"Starting HTTP server".*"endpoint":"([^"]+)"/.exec(lines.join('\n'))?.[1];
  assert.ok(endpoint !== undefined, lines.join('\n'));
  const refused = await fetch(`http://${endpoint}/v1/traces`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-protobuf',
      authorization: `Basic ${Buffer.from(`user-1:${GUESS}`).toString('base64')}`,
    },
    body: new Uint8Array(),
  });
  assert.equal(refused.status, 401);
  await refused.arrayBuffer();
  await service.shutdown();

  // The exporter on its own: its call fails (nothing listens on port 1), and that failure is logged
  // and returned — with the headers, the authenticator's credentials and the TLS key all configured.
  const extension = config.extensions.get('basicauth/client');
  const exporter = config.exporters.get('otlp');
  assert.ok(extension && exporter);
  const settings = (kind: 'extension' | 'exporter', component: ResolvedComponent) => ({
    id: component.id,
    kind,
    logger: debugLogger(lines),
    telemetry: new MemoryTelemetry(),
  });
  const auth: Component = extension.factory.create(settings('extension', extension), extension.config);
  const host = testHost({ 'basicauth/client': auth });
  await auth.start(host);
  const sender = exporter.factory.create(settings('exporter', exporter), exporter.config, 'traces');
  await sender.start(host);
  const bytes = encodeRequest('traces', { resourceSpans: [{ scopeSpans: [{ spans: [{ name: 's' }] }] }] });
  const result = await sender.consume({ signal: 'traces', bytes, items: 1, context: {} });
  await sender.shutdown();
  await auth.shutdown();

  assert.notEqual(result.status, 'success');
  assertNoSecret('export outcome', inspect(result, { depth: Infinity }));
  assert.ok(
    lines.some((l) => l.includes('"level":"debug"') && l.includes('Refused an unauthenticated request')),
    lines.join('\n'),
  );
  assertNoSecret('debug log', lines.join('\n'));
});
