// The otlp receiver with a server authenticator (a scripted fake): every request is authenticated
// from its headers before its body is read; refusals get exact statuses (challenge, retry info),
// are counted, never reach the consumer, and the verified identity reaches it in context.auth.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { connect, type ClientHttp2Session, type IncomingHttpHeaders } from 'node:http2';
import { fromPlain } from '../../../config/node.ts';
import { validateConfig } from '../../../config/validate.ts';
import type { AuthResult, RequestHeaders, ServerAuthenticator } from '../../../contracts/auth.ts';
import type { Component } from '../../../contracts/component.ts';
import { frameMessage } from '../../../transport/grpc-framing.ts';
import { decodeRetryAfterMs } from '../../../transport/grpc-status-details.ts';
import { encodeRequest } from '../../../../test/helpers/otlp-proto.ts';
import {
  MemoryTelemetry,
  RecordingConsumer,
  RecordingLogger,
  testHost,
  testSettings,
} from '../../../../test/helpers/fakes.ts';
import type { OtlpReceiverConfig } from './config.ts';
import { otlpReceiverFactory } from './factory.ts';

const TRACES_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const SECRET = 'c2VjcmV0LXBhc3N3b3Jk';

/** Accepts `Basic <SECRET>` as edge-1 (asynchronously for `Async <SECRET>`); scripted refusals otherwise. */
class FakeAuthenticator implements ServerAuthenticator {
  readonly isServerAuthenticator = true;
  calls = 0;
  start(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
  authenticate(headers: RequestHeaders): AuthResult | Promise<AuthResult> {
    this.calls++;
    const value = headers['authorization'];
    if (value === `Basic ${SECRET}`) return { ok: true, auth: { username: 'edge-1' } };
    if (value === `Async ${SECRET}`) return Promise.resolve({ ok: true, auth: { username: 'edge-async' } });
    if (value === 'Basic throttle') return { ok: false, reason: 'throttled', message: 'slow down', retryAfterMs: 1500 };
    if (value === `Basic throw`) throw new Error(`backend down while checking ${String(headers['x-secret'])}`);
    return {
      ok: false,
      reason: 'unauthenticated',
      message: 'invalid credentials',
      challenge: 'Basic realm="telegate"',
    };
  }
}

const SPANS = encodeRequest('traces', {
  resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(8, 1) }] }] }],
});

function config(protocols: Record<string, unknown>): OtlpReceiverConfig {
  const r = validateConfig(
    otlpReceiverFactory.configSchema,
    fromPlain({ protocols }, undefined),
    'receivers.otlp',
    undefined,
  );
  assert.deepEqual(r.issues, []);
  return r.value as OtlpReceiverConfig;
}

const telemetry = new MemoryTelemetry();
const logger = new RecordingLogger();
const traces = new RecordingConsumer();
const fake = new FakeAuthenticator();
let receiver: Component;
let grpcEndpoint = '';
let httpEndpoint = '';
let session: ClientHttp2Session;

const auth = { authenticator: 'fakeauth' };

before(async () => {
  receiver = otlpReceiverFactory.create(
    testSettings('receiver', 'otlp/auth', telemetry, logger),
    config({
      grpc: { endpoint: '127.0.0.1:0', auth, include_metadata: true },
      http: { endpoint: '127.0.0.1:0', auth, include_metadata: true },
    }),
    { traces },
  );
  await receiver.start(testHost({ fakeauth: fake }));
  const at = (msg: string): string => String(logger.lines.find((l) => l.msg === msg)?.fields['endpoint']);
  grpcEndpoint = at('Starting GRPC server');
  httpEndpoint = at('Starting HTTP server');
  session = connect(`http://${grpcEndpoint}`);
  session.on('error', () => undefined);
});
after(async () => {
  session.close();
  await receiver.shutdown();
});

function count(transport: string, outcome: string): number {
  return telemetry.get('otelcol_receiver_requests', { receiver: 'otlp/auth', transport, outcome });
}

