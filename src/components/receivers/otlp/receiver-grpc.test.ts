// The otlp receiver over gRPC with a real grpc-js client: every signal delivered byte for byte,
// outcomes mapped to statuses (RetryInfo on back-pressure), and a table of bad calls.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type ClientHttp2Session, type IncomingHttpHeaders } from 'node:http2';
import { once } from 'node:events';
import { gzipSync } from 'node:zlib';
import * as grpc from '@grpc/grpc-js';
import { fromPlain } from '../../../config/node.ts';
import { validateConfig } from '../../../config/validate.ts';
import type { Component } from '../../../contracts/component.ts';
import type { Signal } from '../../../contracts/signal.ts';
import { TelegateError } from '../../../errors/catalogue.ts';
import { frameMessage } from '../../../transport/grpc-framing.ts';
import { decodeRetryAfterMs } from '../../../transport/grpc-status-details.ts';
import { decodeResponse, encodeRequest } from '../../../../test/helpers/otlp-proto.ts';
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
const METRICS_PATH = '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export';
const LOGS_PATH = '/opentelemetry.proto.collector.logs.v1.LogsService/Export';

function config(grpcBlock: Record<string, unknown>): OtlpReceiverConfig {
  const r = validateConfig(
    otlpReceiverFactory.configSchema,
    fromPlain({ protocols: { grpc: { endpoint: '127.0.0.1:0', ...grpcBlock } } }, undefined),
    'receivers.otlp',
    undefined,
  );
  assert.deepEqual(r.issues, []);
  return r.value as OtlpReceiverConfig;
}

/** A request with `n` spans (or data points, or log records). */
function request(signal: Signal, n: number): Buffer {
  const attrs = [{ key: 'service.name', value: { stringValue: 'test' } }];
  if (signal === 'traces') {
    const spans = Array.from({ length: n }, (_, i) => ({
      traceId: Buffer.alloc(16, 1),
      spanId: Buffer.alloc(8, i + 1),
      name: `span-${i}`,
    }));
    return encodeRequest(signal, { resourceSpans: [{ resource: { attributes: attrs }, scopeSpans: [{ spans }] }] });
  }
  if (signal === 'metrics') {
    const dataPoints = Array.from({ length: n }, (_, i) => ({ asInt: i, timeUnixNano: 1 }));
    return encodeRequest(signal, {
      resourceMetrics: [
        { resource: { attributes: attrs }, scopeMetrics: [{ metrics: [{ name: 'm', gauge: { dataPoints } }] }] },
      ],
    });
  }
  const logRecords = Array.from({ length: n }, (_, i) => ({ body: { stringValue: `log ${i}` } }));
  return encodeRequest(signal, { resourceLogs: [{ resource: { attributes: attrs }, scopeLogs: [{ logRecords }] }] });
}

const telemetry = new MemoryTelemetry();
const logger = new RecordingLogger();
const traces = new RecordingConsumer();
const metrics = new RecordingConsumer();
let receiver: Component;
let client: grpc.Client;
let raw: ClientHttp2Session;

function invalidCount(): number {
  return telemetry.get('otelcol_receiver_requests', { receiver: 'otlp', transport: 'grpc', outcome: 'invalid' });
}

interface Outcome {
  code: number;
  details: string;
  response?: Buffer;
  metadata?: grpc.Metadata;
}

function unary(path: string, body: Buffer, md = new grpc.Metadata()): Promise<Outcome> {
  return new Promise((resolve) => {
    const pass = (b: Buffer): Buffer => b;
    client.makeUnaryRequest(path, pass, pass, body, md, (err, value) => {
      if (err) resolve({ code: err.code, details: err.details, metadata: err.metadata });
      else resolve({ code: 0, details: '', ...(value ? { response: value } : {}) });
    });
  });
}

before(async () => {
  receiver = otlpReceiverFactory.create(
    testSettings('receiver', 'otlp', telemetry, logger),
    config({ max_recv_msg_size_mib: 1 }),
    { traces, metrics },
  );
  await receiver.start(testHost());
  const line = logger.lines.find((l) => l.msg === 'Starting GRPC server');
  const endpoint = String(line?.fields['endpoint']);
  client = new grpc.Client(endpoint, grpc.credentials.createInsecure());
  raw = connect(`http://${endpoint}`);
  raw.on('error', () => undefined);
});
after(async () => {
  client.close();
  raw.close();
  await receiver.shutdown();
});

