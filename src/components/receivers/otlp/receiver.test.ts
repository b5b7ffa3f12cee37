// The otlp receiver's lifecycle: one info line per endpoint, clear start errors (port taken, an
// authenticator missing or of the wrong kind) that leave nothing bound, idempotent shutdown that
// drains, and TLS serving.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { once } from 'node:events';
import { request as httpsRequest } from 'node:https';
import * as grpc from '@grpc/grpc-js';
import { fromPlain } from '../../../config/node.ts';
import { validateConfig } from '../../../config/validate.ts';
import { selfSignedCert } from '../../../../test/helpers/tls.ts';
import type { Consumer, ConsumeResult } from '../../../contracts/consumer.ts';
import { TelegateError } from '../../../errors/catalogue.ts';
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

const SPANS = encodeRequest('traces', {
  resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(8, 1) }] }] }],
});

async function freePortHolder(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const addr = server.address();
  return { server, port: typeof addr === 'object' && addr !== null ? addr.port : 0 };
}

function endpoints(logger: RecordingLogger): Record<string, string> {
  return Object.fromEntries(
    logger.lines.filter((l) => l.level === 'info').map((l) => [l.msg, String(l.fields['endpoint'])]),
  );
}

test('start logs one info line per endpoint; shutdown is idempotent and safe before start', async () => {
  const logger = new RecordingLogger();
  const r = otlpReceiverFactory.create(
    testSettings('receiver', 'otlp', new MemoryTelemetry(), logger),
    config({ grpc: { endpoint: '127.0.0.1:0' }, http: { endpoint: '127.0.0.1:0' } }),
    { traces: new RecordingConsumer() },
  );
  const never = otlpReceiverFactory.create(testSettings('receiver', 'otlp/never'), config({ grpc: null }), {});
  await never.shutdown();
  await never.shutdown();
  await r.start(testHost());
  const eps = endpoints(logger);
  assert.deepEqual(Object.keys(eps).sort(), ['Starting GRPC server', 'Starting HTTP server']);
  assert.match(eps['Starting GRPC server'] ?? '', /^127\.0\.0\.1:\d+$/);
  await Promise.all([r.shutdown(), r.shutdown()]);
  await r.shutdown();
  const res = await fetch(`http://${eps['Starting HTTP server'] ?? ''}/v1/traces`, {
    method: 'POST',
    body: SPANS,
  }).catch((err: unknown) => err);
  assert.ok(res instanceof Error, 'nothing listens after shutdown');
});

test('a taken port fails start with TG_START_FAILED, and the other protocol is released', async () => {
  const holder = await freePortHolder();
  const grpcPort = await freePortHolder();
  grpcPort.server.close();
  await once(grpcPort.server, 'close');
  const r = otlpReceiverFactory.create(
    testSettings('receiver', 'otlp'),
    config({ grpc: { endpoint: `127.0.0.1:${grpcPort.port}` }, http: { endpoint: `localhost:${holder.port}` } }),
    { traces: new RecordingConsumer() },
  );
  try {
    await assert.rejects(r.start(testHost()), (err: unknown) => {
      assert.ok(err instanceof TelegateError);
      assert.equal(err.code, 'TG_START_FAILED');
      assert.equal(err.message, `receivers.otlp: cannot listen on 127.0.0.1:${holder.port}: address already in use`);
      return true;
    });
    const again = createServer();
    again.listen(grpcPort.port, '127.0.0.1');
    await once(again, 'listening');
    again.close();
  } finally {
    holder.server.close();
    await r.shutdown();
  }
});