/** One raw gRPC call; `end: false` leaves the request body unfinished. Resolves with the response headers and trailers. */
async function grpcCall(
  extra: Record<string, string>,
  body: Buffer = frameMessage(SPANS, false),
  end = true,
): Promise<IncomingHttpHeaders> {
  const stream = session.request({
    ':method': 'POST',
    ':path': TRACES_PATH,
    'content-type': 'application/grpc',
    te: 'trailers',
    ...extra,
  });
  stream.on('error', () => undefined);
  if (end) stream.end(body);
  else stream.write(body);
  const [headers] = (await once(stream, 'response')) as [IncomingHttpHeaders];
  if (headers['grpc-status'] !== undefined) {
    stream.close();
    return headers;
  }
  const trailers = new Promise<IncomingHttpHeaders>((resolve) => stream.once('trailers', resolve));
  stream.resume();
  return { ...headers, ...(await trailers) };
}

test('gRPC: missing or wrong credentials → UNAUTHENTICATED with the message; the consumer is never called', async () => {
  const before = count('grpc', 'unauthenticated');
  const items = traces.items();
  for (const extra of [{}, { authorization: 'Basic wrong' }]) {
    const h = await grpcCall(extra);
    assert.equal(h[':status'], 200);
    assert.equal(h['grpc-status'], '16');
    assert.equal(h['grpc-message'], 'invalid credentials');
  }
  assert.equal(traces.items(), items);
  assert.equal(count('grpc', 'unauthenticated'), before + 2);
  assert.equal(count('grpc', 'invalid'), 0, 'a refusal is not counted as invalid input');
});

test('gRPC: the refusal comes from the HEADERS frame alone — a declared 3 MiB body is never waited for', async () => {
  const calls = fake.calls;
  const header = Buffer.alloc(5);
  header.writeUInt32BE(3 * 1024 * 1024, 1);
  // Only the 5-byte prefix is sent and the stream stays open: reading the body would wait forever.
  const h = await grpcCall({ authorization: 'Basic wrong' }, header, false);
  assert.equal(h['grpc-status'], '16');
  assert.equal(fake.calls, calls + 1);
  // The same unfinished call with good credentials is not answered before its body is complete.
  const stream = session.request({
    ':method': 'POST',
    ':path': TRACES_PATH,
    'content-type': 'application/grpc',
    authorization: `Basic ${SECRET}`,
  });
  stream.on('error', () => undefined);
  let answered = false;
  stream.on('response', () => (answered = true));
  stream.write(header);
  const items = traces.items();
  const h2 = await grpcCall({ authorization: 'Basic wrong' });
  assert.equal(h2['grpc-status'], '16', 'the connection still serves other calls');
  assert.equal(answered, false, 'an authenticated call waits for its body');
  stream.close();
  assert.equal(traces.items(), items);
});

test('gRPC: good credentials → OK and context.auth (sync and async authenticators); credentials stay out of metadata', async () => {
  const from = traces.payloads.length;
  for (const authorization of [`Basic ${SECRET}`, `Async ${SECRET}`]) {
    const h = await grpcCall({ authorization, 'x-tenant': 'acme' });
    assert.equal(h['grpc-status'], '0');
  }
  const [sync, async] = traces.payloads.slice(from);
  assert.ok(sync !== undefined && async !== undefined);
  assert.deepEqual(sync.context.auth, { username: 'edge-1' });
  assert.deepEqual(async.context.auth, { username: 'edge-async' });
  const metadata = sync.context.metadata;
  assert.ok(metadata !== undefined);
  assert.deepEqual(metadata.get('x-tenant'), ['acme']);
  assert.equal(metadata.has('authorization'), false);
});