test('traces and metrics arrive byte for byte with their item count and client address', async () => {
  traces.result = { status: 'success' };
  const body = request('traces', 3);
  const r = await unary(TRACES_PATH, body);
  assert.equal(r.code, 0);
  assert.deepEqual(decodeResponse('traces', r.response ?? Buffer.alloc(0)), { partialSuccess: {} });
  const p = traces.payloads.at(-1);
  assert.ok(p);
  assert.deepEqual(p.bytes, body);
  assert.equal(p.items, 3);
  assert.equal(p.signal, 'traces');
  assert.match(p.context.clientAddress ?? '', /^127\.0\.0\.1:\d+$/);
  assert.equal(p.context.metadata, undefined);
  assert.equal((await unary(METRICS_PATH, request('metrics', 4))).code, 0);
  assert.equal(metrics.payloads.at(-1)?.items, 4);
  assert.equal(telemetry.get('otelcol_receiver_accepted_spans', { receiver: 'otlp', transport: 'grpc' }), 3);
  assert.equal(telemetry.get('otelcol_receiver_accepted_metric_points', { receiver: 'otlp', transport: 'grpc' }), 4);
});

test('a signal without a consumer is UNIMPLEMENTED, as Go registers only wired services', async () => {
  const r = await unary(LOGS_PATH, request('logs', 1));
  assert.equal(r.code, grpc.status.UNIMPLEMENTED);
  assert.equal(r.details, 'unknown service opentelemetry.proto.collector.logs.v1.LogsService');
});

test('an empty request is answered OK without reaching the pipeline', async () => {
  const before = traces.payloads.length;
  assert.equal((await unary(TRACES_PATH, Buffer.alloc(0))).code, 0);
  assert.equal(traces.payloads.length, before);
});

test('back-pressure: retryable → UNAVAILABLE with RetryInfo, items counted refused', async () => {
  const refusedBefore = telemetry.get('otelcol_receiver_refused_spans', { receiver: 'otlp', transport: 'grpc' });
  traces.result = { status: 'retryable', error: new Error('sending queue is full'), retryAfterMs: 2500 };
  try {
    const r = await unary(TRACES_PATH, request('traces', 2));
    assert.equal(r.code, grpc.status.UNAVAILABLE);
    assert.equal(r.details, 'sending queue is full');
    const bin = r.metadata?.get('grpc-status-details-bin')[0];
    assert.ok(Buffer.isBuffer(bin));
    assert.equal(decodeRetryAfterMs(bin), 2500);
    assert.equal(
      telemetry.get('otelcol_receiver_refused_spans', { receiver: 'otlp', transport: 'grpc' }),
      refusedBefore + 2,
    );
  } finally {
    traces.result = { status: 'success' };
  }
});

test('permanent failures: a plain error is INTERNAL, a coded one keeps its status', async () => {
  try {
    traces.result = { status: 'failure', error: new Error('disk on fire') };
    assert.equal((await unary(TRACES_PATH, request('traces', 1))).code, grpc.status.INTERNAL);
    traces.result = { status: 'failure', error: new TelegateError('TG_EXPORT_PERMANENT', 'backend said 400') };
    const r = await unary(TRACES_PATH, request('traces', 1));
    assert.equal(r.code, grpc.status.INVALID_ARGUMENT);
    assert.equal(r.details, 'backend said 400');
  } finally {
    traces.result = { status: 'success' };
  }
});

test('partial success is reported in the response', async () => {
  const consumer = {
    consume: () => Promise.resolve({ status: 'success' as const, rejectedItems: 2, message: 'two spans too old' }),
  };
  const log = new RecordingLogger();
  const settings = testSettings('receiver', 'otlp/partial', new MemoryTelemetry(), log);
  const r = otlpReceiverFactory.create(settings, config({}), { traces: consumer });
  await r.start(testHost());
  const c = new grpc.Client(
    String(log.lines.find((l) => l.msg === 'Starting GRPC server')?.fields['endpoint']),
    grpc.credentials.createInsecure(),
  );
  try {
    const out = await new Promise<Buffer | undefined>((resolve, reject) => {
      c.makeUnaryRequest(
        TRACES_PATH,
        (b: Buffer) => b,
        (b: Buffer) => b,
        request('traces', 5),
        (err, v) => {
          if (err) reject(err);
          else resolve(v);
        },
      );
    });
    assert.deepEqual(decodeResponse('traces', out ?? Buffer.alloc(0)), {
      partialSuccess: { rejectedSpans: '2', errorMessage: 'two spans too old' },
    });
    assert.equal(
      settings.telemetry.get('otelcol_receiver_accepted_spans', { receiver: 'otlp/partial', transport: 'grpc' }),
      3,
    );
    assert.equal(
      settings.telemetry.get('otelcol_receiver_refused_spans', { receiver: 'otlp/partial', transport: 'grpc' }),
      2,
    );
  } finally {
    c.close();
    await r.shutdown();
  }
});

function rawCall(path: string, body: Buffer, headers: Record<string, string> = {}): Promise<IncomingHttpHeaders> {
  const req = raw.request({
    ':method': 'POST',
    ':path': path,
    'content-type': 'application/grpc',
    te: 'trailers',
    ...headers,
  });
  req.on('error', () => undefined);
  let trailers: IncomingHttpHeaders = {};
  let head: IncomingHttpHeaders = {};
  req.on('response', (h: IncomingHttpHeaders) => {
    head = h;
  });
  req.on('trailers', (t: IncomingHttpHeaders) => {
    trailers = t;
  });
  req.resume();
  req.end(body);
  return once(req, 'close').then(() => ({ ...head, ...trailers }));
}

