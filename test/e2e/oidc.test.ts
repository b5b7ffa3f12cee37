// End to end with a real OpenID provider (oidc-provider, in memory, on loopback over HTTPS): the
// OpenTelemetry JS SDK sends spans to an edge whose otlp exporter authenticates with `oauth2client`
// over TLS to a gateway checking tokens with `oidc`; the spans arrive stamped with the verified
// subject (attributes from_context). Key rotation at the provider is picked up by the gateway, and
// each kind of bad token is refused with 401 and a reason that says what is wrong.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { rmSync } from 'node:fs';
import { ExportResultCode } from '@opentelemetry/core';
import { generateKeyPair, SignJWT } from 'jose';
import { OtlpGrpcServer, OTLP_PATHS } from '../helpers/otlp-grpc-server.ts';
import { decodeRequest, encodeRequest } from '../helpers/otlp-proto.ts';
import { makeProviderKey, OpenIdProvider, type ProviderKey } from '../helpers/openid-provider.ts';
import { sdkBatch, sdkExporter, sdkSend } from '../helpers/sdk.ts';
import { freePort, startTelegate, type TelegateProcess } from '../helpers/telegate-process.ts';
import { makeCa, type TestCa } from '../helpers/tls.ts';

const CLIENT = { clientId: 'edge-1', clientSecret: 'e2e-client-s3cret', audience: 'telegate-gateway', tokenTtlS: 300 };

let ca: TestCa;
let provider: OpenIdProvider;
let firstKey: ProviderKey;
let sink: OtlpGrpcServer;
let gateway: TelegateProcess | undefined;
let edge: TelegateProcess | undefined;
let gatewayHttpPort = 0;
let edgePort = 0;

function gatewayConfig(sinkPort: number, grpcPort: number, httpPort: number): string {
  const cert = ca.issue('gateway');
  const tls = `{ cert_file: ${cert.certFile}, key_file: ${cert.keyFile} }`;
  return `
extensions:
  oidc:
    issuer_url: ${provider.issuer}
    issuer_ca_path: ${ca.certFile}
    audience: ${CLIENT.audience}
receivers:
  otlp:
    protocols:
      grpc: { endpoint: 127.0.0.1:${String(grpcPort)}, tls: ${tls}, auth: { authenticator: oidc } }
      http: { endpoint: 127.0.0.1:${String(httpPort)}, tls: ${tls}, auth: { authenticator: oidc } }
processors:
  attributes/origin:
    actions:
      - { key: telegate.sender, from_context: auth.subject, action: upsert }
      - { key: telegate.scope, from_context: auth.scope, action: upsert }
exporters:
  otlp: { endpoint: 127.0.0.1:${String(sinkPort)}, tls: { insecure: true } }
service:
  telemetry: { metrics: { level: none } }
  extensions: [oidc]
  pipelines:
    traces: { receivers: [otlp], processors: [attributes/origin], exporters: [otlp] }
`;
}

function edgeConfig(port: number, gatewayPort: number): string {
  return `
extensions:
  oauth2client:
    client_id: ${CLIENT.clientId}
    client_secret: ${CLIENT.clientSecret}
    token_url: ${provider.issuer}/token
    scopes: [telemetry.write]
    tls: { ca_file: ${ca.certFile} }
receivers:
  otlp:
    protocols:
      grpc: { endpoint: 127.0.0.1:${String(port)} }
exporters:
  otlp:
    endpoint: 127.0.0.1:${String(gatewayPort)}
    tls: { ca_file: ${ca.certFile} }
    auth: { authenticator: oauth2client }
service:
  telemetry: { metrics: { level: none } }
  extensions: [oauth2client]
  pipelines:
    traces: { receivers: [otlp], exporters: [otlp] }
`;
}

before(async () => {
  ca = makeCa();
  const providerCert = ca.issue('provider');
  firstKey = await makeProviderKey('key-1');
  provider = await new OpenIdProvider({ key: providerCert.key, cert: providerCert.cert }, CLIENT).start([firstKey]);
  sink = new OtlpGrpcServer();
  const sinkPort = await sink.start();
  const gatewayGrpcPort = await freePort();
  gatewayHttpPort = await freePort();
  edgePort = await freePort();
  gateway = await startTelegate(gatewayConfig(sinkPort, gatewayGrpcPort, gatewayHttpPort));
  await gateway.waitFor(/OpenID provider keys loaded/);
  edge = await startTelegate(edgeConfig(edgePort, gatewayGrpcPort));
});

after(async () => {
  await edge?.stop();
  await gateway?.stop();
  await sink.stop();
  await provider.close();
  rmSync(ca.dir, { recursive: true, force: true });
});

