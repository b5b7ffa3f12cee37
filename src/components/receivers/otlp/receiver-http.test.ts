// The otlp receiver over HTTP: protobuf and JSON in, answers in the request's format, compression,
// Go's status mapping (503 + Retry-After on back-pressure), and a table of bad requests.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { deflateSync, gzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { fromPlain } from '../../../config/node.ts';
import { validateConfig } from '../../../config/validate.ts';
import type { Component } from '../../../contracts/component.ts';
import { TelegateError } from '../../../errors/catalogue.ts';
import { decodeStatusDetails } from '../../../transport/grpc-status-details.ts';
import { decodeRequest, decodeResponse, encodeRequest } from '../../../../test/helpers/otlp-proto.ts';
import {
  MemoryTelemetry,
  RecordingConsumer,
  RecordingLogger,
  testHost,
  testSettings,
} from '../../../../test/helpers/fakes.ts';
import type { OtlpReceiverConfig } from './config.ts';
import { otlpReceiverFactory } from './factory.ts';

function config(httpBlock: Record<string, unknown>): OtlpReceiverConfig {
  const r = validateConfig(
    otlpReceiverFactory.configSchema,
    fromPlain({ protocols: { http: { endpoint: '127.0.0.1:0', ...httpBlock } } }, undefined),
    'receivers.otlp',
    undefined,
  );
  assert.deepEqual(r.issues, []);
  return r.value as OtlpReceiverConfig;
}

const SPANS = encodeRequest('traces', {
  resourceSpans: [
    {
      scopeSpans: [
        { spans: [1, 2, 3].map((i) => ({ traceId: Buffer.alloc(16, 7), spanId: Buffer.alloc(8, i), name: `s${i}` })) },
      ],
    },
  ],
});
const LOGS_JSON = JSON.stringify({
  resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'hello' }, severityNumber: 9 }] }] }],
});

const telemetry = new MemoryTelemetry();
const logger = new RecordingLogger();
const traces = new RecordingConsumer();
const logs = new RecordingConsumer();
let receiver: Component;
let base: string;

interface Res {
  status: number;
  headers: Headers;
  body: Buffer;
}

async function post(
  path: string,
  body: Buffer | string,
  headers: Record<string, string>,
  method = 'POST',
): Promise<Res> {
  const r = await fetch(`${base}${path}`, { method, headers, ...(method === 'GET' ? {} : { body }) });
  return { status: r.status, headers: r.headers, body: Buffer.from(await r.arrayBuffer()) };
}

const PROTO = { 'content-type': 'application/x-protobuf' };
const JSON_CT = { 'content-type': 'application/json' };

function invalidCount(): number {
  return telemetry.get('otelcol_receiver_requests', { receiver: 'otlp', transport: 'http', outcome: 'invalid' });
}

before(async () => {
  receiver = otlpReceiverFactory.create(
    testSettings('receiver', 'otlp', telemetry, logger),
    config({ max_request_body_size: 64 * 1024, cors: { allowed_origins: ['https://ui.example.com'] } }),
    { traces, logs },
  );
  await receiver.start(testHost());
  base = `http://${String(logger.lines.find((l) => l.msg === 'Starting HTTP server')?.fields['endpoint'])}`;
});
after(() => receiver.shutdown());

test('protobuf in, protobuf ExportTraceServiceResponse out; bytes reach the consumer unchanged', async () => {
  const r = await post('/v1/traces', SPANS, PROTO);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/x-protobuf');
  assert.deepEqual(decodeResponse('traces', r.body), { partialSuccess: {} });
  assert.deepEqual(traces.payloads.at(-1)?.bytes, SPANS);
  assert.equal(traces.payloads.at(-1)?.items, 3);
  assert.equal(telemetry.get('otelcol_receiver_accepted_spans', { receiver: 'otlp', transport: 'http' }), 3);
});

test('JSON in (charset allowed), JSON out; the consumer gets the equivalent protobuf', async () => {
  const r = await post('/v1/logs', LOGS_JSON, { 'content-type': 'application/json; charset=utf-8' });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/json');
  assert.deepEqual(JSON.parse(r.body.toString()), { partialSuccess: {} });
  const got = decodeRequest('logs', logs.payloads.at(-1)?.bytes ?? Buffer.alloc(0));
  assert.deepEqual(got, {
    resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'hello' }, severityNumber: 9 }] }] }],
  });
});