test('bad calls: exact status, counted invalid, debug-logged, and the server keeps serving', async () => {
  const spans = request('traces', 2);
  const table: {
    name: string;
    path?: string;
    body: Buffer;
    headers?: Record<string, string>;
    code: number;
    message: RegExp;
    /** The HTTP status, when grpc-go answers before the call is known to be gRPC. */
    httpStatus?: number;
  }[] = [
    {
      name: 'garbage protobuf',
      body: frameMessage(Buffer.from([0xff, 0xff, 0xff, 0xff]), false),
      code: 3,
      message: /^malformed ExportTraceServiceRequest: /,
    },
    {
      name: 'truncated protobuf',
      body: frameMessage(spans.subarray(0, spans.length - 3), false),
      code: 3,
      message: /^malformed ExportTraceServiceRequest/,
    },
    {
      name: 'oversize',
      body: frameMessage(Buffer.alloc(1024 * 1024 + 1), false),
      code: 8,
      message: /larger than max \(1048577 vs\. 1048576\)/,
    },
    {
      name: 'gzip flag on non-gzip bytes',
      body: frameMessage(spans, true),
      headers: { 'grpc-encoding': 'gzip' },
      code: 13,
      message: /decompress/,
    },
    {
      name: 'unknown method',
      path: '/opentelemetry.proto.collector.trace.v1.TraceService/Nope',
      body: frameMessage(spans, false),
      code: 12,
      message: /unknown method Nope/,
    },
    {
      name: 'wrong content type',
      body: frameMessage(spans, false),
      headers: { 'content-type': 'text/plain' },
      code: 13,
      message: /content-type/,
      httpStatus: 415,
    },
    {
      name: 'not POST',
      body: frameMessage(spans, false),
      headers: { ':method': 'PUT' },
      code: 13,
      message: /:method "PUT" which should be POST/,
      httpStatus: 405,
    },
    {
      name: 'unsupported grpc-encoding',
      body: frameMessage(spans, true),
      headers: { 'grpc-encoding': 'lz4' },
      code: 12,
      message: /Decompressor is not installed for grpc-encoding "lz4"/,
    },
    {
      name: 'compressed flag without grpc-encoding',
      body: frameMessage(spans, true),
      code: 13,
      message: /compressed flag set with identity or empty encoding/,
    },
    {
      name: 'gzip bomb',
      body: frameMessage(gzipSync(Buffer.alloc(2 * 1024 * 1024)), true),
      headers: { 'grpc-encoding': 'gzip' },
      code: 8,
      message: /after decompression larger than max \(1048576\)/,
    },
  ];
  for (const c of table) {
    const before = invalidCount();
    const h = await rawCall(c.path ?? TRACES_PATH, c.body, c.headers);
    assert.equal(Number(h['grpc-status']), c.code, c.name);
    assert.equal(h[':status'], c.httpStatus ?? 200, `${c.name}: HTTP status`);
    assert.match(decodeURIComponent(String(h['grpc-message'])), c.message, c.name);
    assert.equal(invalidCount(), before + 1, `${c.name}: counted`);
    assert.equal((await unary(TRACES_PATH, spans)).code, 0, `${c.name}: still serving`);
  }
  assert.ok(
    logger.lines.some(
      (l) =>
        l.level === 'debug' &&
        l.msg === 'Refused an invalid OTLP request' &&
        /malformed/.test(String(l.fields['reason'])),
    ),
  );
});

test('include_metadata passes request headers (not pseudo-headers) downstream', async () => {
  const consumer = new RecordingConsumer();
  const log = new RecordingLogger();
  const r = otlpReceiverFactory.create(
    testSettings('receiver', 'otlp/md', new MemoryTelemetry(), log),
    config({ include_metadata: true }),
    { logs: consumer },
  );
  await r.start(testHost());
  const c = new grpc.Client(
    String(log.lines.find((l) => l.msg === 'Starting GRPC server')?.fields['endpoint']),
    grpc.credentials.createInsecure(),
  );
  try {
    const md = new grpc.Metadata();
    md.set('x-tenant', 'acme');
    await new Promise<void>((resolve, reject) => {
      c.makeUnaryRequest(
        LOGS_PATH,
        (b: Buffer) => b,
        (b: Buffer) => b,
        request('logs', 1),
        md,
        (err) => {
          if (err) reject(err);
          else resolve();
        },
      );
    });
    const meta = consumer.payloads[0]?.context.metadata;
    assert.ok(meta);
    assert.deepEqual(meta.get('x-tenant'), ['acme']);
    assert.equal(meta.get('content-type')?.[0], 'application/grpc');
    assert.ok(![...meta.keys()].some((k) => k.startsWith(':')));
  } finally {
    c.close();
    await r.shutdown();
  }
});
