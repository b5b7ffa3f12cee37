// The receiver's byte budget (admission.request_limit_mib) over both protocols, with raw clients that send
// half requests: what is held shows in otelcol_receiver_admission_in_flight_bytes, a request past the
// budget waits unread and goes on when bytes come free, or is refused 503 / UNAVAILABLE with retry advice
// and counted; a client that leaves or stalls gives its bytes back (read_timeout, admission.body_timeout).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectH2, type ClientHttp2Session, type ClientHttp2Stream } from 'node:http2';
import { once } from 'node:events';
import { fromPlain } from '../../../config/node.ts';
import { validateConfig } from '../../../config/validate.ts';
import type { Component } from '../../../contracts/component.ts';
import type { Consumer } from '../../../contracts/consumer.ts';
import { frameHeader } from '../../../transport/grpc-framing.ts';
import { encodeRequest } from '../../../../test/helpers/otlp-proto.ts';
import { MemoryTelemetry, RecordingLogger, testHost, testSettings } from '../../../../test/helpers/fakes.ts';
import type { OtlpReceiverConfig } from './config.ts';
import { otlpReceiverFactory } from './factory.ts';

const KIB = 1024;
const MIB = 1024 * KIB;
const TRACES_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

const sink: Consumer = { consume: () => Promise.resolve({ status: 'success' }) };

interface Running {
  receiver: Component;
  telemetry: MemoryTelemetry;
  logger: RecordingLogger;
  http: { host: string; port: number };
  grpc: string;
}

async function startReceiver(extra: Record<string, unknown>, http: Record<string, unknown> = {}): Promise<Running> {
  const telemetry = new MemoryTelemetry();
  const logger = new RecordingLogger();
  const block = {
    backpressure_timeout: '60s',
    ...extra,
    protocols: { grpc: { endpoint: '127.0.0.1:0' }, http: { endpoint: '127.0.0.1:0', ...http } },
  };
  const r = validateConfig(otlpReceiverFactory.configSchema, fromPlain(block, undefined), 'receivers.otlp', undefined);
  assert.deepEqual(r.issues, []);
  const receiver = otlpReceiverFactory.create(
    testSettings('receiver', 'otlp', telemetry, logger),
    r.value as OtlpReceiverConfig,
    { traces: sink },
  );
  await receiver.start(testHost());
  const endpoint = (msg: string): string => String(logger.lines.find((l) => l.msg === msg)?.fields['endpoint']);
  const [host = '', port = '0'] = endpoint('Starting HTTP server').split(':');
  return { receiver, telemetry, logger, http: { host, port: Number(port) }, grpc: endpoint('Starting GRPC server') };
}

const held = (r: Running): number =>
  r.telemetry.get('otelcol_receiver_admission_in_flight_bytes', { receiver: 'otlp' });
const waiting = (r: Running): number =>
  r.telemetry.get('otelcol_receiver_admission_waiting_bytes', { receiver: 'otlp' });
const refusedFor = (r: Running, transport: string): number =>
  r.telemetry.get('otelcol_receiver_admission_refused', { receiver: 'otlp', transport });

/** Waits until `check` holds: the budget moves on socket events this test cannot listen to directly. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** A valid ExportTraceServiceRequest of about `bytes` bytes. */
function tracesOf(bytes: number): Buffer {
  const span = { traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(8, 2), name: 'x'.repeat(bytes) };
  return encodeRequest('traces', { resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] });
}

/** A raw HTTP/1.1 request whose headers (and `body`, when given) are sent; the socket stays open. */
function rawPost(r: Running, headers: Record<string, string | number>, body?: Buffer): Socket {
  const socket = connectTcp(r.http.port, r.http.host);
  socket.on('error', () => undefined);
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  socket.write(
    `POST /v1/traces HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-protobuf\r\n${lines.join('\r\n')}\r\n\r\n`,
  );
  if (body !== undefined) socket.write(body);
  return socket;
}

/** The response head (status line and headers) read from `socket`. */
async function responseHead(socket: Socket): Promise<string> {
  let text = '';
  for await (const chunk of socket as AsyncIterable<Buffer>) {
    text += chunk.toString('latin1');
    if (text.includes('\r\n\r\n')) break;
  }
  return text;
}

test('HTTP: a body past the budget waits unread and goes on when the client ahead of it leaves', async () => {
  const r = await startReceiver({ admission: { request_limit_mib: 1 } });
  try {
    const body = tracesOf(600 * KIB);
    const first = rawPost(r, { 'Content-Length': body.length }, body.subarray(0, 10 * KIB));
    await until(() => held(r) === body.length);
    const second = rawPost(r, { 'Content-Length': body.length }, body.subarray(0, 10 * KIB));
    await until(() => waiting(r) === body.length);
    first.destroy();
    await until(() => waiting(r) === 0 && held(r) === body.length);
    second.write(body.subarray(10 * KIB));
    assert.match(await responseHead(second), /^HTTP\/1\.1 200 /);
    second.destroy();
    await until(() => held(r) === 0);
    assert.equal(refusedFor(r, 'http'), 0);
  } finally {
    await r.receiver.shutdown();
  }
});

