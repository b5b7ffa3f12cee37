// The auth.authenticator check on whole configs, with the real otlp receiver/exporter and
// bearertokenauth factories and a basicauth stand-in whose role follows its config: each bad
// reference is one error with its YAML path, line and message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Type from 'typebox';
import type { ExtensionFactory } from '../contracts/component.ts';
import { otlpExporterFactory } from '../components/exporters/otlp/factory.ts';
import { debugExporterFactory } from '../components/exporters/debug/factory.ts';
import { bearerTokenAuthFactory } from '../components/extensions/bearertokenauth/factory.ts';
import { otlpReceiverFactory } from '../components/receivers/otlp/factory.ts';
import { loadConfig } from './load-config.ts';
import { registryOf } from './types.ts';

const basicauth: ExtensionFactory = {
  kind: 'extension',
  type: 'basicauth',
  stability: { extension: 'beta' },
  description: 'basicauth stand-in',
  configSchema: Type.Object({
    htpasswd: Type.Optional(Type.Object({ inline: Type.String({ description: 'i' }) })),
    client_auth: Type.Optional(
      Type.Object({ username: Type.String({ description: 'u' }), password: Type.String({ description: 'p' }) }),
    ),
  }),
  authenticatorRoles: (c) => {
    const cfg = c as { htpasswd?: unknown; client_auth?: unknown };
    return [...(cfg.htpasswd ? (['server'] as const) : []), ...(cfg.client_auth ? (['client'] as const) : [])];
  },
  create: () => ({ start: () => Promise.resolve(), shutdown: () => Promise.resolve() }),
};

const healthCheck: ExtensionFactory = {
  kind: 'extension',
  type: 'health_check',
  stability: { extension: 'beta' },
  description: 'not an authenticator',
  configSchema: Type.Object({}),
  create: () => ({ start: () => Promise.resolve(), shutdown: () => Promise.resolve() }),
};

const registry = registryOf([
  otlpReceiverFactory,
  otlpExporterFactory,
  debugExporterFactory,
  bearerTokenAuthFactory,
  basicauth,
  healthCheck,
]);

async function check(yaml: string): Promise<{ path: string; line: number | undefined; message: string }[]> {
  const { issues } = await loadConfig({ configs: [`yaml:${yaml}`], sets: [], env: {}, registry });
  return issues
    .filter((i) => i.code === 'TG_CONFIG_AUTHENTICATOR')
    .map((i) => ({ path: i.path, line: i.source?.line, message: i.message }));
}

const EXTENSIONS = `extensions:
  basicauth/server:
    htpasswd: { inline: "user-1:1234" }
  basicauth/client:
    client_auth: { username: user-1, password: "1234" }
  bearertokenauth:
    token: t0k3n
  health_check:
`;

test('valid references (the seed gateway and edge shapes, bearertokenauth both ways) raise nothing', async () => {
  const issues = await check(`${EXTENSIONS}
receivers:
  otlp/basicauth:
    protocols:
      grpc: { endpoint: "127.0.0.1:0", auth: { authenticator: basicauth/server } }
      http: { endpoint: "127.0.0.1:0", auth: { authenticator: bearertokenauth } }
exporters:
  otlp:
    endpoint: gateway.example:443
    auth: { authenticator: basicauth/client }
  otlp/bearer:
    endpoint: gateway.example:443
    auth: { authenticator: bearertokenauth }
service:
  extensions: [basicauth/server, basicauth/client, bearertokenauth, health_check]
  pipelines:
    traces: { receivers: [otlp/basicauth], exporters: [otlp, otlp/bearer] }
`);
  assert.deepEqual(issues, []);
});

test('each bad reference is reported with its path, line and message', async () => {
  const issues = await check(`${EXTENSIONS}
receivers:
  otlp/basicauth:
    protocols:
      grpc:
        endpoint: "127.0.0.1:0"
        auth:
          authenticator: basicauth/server
      http:
        endpoint: "127.0.0.1:0"
        auth:
          authenticator: basicauth/client
  otlp/health:
    protocols:
      grpc:
        endpoint: "127.0.0.1:0"
        auth: { authenticator: health_check }
exporters:
  otlp:
    endpoint: gateway.example:443
    auth:
      authenticator: basicauth/server
  otlp/typo:
    endpoint: gateway.example:443
    auth: { authenticator: bearertokenath }
service:
  extensions: [basicauth/client, health_check]
  pipelines:
    traces: { receivers: [otlp/basicauth, otlp/health], exporters: [otlp, otlp/typo] }
`);
  assert.deepEqual(issues, [
    {
      path: 'receivers.otlp/basicauth.protocols.grpc.auth.authenticator',
      line: 16,
      message: '"basicauth/server" is not in service.extensions',
    },
    {
      path: 'receivers.otlp/basicauth.protocols.http.auth.authenticator',
      line: 20,
      message: '"basicauth/client" is a client authenticator; a receiver needs a server one (configure htpasswd)',
    },
    {
      path: 'receivers.otlp/health.protocols.grpc.auth.authenticator',
      line: 25,
      message: '"health_check" is not an authenticator',
    },
    {
      path: 'exporters.otlp.auth.authenticator',
      line: 30,
      message: '"basicauth/server" is not in service.extensions',
    },
    {
      path: 'exporters.otlp/typo.auth.authenticator',
      line: 33,
      message: '"bearertokenath" is not configured under extensions; did you mean `bearertokenauth`?',
    },
  ]);
});

test('an exporter naming a server-only authenticator, and a receiver nobody uses, are told apart', async () => {
  const issues = await check(`${EXTENSIONS}
receivers:
  otlp:
    protocols:
      grpc: { endpoint: "127.0.0.1:0" }
  otlp/unused:
    protocols:
      grpc: { endpoint: "127.0.0.1:0", auth: { authenticator: nothing } }
exporters:
  otlp:
    endpoint: gateway.example:443
    auth: { authenticator: basicauth/server }
service:
  extensions: [basicauth/server]
  pipelines:
    traces: { receivers: [otlp], exporters: [otlp] }
`);
  assert.deepEqual(issues, [
    {
      path: 'exporters.otlp.auth.authenticator',
      line: 20,
      message: '"basicauth/server" is a server authenticator; an exporter needs a client one (configure client_auth)',
    },
  ]);
});

test('a receiver with another problem (a missing TLS file) still has its reference checked', async () => {
  const { issues } = await loadConfig({
    configs: [
      `yaml:${EXTENSIONS}
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: "127.0.0.1:0"
        tls: { cert_file: /nonexistent/telegate.crt, key_file: /nonexistent/telegate.key }
        auth: { authenticator: basicauth/servr }
exporters:
  debug:
service:
  extensions: [basicauth/server]
  pipelines:
    traces: { receivers: [otlp], exporters: [debug] }
`,
    ],
    sets: [],
    env: {},
    registry,
  });
  const paths = issues.map((i) => i.path);
  assert.ok(paths.includes('receivers.otlp.protocols.grpc.tls.cert_file'), paths.join(', '));
  const auth = issues.find((i) => i.code === 'TG_CONFIG_AUTHENTICATOR');
  assert.equal(auth?.path, 'receivers.otlp.protocols.grpc.auth.authenticator');
  assert.match(auth.message, /did you mean `basicauth\/server`/);
});