test('auth.authenticator is resolved at start: missing or not a server authenticator fails, naming the YAML path', async () => {
  const clientOnly = {
    isClientAuthenticator: true,
    identity: 'edge-1',
    requestHeaders: () => ({}),
    start: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  const cases = [
    [
      {},
      /receivers\.otlp\.protocols\.grpc\.auth\.authenticator: failed to resolve authenticator "basicauth\/server": authenticator not found/,
    ],
    [
      { 'basicauth/server': clientOnly },
      /receivers\.otlp\.protocols\.grpc\.auth\.authenticator: requested authenticator "basicauth\/server" is not a server authenticator/,
    ],
  ] as const;
  for (const [extensions, message] of cases) {
    const logger = new RecordingLogger();
    const r = otlpReceiverFactory.create(
      testSettings('receiver', 'otlp', new MemoryTelemetry(), logger),
      config({
        grpc: { endpoint: '127.0.0.1:0', auth: { authenticator: 'basicauth/server' } },
        http: { endpoint: '127.0.0.1:0' },
      }),
      {},
    );
    await assert.rejects(r.start(testHost(extensions)), (err: unknown) => {
      assert.ok(err instanceof TelegateError);
      assert.equal(err.code, 'TG_START_FAILED');
      assert.match(err.message, message);
      return true;
    });
    // Resolution comes before binding: no server was started.
    assert.deepEqual(endpoints(logger), {});
    await r.shutdown();
  }
});

test('shutdown waits for a request in flight to be answered', async () => {
  let release: (r: ConsumeResult) => void = () => undefined;
  let entered: () => void = () => undefined;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  const slow: Consumer = {
    consume: () =>
      new Promise((resolve) => {
        release = resolve;
        entered();
      }),
  };
  const logger = new RecordingLogger();
  const r = otlpReceiverFactory.create(
    testSettings('receiver', 'otlp', new MemoryTelemetry(), logger),
    config({ http: { endpoint: '127.0.0.1:0' } }),
    { traces: slow },
  );
  await r.start(testHost());
  const pending = fetch(`http://${endpoints(logger)['Starting HTTP server'] ?? ''}/v1/traces`, {
    method: 'POST',
    body: SPANS,
    headers: { 'content-type': 'application/x-protobuf' },
  });
  await inside;
  const stopped = r.shutdown();
  release({ status: 'success' });
  assert.equal((await pending).status, 200);
  await stopped;
});

test('with tls, both protocols serve TLS', async () => {
  const pair = selfSignedCert();
  const dir = pair.dir;
  const logger = new RecordingLogger();
  const tls = { cert_file: pair.certFile, key_file: pair.keyFile };
  const consumer = new RecordingConsumer();
  const r = otlpReceiverFactory.create(
    testSettings('receiver', 'otlp', new MemoryTelemetry(), logger),
    config({ grpc: { endpoint: '127.0.0.1:0', tls }, http: { endpoint: '127.0.0.1:0', tls } }),
    { traces: consumer },
  );
  await r.start(testHost());
  const eps = endpoints(logger);
  const ca = pair.cert;
  const client = new grpc.Client(eps['Starting GRPC server'] ?? '', grpc.credentials.createSsl(ca));
  try {
    await new Promise<void>((resolve, reject) => {
      client.makeUnaryRequest(
        '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
        (b: Buffer) => b,
        (b: Buffer) => b,
        SPANS,
        (err) => {
          if (err) reject(err);
          else resolve();
        },
      );
    });
    const [host, port] = (eps['Starting HTTP server'] ?? '').split(':');
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpsRequest(
        {
          host,
          port: Number(port),
          method: 'POST',
          path: '/v1/traces',
          ca,
          headers: { 'content-type': 'application/x-protobuf' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(SPANS);
    });
    assert.equal(status, 200);
    assert.equal(consumer.payloads.length, 2);
  } finally {
    client.close();
    await r.shutdown();
    rmSync(dir, { recursive: true });
  }
});

test('a missing certificate file fails start naming the key and path', async () => {
  const r = otlpReceiverFactory.create(
    testSettings('receiver', 'otlp'),
    config({
      http: { endpoint: '127.0.0.1:0', tls: { cert_file: '/nonexistent/c.pem', key_file: '/nonexistent/k.pem' } },
    }),
    {},
  );
  await assert.rejects(
    r.start(testHost()),
    /receivers\.otlp: protocols\.http: cannot read tls\.cert_file \/nonexistent\/c\.pem: no such file/,
  );
  await r.shutdown();
});