test('HTTP: a body that finds no room in time is refused 503 with Retry-After, and counted', async () => {
  const r = await startReceiver({ backpressure_timeout: '20ms', admission: { request_limit_mib: 1 } });
  try {
    const first = rawPost(r, { 'Content-Length': MIB }, Buffer.alloc(KIB));
    await until(() => held(r) === MIB);
    const second = rawPost(r, { 'Content-Length': 100 * KIB }, Buffer.alloc(KIB));
    const head = await responseHead(second);
    assert.match(head, /^HTTP\/1\.1 503 /);
    assert.match(head, /\r\nretry-after: 1\r\n/i);
    assert.equal(refusedFor(r, 'http'), 1);
    assert.equal(
      r.telemetry.get('otelcol_receiver_requests', { receiver: 'otlp', transport: 'http', outcome: 'refused' }),
      1,
    );
    second.destroy();
    first.destroy();
    await until(() => held(r) === 0);
  } finally {
    await r.receiver.shutdown();
  }
});

test('HTTP: a chunked body is reserved chunk by chunk and given back when the client leaves', async () => {
  const r = await startReceiver({ admission: { request_limit_mib: 1 } });
  try {
    const socket = rawPost(r, { 'Transfer-Encoding': 'chunked' });
    const chunk = Buffer.alloc(64 * KIB, 1);
    socket.write(`${chunk.length.toString(16)}\r\n`);
    socket.write(chunk);
    socket.write('\r\n');
    await until(() => held(r) === chunk.length);
    socket.destroy();
    await until(() => held(r) === 0);
  } finally {
    await r.receiver.shutdown();
  }
});

test('HTTP: read_timeout ends a body that stalls (408) and its bytes come back', async () => {
  const r = await startReceiver({ admission: { request_limit_mib: 1 } }, { read_timeout: '200ms' });
  try {
    const socket = rawPost(r, { 'Content-Length': 100 * KIB }, Buffer.alloc(KIB));
    await until(() => held(r) === 100 * KIB);
    assert.match(await responseHead(socket), /^HTTP\/1\.1 408 /);
    await until(() => held(r) === 0);
    socket.destroy();
  } finally {
    await r.receiver.shutdown();
  }
});

test('HTTP: read_header_timeout ends a client that never finishes its headers (408)', async () => {
  const r = await startReceiver({}, { read_header_timeout: '200ms' });
  try {
    const socket = connectTcp(r.http.port, r.http.host);
    socket.on('error', () => undefined);
    socket.write('POST /v1/traces HTTP/1.1\r\nHost: t\r\n');
    assert.match(await responseHead(socket), /^HTTP\/1\.1 408 /);
    socket.destroy();
  } finally {
    await r.receiver.shutdown();
  }
});

/** Opens a gRPC Export announcing `declared` bytes and sends `sent` of them. */
function halfCall(session: ClientHttp2Session, declared: number, sent: number): ClientHttp2Stream {
  const req = session.request({ ':method': 'POST', ':path': TRACES_PATH, 'content-type': 'application/grpc' });
  req.on('error', () => undefined);
  req.write(Buffer.concat([frameHeader(declared, false), Buffer.alloc(sent)]));
  return req;
}

test('gRPC and HTTP share one budget; a gRPC call refused for it is counted', async () => {
  const r = await startReceiver({ backpressure_timeout: '20ms', admission: { request_limit_mib: 1 } });
  const session = connectH2(`http://${r.grpc}`);
  session.on('error', () => undefined);
  try {
    const http = rawPost(r, { 'Content-Length': MIB }, Buffer.alloc(KIB));
    await until(() => held(r) === MIB);
    const call = halfCall(session, 100 * KIB, KIB);
    const [headers] = (await once(call, 'response')) as [Record<string, unknown>];
    assert.equal(headers['grpc-status'], '14');
    assert.equal(refusedFor(r, 'grpc'), 1);
    http.destroy();
    await until(() => held(r) === 0);
    assert.equal(session.remoteSettings.maxConcurrentStreams, 100);
  } finally {
    session.destroy();
    await r.receiver.shutdown();
  }
});

test('request_limit_mib: 0 turns the budget off, and the receiver says so at start', async () => {
  const r = await startReceiver({ admission: { request_limit_mib: 0 } });
  try {
    assert.ok(r.logger.lines.some((l) => l.level === 'warn' && /request_limit_mib is 0/.test(l.msg)));
  } finally {
    await r.receiver.shutdown();
  }
});