test('gzip, deflate and zlib bodies are decompressed', async () => {
  for (const [enc, body] of [
    ['gzip', gzipSync(SPANS)],
    ['deflate', deflateSync(SPANS)],
    ['zlib', deflateSync(SPANS)],
  ] as const) {
    const r = await post('/v1/traces', body, { ...PROTO, 'content-encoding': enc });
    assert.equal(r.status, 200, enc);
    assert.deepEqual(traces.payloads.at(-1)?.bytes, SPANS, enc);
  }
});

test('back-pressure: 503 with Retry-After and a Status carrying RetryInfo', async () => {
  traces.result = { status: 'retryable', error: new Error('queue is full'), retryAfterMs: 2500 };
  try {
    const r = await post('/v1/traces', SPANS, PROTO);
    assert.equal(r.status, 503);
    assert.equal(r.headers.get('retry-after'), '3');
    assert.deepEqual(decodeStatusDetails(r.body), { code: 14, message: 'queue is full', retryAfterMs: 2500 });
    const json = JSON.stringify({
      resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: '07'.repeat(16), spanId: '01'.repeat(8) }] }] }],
    });
    const j = await post('/v1/traces', json, JSON_CT);
    assert.equal(j.status, 503);
    assert.deepEqual(JSON.parse(j.body.toString()), {
      code: 14,
      message: 'queue is full',
      details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '2.500s' }],
    });
  } finally {
    traces.result = { status: 'success' };
  }
});

test('permanent failures follow Go: plain error 500, coded INVALID_ARGUMENT 400 (JSON Status)', async () => {
  try {
    traces.result = { status: 'failure', error: new Error('broken') };
    assert.equal((await post('/v1/traces', SPANS, PROTO)).status, 500);
    traces.result = { status: 'failure', error: new TelegateError('TG_EXPORT_PERMANENT', 'refused by backend') };
    const json = JSON.stringify({
      resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: '07'.repeat(16), spanId: '01'.repeat(8), name: 'x' }] }] }],
    });
    const r = await post('/v1/traces', json, JSON_CT);
    assert.equal(r.status, 400);
    assert.deepEqual(JSON.parse(r.body.toString()), { code: 3, message: 'refused by backend' });
  } finally {
    traces.result = { status: 'success' };
  }
});

test('partial success is reported in the JSON response', async () => {
  traces.result = { status: 'success', rejectedItems: 1, message: 'one too old' };
  try {
    const json = JSON.stringify({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                { traceId: '07'.repeat(16), spanId: '01'.repeat(8) },
                { traceId: '07'.repeat(16), spanId: '02'.repeat(8) },
              ],
            },
          ],
        },
      ],
    });
    const r = await post('/v1/traces', json, JSON_CT);
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.body.toString()), {
      partialSuccess: { rejectedSpans: '1', errorMessage: 'one too old' },
    });
  } finally {
    traces.result = { status: 'success' };
  }
});

const Status = protobuf
  .parse('syntax = "proto3"; message Status { int32 code = 1; string message = 2; }')
  .root.lookupType('Status');

