// The otlp exporter with a client authenticator, against a real @grpc/grpc-js peer: its headers on
// every call (winning over `headers`), a refusal that names the authenticator and user but never
// the secret, start errors naming the YAML path, and the plaintext warning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClientAuthenticator, ServerAuthenticator } from '../../../contracts/auth.ts';
import type { Component } from '../../../contracts/component.ts';
import type { Payload } from '../../../contracts/payload.ts';
import { GrpcStatus } from '../../../errors/grpc-status.ts';
import { testHost, testSettings } from '../../../../test/helpers/fakes.ts';
import { OtlpGrpcServer } from '../../../../test/helpers/otlp-grpc-server.ts';
import { encodeRequest } from '../../../../test/helpers/otlp-proto.ts';
import { bearerTokenAuthFactory } from '../../extensions/bearertokenauth/factory.ts';
import { defaultOtlpExporterConfig, type OtlpExporterConfig } from './config.ts';
import { createOtlpExporter } from './otlp-exporter.ts';
import { Secret } from '../../../util/secret.ts';

const FAST = { reconnect: { initialMs: 5, maxMs: 20 }, shutdownTimeoutMs: 5000 };
const SECRET = 'ZWRnZS0xOnMzY3IzdC1wYXNzd29yZA==';

const SPANS: Payload = {
  signal: 'traces',
  bytes: encodeRequest('traces', {
    resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(8, 1) }] }] }],
  }),
  items: 1,
  context: {},
};