/** The string attributes of every span of the calls the sink received from `from` on. */
function spanAttributes(from: number): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const call of sink.calls.slice(from).filter((c) => c.path === OTLP_PATHS.traces)) {
    const req = decodeRequest('traces', call.bytes);
    for (const rs of req.resourceSpans ?? [])
      for (const ss of rs.scopeSpans ?? [])
        for (const span of ss.spans ?? []) {
          const attrs: Record<string, string> = {};
          for (const a of span.attributes ?? []) attrs[a.key] = a.value?.stringValue;
          out.push(attrs);
        }
  }
  return out;
}

/** POSTs one span to the gateway's OTLP/HTTP endpoint with `authorization`; resolves with the answer. */
function postToGateway(authorization: string): Promise<{ status: number; challenge: string }> {
  const body = encodeRequest('traces', {
    resourceSpans: [
      { scopeSpans: [{ spans: [{ traceId: Buffer.alloc(16, 7), spanId: Buffer.alloc(8, 7), name: 'direct' }] }] },
    ],
  });
  return new Promise((resolve, reject) => {
    const req = https.request(
      `https://127.0.0.1:${String(gatewayHttpPort)}/v1/traces`,
      { method: 'POST', ca: ca.cert, headers: { 'content-type': 'application/x-protobuf', authorization } },
      (res) => {
        res.resume();
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, challenge: res.headers['www-authenticate'] ?? '' });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A token straight from the provider's token endpoint, as the edge gets it. */
function fetchToken(): Promise<string> {
  const basic = Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString('base64');
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${provider.issuer}/token`,
      {
        method: 'POST',
        ca: ca.cert,
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => {
          resolve((JSON.parse(text) as { access_token: string }).access_token);
        });
      },
    );
    req.on('error', reject);
    req.end('grant_type=client_credentials&scope=telemetry.write');
  });
}

test('SDK → edge (oauth2client) → TLS → gateway (oidc): spans arrive stamped with the subject', async () => {
  const batch = await sdkBatch('traces');
  const from = sink.calls.length;
  const exporter = sdkExporter('traces', 'grpc', { grpc: `http://127.0.0.1:${String(edgePort)}`, http: '' });
  try {
    const result = await sdkSend(exporter, batch.items);
    assert.equal(result.code, ExportResultCode.SUCCESS, result.error?.message);
  } finally {
    await exporter.shutdown();
  }
  await sink.waitForCalls(from + 1);
  const spans = spanAttributes(from);
  assert.ok(spans.length > 0);
  for (const attrs of spans) {
    assert.equal(attrs['telegate.sender'], CLIENT.clientId);
    assert.equal(attrs['telegate.scope'], 'telemetry.write');
  }
  assert.doesNotMatch(`${edge?.output() ?? ''}${gateway?.output() ?? ''}`, new RegExp(CLIENT.clientSecret));
});

test('key rotation at the provider: tokens signed by the new key are accepted', async () => {
  const secondKey = await makeProviderKey('key-2');
  provider.useKeys([secondKey, firstKey]);
  const token = await fetchToken();
  assert.match(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString(), /"kid":"key-2"/);
  const from = sink.calls.length;
  assert.equal((await postToGateway(`Bearer ${token}`)).status, 200);
  await sink.waitForCalls(from + 1);
  assert.equal(spanAttributes(from)[0]?.['telegate.sender'], CLIENT.clientId);
});

test('refused with 401 and the reason: unpublished key, expired, another audience, alg none, garbage', async () => {
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: provider.issuer, aud: CLIENT.audience, sub: 'intruder', iat: now, exp: now + 300 };
  const sign = (key: ProviderKey, over: Record<string, unknown> = {}): Promise<string> =>
    new SignJWT({ ...claims, ...over }).setProtectedHeader({ alg: 'ES256', kid: key.kid }).sign(key.privateKey);
  const { privateKey } = await generateKeyPair('ES256');
  const unpublished = { kid: 'key-x', privateKey, jwk: {} };
  const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const cases: [string, string, RegExp][] = [
    ['unpublished key', await sign(unpublished), /signed by an unknown key/],
    ['unpublished key, known kid', await sign({ ...unpublished, kid: firstKey.kid }), /signature is invalid/],
    ['expired', await sign(firstKey, { iat: now - 900, exp: now - 600 }), /has expired/],
    ['another audience', await sign(firstKey, { aud: 'another-service' }), /for another audience/],
    ['alg none', `${b64({ alg: 'none' })}.${b64(claims)}.`, /algorithm that is not accepted/],
    ['garbage', 'not-a-jwt', /not a signed JWT/],
  ];
  for (const [name, token, reason] of cases) {
    const answer = await postToGateway(`Bearer ${token}`);
    assert.equal(answer.status, 401, name);
    assert.match(answer.challenge, reason, name);
  }
});