test('bad requests: exact status, counted invalid, and the server keeps serving', async () => {
  const table: {
    name: string;
    path?: string;
    method?: string;
    body: Buffer | string;
    headers: Record<string, string>;
    status: number;
    /** The gRPC code of the google.rpc.Status body, when the answer is one. */
    code?: number;
    check?: (r: Res) => void;
  }[] = [
    { name: 'unknown path', path: '/v1/nope', body: SPANS, headers: PROTO, status: 404 },
    { name: 'signal without consumer', path: '/v1/metrics', body: SPANS, headers: PROTO, status: 404 },
    {
      name: 'GET',
      method: 'GET',
      body: '',
      headers: {},
      status: 405,
      check: (r) => {
        assert.equal(r.headers.get('allow'), 'POST');
      },
    },
    { name: 'PUT', method: 'PUT', body: SPANS, headers: PROTO, status: 405 },
    {
      name: 'wrong content type',
      body: SPANS,
      headers: { 'content-type': 'text/plain' },
      status: 415,
      check: (r) => {
        assert.equal(
          r.body.toString(),
          '415 unsupported media type, supported: [application/json, application/x-protobuf]',
        );
      },
    },
    {
      name: 'garbage protobuf',
      body: Buffer.from([0xff, 0xff, 0xff]),
      headers: PROTO,
      status: 400,
      check: (r) => {
        const st = Status.toObject(Status.decode(r.body)) as { code: number; message: string };
        assert.equal(st.code, 3);
        assert.match(st.message, /^malformed ExportTraceServiceRequest: /);
      },
    },
    { name: 'truncated protobuf', body: SPANS.subarray(0, SPANS.length - 2), headers: PROTO, status: 400, code: 3 },
    {
      name: 'invalid JSON',
      body: '{"resourceSpans": [',
      headers: JSON_CT,
      status: 400,
      check: (r) => {
        const st = JSON.parse(r.body.toString()) as { code: number; message: string };
        assert.equal(st.code, 3);
        assert.match(st.message, /^invalid OTLP\/JSON: /);
      },
    },
    { name: 'oversize body', body: Buffer.alloc(64 * 1024 + 1), headers: PROTO, status: 413, code: 8 },
    {
      name: 'gzip claimed, not gzip',
      body: SPANS,
      headers: { ...PROTO, 'content-encoding': 'gzip' },
      status: 400,
      code: 3,
    },
    {
      name: 'gzip bomb',
      body: gzipSync(Buffer.alloc(1024 * 1024)),
      headers: { ...PROTO, 'content-encoding': 'gzip' },
      status: 413,
      code: 8,
    },
    {
      name: 'lz4',
      body: SPANS,
      headers: { ...JSON_CT, 'content-encoding': 'lz4' },
      status: 415,
      code: 12,
      check: (r) => {
        assert.match(
          (JSON.parse(r.body.toString()) as { message: string }).message,
          /unsupported Content-Encoding: lz4 \(not available in this Node\.js build\)/,
        );
      },
    },
  ];
  for (const c of table) {
    const before = invalidCount();
    const r = await post(c.path ?? '/v1/traces', c.body, c.headers, c.method);
    assert.equal(r.status, c.status, c.name);
    if (c.code !== undefined) assert.equal(statusCodeOf(r), c.code, `${c.name}: Status code`);
    c.check?.(r);
    assert.equal(invalidCount(), before + 1, `${c.name}: counted invalid`);
    assert.equal((await post('/v1/traces', SPANS, PROTO)).status, 200, `${c.name}: still serving`);
  }
});

/** The code of a google.rpc.Status answer, in the format its Content-Type names. */
function statusCodeOf(r: Res): number {
  if (r.headers.get('content-type') === 'application/json')
    return (JSON.parse(r.body.toString()) as { code: number }).code;
  return (Status.toObject(Status.decode(r.body)) as { code: number }).code;
}

test('a chunked body over the limit is cut off with 413', async () => {
  const status = await new Promise<number>((resolve, reject) => {
    const url = new URL(base);
    const req = httpRequest(
      { host: url.hostname, port: url.port, method: 'POST', path: '/v1/traces', headers: PROTO },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    for (let i = 0; i < 5; i++) req.write(Buffer.alloc(20 * 1024));
    req.end();
  });
  assert.equal(status, 413);
});

test('CORS headers on an allowed origin', async () => {
  const r = await post('/v1/traces', SPANS, { ...PROTO, origin: 'https://ui.example.com' });
  assert.equal(r.headers.get('access-control-allow-origin'), 'https://ui.example.com');
  const pre = await fetch(`${base}/v1/traces`, {
    method: 'OPTIONS',
    headers: { origin: 'https://ui.example.com', 'access-control-request-method': 'POST' },
  });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-methods'), 'POST');
});

test('include_metadata passes request headers downstream; custom URL paths are served', async () => {
  const consumer = new RecordingConsumer();
  const log = new RecordingLogger();
  const r = otlpReceiverFactory.create(
    testSettings('receiver', 'otlp/md', new MemoryTelemetry(), log),
    config({ include_metadata: true, traces_url_path: 'custom/traces' }),
    { traces: consumer },
  );
  await r.start(testHost());
  try {
    const url = `http://${String(log.lines.find((l) => l.msg === 'Starting HTTP server')?.fields['endpoint'])}/custom/traces`;
    const res = await fetch(url, { method: 'POST', body: SPANS, headers: { ...PROTO, 'x-tenant': 'acme' } });
    assert.equal(res.status, 200);
    const meta = consumer.payloads[0]?.context.metadata;
    assert.ok(meta);
    assert.deepEqual(meta.get('x-tenant'), ['acme']);
    assert.ok(meta.has('host'));
  } finally {
    await r.shutdown();
  }
});