function fakeClient(headers: Record<string, string>, identity = 'edge-1'): ClientAuthenticator {
  return {
    isClientAuthenticator: true,
    identity,
    requestHeaders: () => headers,
    start: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
}

function config(endpoint: string, patch: (c: OtlpExporterConfig) => void = () => undefined): OtlpExporterConfig {
  const cfg = defaultOtlpExporterConfig(endpoint);
  cfg.tls.insecure = true;
  cfg.sending_queue.enabled = false;
  cfg.auth = { authenticator: 'basicauth/client' };
  patch(cfg);
  return cfg;
}

async function withPeer(
  extensions: Record<string, Component>,
  patch: (c: OtlpExporterConfig) => void,
  fn: (ctx: {
    server: OtlpGrpcServer;
    exporter: ReturnType<typeof createOtlpExporter>;
    settings: ReturnType<typeof testSettings>;
  }) => Promise<void>,
): Promise<void> {
  const server = new OtlpGrpcServer();
  const port = await server.start();
  const settings = testSettings('exporter', 'otlp/gateway');
  const exporter = createOtlpExporter(settings, config(`127.0.0.1:${port}`, patch), 'traces', FAST);
  try {
    await exporter.start(testHost(extensions));
    await fn({ server, exporter, settings });
  } finally {
    await exporter.shutdown();
    await server.stop();
  }
}

test("the authenticator's headers arrive on every call and win over `headers`", async () => {
  const auth = fakeClient({ Authorization: `Basic ${SECRET}` });
  await withPeer(
    { 'basicauth/client': auth },
    (c) => (c.headers = { authorization: new Secret('Basic from-headers'), 'x-tenant': new Secret('acme') }),
    async ({ server, exporter, settings }) => {
      for (let i = 0; i < 2; i++) assert.equal((await exporter.consume(SPANS)).status, 'success');
      assert.equal(server.calls.length, 2);
      for (const call of server.calls) {
        assert.equal(call.metadata['authorization'], `Basic ${SECRET}`);
        assert.equal(call.metadata['x-tenant'], 'acme');
      }
      assert.doesNotMatch(settings.logger.text(), /not applied|plaintext/, 'no warning on loopback');
    },
  );
});

test('a refusal names the authenticator and the user, never the secret (even when the server echoes it)', async () => {
  const auth = fakeClient({ authorization: `Basic ${SECRET}` });
  await withPeer(
    { 'basicauth/client': auth },
    () => undefined,
    async ({ server, exporter, settings }) => {
      server.fallback = { code: GrpcStatus.UNAUTHENTICATED, message: `credentials Basic ${SECRET} do not match` };
      const result = await exporter.consume(SPANS);
      assert.ok(result.status === 'failure');
      const message = result.error.message;
      assert.match(
        message,
        /^the destination refused the credentials of authenticator "basicauth\/client" for user "edge-1": the gateway at 127\.0\.0\.1:\d+ answered UNAUTHENTICATED: credentials \[REDACTED\] do not match/,
      );
      assert.match(settings.logger.text(), /basicauth\/client.*edge-1/);
      assert.doesNotMatch(settings.logger.text(), new RegExp(SECRET.slice(0, 12)));
      assert.doesNotMatch(message, new RegExp(SECRET.slice(0, 12)));
      server.fallback = { code: GrpcStatus.PERMISSION_DENIED, message: 'no write access' };
      const denied = await exporter.consume(SPANS);
      assert.match(denied.status === 'failure' ? denied.error.message : '', /PERMISSION_DENIED: no write access/);
    },
  );
});

test('start fails naming exporters.<id>.auth.authenticator when the extension is missing or not a client', async () => {
  const serverOnly: ServerAuthenticator = {
    isServerAuthenticator: true,
    authenticate: () => ({ ok: true, auth: {} }),
    start: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  const cases = [
    [
      {},
      /: exporters\.otlp\/gateway\.auth\.authenticator: failed to resolve authenticator "basicauth\/client": authenticator not found/,
    ],
    [
      { 'basicauth/client': serverOnly },
      /: exporters\.otlp\/gateway\.auth\.authenticator: requested authenticator "basicauth\/client" is not a client authenticator/,
    ],
  ] as const;
  for (const [extensions, message] of cases) {
    const exporter = createOtlpExporter(
      testSettings('exporter', 'otlp/gateway'),
      config('127.0.0.1:1'),
      'traces',
      FAST,
    );
    await assert.rejects(exporter.start(testHost(extensions)), message);
    await exporter.shutdown();
  }
});

test('credentials over plaintext to another host are warned about at start; TLS or loopback is quiet', async () => {
  const cases = [
    ['192.0.2.10:4317', (c: OtlpExporterConfig) => (c.tls.insecure = true), true],
    ['http://gateway.example:4317', () => undefined, true],
    ['https://gateway.example:4317', () => undefined, false],
    ['gateway.example:4317', (c: OtlpExporterConfig) => (c.tls.insecure = false), false],
    ['localhost:4317', (c: OtlpExporterConfig) => (c.tls.insecure = true), false],
  ] as const;
  for (const [endpoint, patch, warned] of cases) {
    const settings = testSettings('exporter', 'otlp/gateway');
    const exporter = createOtlpExporter(settings, config(endpoint, patch), 'traces', FAST);
    await exporter.start(testHost({ 'basicauth/client': fakeClient({ authorization: `Basic ${SECRET}` }) }));
    await exporter.shutdown();
    const warnings = settings.logger.lines.filter((l) => l.level === 'warn').map((l) => l.msg);
    assert.equal(
      warnings.some((m) => m.includes('credentials would cross the network in plaintext')),
      warned,
      `${endpoint}: ${JSON.stringify(warnings)}`,
    );
  }
});

test('bearertokenauth as the client: `authorization: Bearer <token>` on every call', async () => {
  const factory = bearerTokenAuthFactory;
  const bearer = factory.create(testSettings('extension', 'bearertokenauth'), {
    header: 'Authorization',
    scheme: 'Bearer',
    token: new Secret('s3cr3t-token'),
  });
  await bearer.start(testHost());
  await withPeer(
    { bearertokenauth: bearer },
    (c) => (c.auth = { authenticator: 'bearertokenauth' }),
    async ({ server, exporter }) => {
      assert.equal((await exporter.consume(SPANS)).status, 'success');
      assert.equal(server.calls[0]?.metadata['authorization'], 'Bearer s3cr3t-token');
    },
  );
  await bearer.shutdown();
});

test('a refused token is renewed (oauth2client) and the call retried once with the new one', async () => {
  let token = 'old';
  let renewals = 0;
  const renewing: ClientAuthenticator = {
    ...fakeClient({}, 'edge-1'),
    requestHeaders: () => headersFor(token),
    renewCredentials: () => {
      renewals++;
      token = `new-${String(renewals)}`;
      return Promise.resolve();
    },
  };
  const cache = new Map<string, Record<string, string>>();
  const headersFor = (t: string): Record<string, string> => {
    if (!cache.has(t)) cache.set(t, { authorization: `Bearer ${t}` });
    return cache.get(t) ?? {};
  };
  await withPeer(
    { 'basicauth/client': renewing },
    () => undefined,
    async ({ server, exporter }) => {
      server.script.push({ code: GrpcStatus.UNAUTHENTICATED, message: 'the token has expired' });
      assert.equal((await exporter.consume(SPANS)).status, 'success');
      assert.deepEqual(
        server.calls.map((c) => c.metadata['authorization']),
        ['Bearer old', 'Bearer new-1'],
      );
      // Refused again after renewal: one retry only, then the refusal is the answer.
      server.fallback = { code: GrpcStatus.UNAUTHENTICATED, message: 'the token is for another audience' };
      const refused = await exporter.consume(SPANS);
      assert.equal(refused.status, 'failure');
      assert.equal(server.calls.length, 4);
      assert.equal(renewals, 2);
    },
  );
});