test('gRPC: throttled → RESOURCE_EXHAUSTED with RetryInfo; a throwing authenticator → INTERNAL, logged without secrets', async () => {
  const h = await grpcCall({ authorization: 'Basic throttle' });
  assert.equal(h['grpc-status'], '8');
  assert.equal(h['grpc-message'], 'slow down');
  const details = Buffer.from(String(h['grpc-status-details-bin']), 'base64');
  assert.equal(decodeRetryAfterMs(details), 1500);
  assert.equal(count('grpc', 'throttled'), 1);

  const t = await grpcCall({ authorization: 'Basic throw', 'x-secret': 'x' });
  assert.equal(t['grpc-status'], '13');
  assert.equal(count('grpc', 'auth_error'), 1);
  const line = logger.lines.find((l) => l.level === 'error');
  assert.ok(line);
  assert.equal(line.fields['authenticator'], 'fakeauth');
  assert.doesNotMatch(logger.text(), new RegExp(SECRET));
});

interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A POST whose body may be much larger than what is actually written (`declared`). */
function httpPost(path: string, headers: Record<string, string>, body: Buffer, declared?: number): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`http://${httpEndpoint}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': declared ?? body.length, ...headers },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('latin1');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text });
        req.destroy();
      });
    });
    req.write(body);
    if (declared === undefined) req.end();
  });
}

const JSON_SPANS = Buffer.from(
  JSON.stringify({
    resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: '01'.repeat(16), spanId: '01'.repeat(8) }] }] }],
  }),
);

test('HTTP: missing or wrong credentials → 401 with WWW-Authenticate and a Status; before routing; consumer untouched', async () => {
  const items = traces.items();
  const before = count('http', 'unauthenticated');
  for (const [path, headers] of [
    ['/v1/traces', {}],
    ['/v1/traces', { authorization: 'Basic wrong' }],
    ['/no/such/path', {}],
  ] as const) {
    const r = await httpPost(path, headers, JSON_SPANS);
    assert.equal(r.status, 401);
    assert.equal(r.headers['www-authenticate'], 'Basic realm="telegate"');
    assert.deepEqual(JSON.parse(r.body), { code: 16, message: 'invalid credentials' });
  }
  const proto = await httpPost('/v1/traces', { 'content-type': 'application/x-protobuf' }, SPANS);
  assert.equal(proto.status, 401);
  assert.equal(proto.headers['content-type'], 'application/x-protobuf');
  assert.equal(traces.items(), items);
  assert.equal(count('http', 'unauthenticated'), before + 4);
});

test('HTTP: a refused 50 MB body is answered after its first bytes, and the connection is closed', async () => {
  const r = await httpPost('/v1/traces', {}, Buffer.alloc(1024, 0x20), 50 * 1024 * 1024);
  assert.equal(r.status, 401);
  assert.equal(r.headers['connection'], 'close');
});

test('HTTP: good credentials → 200 with context.auth; throttled → 429 Retry-After; throwing → 500', async () => {
  const from = traces.payloads.length;
  const ok = await httpPost('/v1/traces', { authorization: `Basic ${SECRET}`, 'x-tenant': 'acme' }, JSON_SPANS);
  assert.equal(ok.status, 200);
  const payload = traces.payloads[from];
  assert.ok(payload !== undefined);
  assert.deepEqual(payload.context.auth, { username: 'edge-1' });
  const metadata = payload.context.metadata;
  assert.ok(metadata !== undefined);
  assert.deepEqual(metadata.get('x-tenant'), ['acme']);
  assert.equal(metadata.has('authorization'), false);

  const slow = await httpPost('/v1/traces', { authorization: 'Basic throttle' }, JSON_SPANS);
  assert.equal(slow.status, 429);
  assert.equal(slow.headers['retry-after'], '2');
  assert.equal(JSON.parse(slow.body).code, 8);

  const failed = await httpPost('/v1/traces', { authorization: 'Basic throw' }, JSON_SPANS);
  assert.equal(failed.status, 500);
  assert.equal(JSON.parse(failed.body).code, 13);
});
