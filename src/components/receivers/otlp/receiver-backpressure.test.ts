// Overload is latency first, refusal second (DESIGN.md §4b): a request whose pipeline has no room waits for
// it — its body unread, so flow control holds the client back — and succeeds once room comes; it is refused
// with UNAVAILABLE / 503 and retry advice only when the bound passes; memory_limiter still refuses at once.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type ClientHttp2Session, type ClientHttp2Stream } from 'node:http2';
import { once } from 'node:events';
import * as grpc from '@grpc/grpc-js';
import { fromPlain } from '../../../config/node.ts';
import { validateConfig } from '../../../config/validate.ts';
import type { Component } from '../../../contracts/component.ts';
import type { ConsumeResult, Consumer } from '../../../contracts/consumer.ts';
import type { Payload } from '../../../contracts/payload.ts';
import { TelegateError } from '../../../errors/catalogue.ts';
import { frameMessage } from '../../../transport/grpc-framing.ts';
import { decodeRetryAfterMs } from '../../../transport/grpc-status-details.ts';
import { RoomSignal } from '../../../util/room-signal.ts';
import { MemoryLimiterProcessor } from '../../processors/memory_limiter/memory-limiter-processor.ts';
import type { MemoryLimiterConfig } from '../../processors/memory_limiter/config.ts';
import { encodeRequest } from '../../../../test/helpers/otlp-proto.ts';
import { MemoryTelemetry, RecordingLogger, testHost, testSettings } from '../../../../test/helpers/fakes.ts';
import type { OtlpReceiverConfig } from './config.ts';
import { otlpReceiverFactory } from './factory.ts';

const TRACES_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const MIB = 1024 * 1024;

/** A consumer with a room the test opens and closes; it says when a request starts waiting on it. */
class GatedConsumer implements Consumer {
  readonly payloads: Payload[] = [];
  open = true;
  readonly room = new RoomSignal(() => this.open);
  private waiter: (() => void) | undefined;
  private readonly onRoom = this.room.onRoom.bind(this.room);

  constructor() {
    // Wraps onRoom to learn when a request has started waiting.
    this.room.onRoom = (listener) => {
      const off = this.onRoom(listener);
      this.waiter?.();
      return off;
    };
  }

  /** Refusals for lack of room still to give, as a full batch processor does when others filled it first. */
  busyRefusals = 0;
  consumeCalls = 0;

  consume(payload: Payload): Promise<ConsumeResult> {
    this.consumeCalls++;
    if (this.busyRefusals > 0) {
      this.busyRefusals--;
      const error = new TelegateError('TG_PIPELINE_BUSY', 'the batch processor holds too much unsent data');
      queueMicrotask(() => this.waiter?.());
      return Promise.resolve({ status: 'retryable', error });
    }
    this.payloads.push(payload);
    return Promise.resolve({ status: 'success' });
  }

  /** Resolves when the next request starts waiting for room. */
  nextWait(): Promise<void> {
    return new Promise((resolve) => (this.waiter = resolve));
  }

  setOpen(open: boolean): void {
    this.open = open;
    this.room.notify();
  }
}

function config(block: Record<string, unknown>): OtlpReceiverConfig {
  const r = validateConfig(otlpReceiverFactory.configSchema, fromPlain(block, undefined), 'receivers.otlp', undefined);
  assert.deepEqual(r.issues, []);
  return r.value as OtlpReceiverConfig;
}

function spans(n: number, pad = 0): Buffer {
  const name = 'x'.repeat(pad);
  const list = Array.from({ length: n }, (_, i) => ({
    traceId: Buffer.alloc(16, 1),
    spanId: Buffer.alloc(8, i + 1),
    name,
  }));
  return encodeRequest('traces', { resourceSpans: [{ scopeSpans: [{ spans: list }] }] });
}

const telemetry = new MemoryTelemetry();
const logger = new RecordingLogger();
const traces = new GatedConsumer();
let receiver: Component;
let grpcEndpoint = '';
let httpBase = '';
let client: grpc.Client;

interface Outcome {
  code: number;
  details: string;
  metadata?: grpc.Metadata;
}

function unary(body: Buffer, md = new grpc.Metadata()): Promise<Outcome> {
  return new Promise((resolve) => {
    const pass = (b: Buffer): Buffer => b;
    client.makeUnaryRequest(TRACES_PATH, pass, pass, body, md, (err) => {
      if (err) resolve({ code: err.code, details: err.details, metadata: err.metadata });
      else resolve({ code: 0, details: '' });
    });
  });
}

const waits = (transport: string): number =>
  telemetry.get('otelcol_receiver_backpressure_waits', { receiver: 'otlp', transport });
const refused = (transport: string): number =>
  telemetry.get('otelcol_receiver_requests', { receiver: 'otlp', transport, outcome: 'refused' });

before(async () => {
  receiver = otlpReceiverFactory.create(
    testSettings('receiver', 'otlp', telemetry, logger),
    config({
      // A long bound: the tests that need a refusal send a short grpc-timeout instead.
      backpressure_timeout: '60s',
      protocols: {
        grpc: { endpoint: '127.0.0.1:0', max_recv_msg_size_mib: 64 },
        http: { endpoint: '127.0.0.1:0' },
      },
    }),
    { traces },
  );
  await receiver.start(testHost());
  grpcEndpoint = String(logger.lines.find((l) => l.msg === 'Starting GRPC server')?.fields['endpoint']);
  httpBase = `http://${String(logger.lines.find((l) => l.msg === 'Starting HTTP server')?.fields['endpoint'])}`;
  client = new grpc.Client(grpcEndpoint, grpc.credentials.createInsecure());
});
after(async () => {
  client.close();
  await receiver.shutdown();
});

test('gRPC: a call to a full pipeline waits, unread, and succeeds once room comes', async () => {
  traces.setOpen(false);
  const waiting = traces.nextWait();
  const before = traces.payloads.length;
  const call = unary(spans(3));
  await waiting;
  assert.equal(traces.payloads.length, before, 'nothing reaches the pipeline while it is full');
  traces.setOpen(true);
  assert.equal((await call).code, 0);
  assert.equal(traces.payloads.length, before + 1);
  assert.equal(traces.payloads.at(-1)?.items, 3);
  assert.ok(waits('grpc') >= 1);
});

test('gRPC: no room before the deadline → UNAVAILABLE with RetryInfo, the data never reaches the pipeline', async () => {
  traces.setOpen(false);
  try {
    const before = traces.payloads.length;
    const refusedBefore = refused('grpc');
    const md = new grpc.Metadata();
    // grpc-js sends the deadline as grpc-timeout; the receiver answers a tenth of it before (200 ms here).
    const deadline = new Date(Date.now() + 2000);
    const r = await new Promise<Outcome>((resolve) => {
      const pass = (b: Buffer): Buffer => b;
      client.makeUnaryRequest(TRACES_PATH, pass, pass, spans(2), md, { deadline }, (err) => {
        resolve(err ? { code: err.code, details: err.details, metadata: err.metadata } : { code: 0, details: '' });
      });
    });
    assert.equal(r.code, grpc.status.UNAVAILABLE);
    assert.match(r.details, /no room/);
    const bin = r.metadata?.get('grpc-status-details-bin')[0];
    assert.ok(Buffer.isBuffer(bin));
    assert.equal(decodeRetryAfterMs(bin), 1000);
    assert.equal(traces.payloads.length, before);
    assert.equal(refused('grpc'), refusedBefore + 1);
  } finally {
    traces.setOpen(true);
  }
});

test('gRPC: while a call waits its body is not read; HTTP/2 flow control holds the client back', async () => {
  const session: ClientHttp2Session = connect(`http://${grpcEndpoint}`);
  session.on('error', () => undefined);
  traces.setOpen(false);
  try {
    // 12 MiB: several times the server's 4 MiB stream window.
    const body = spans(20_000, 600);
    assert.ok(body.length > 12 * MIB);
    const waiting = traces.nextWait();
    const stream: ClientHttp2Stream = session.request({
      ':method': 'POST',
      ':path': TRACES_PATH,
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    let written = false;
    stream.end(frameMessage(body, false), () => {
      written = true;
    });
    const status = new Promise<string | undefined>((resolve) => {
      stream.on('trailers', (h) => {
        resolve(String(h['grpc-status']));
      });
      stream.on('response', (h) => {
        if (h['grpc-status'] !== undefined) resolve(String(h['grpc-status']));
      });
    });
    stream.resume();
    await waiting;
    // Let the client push what the windows allow: once the server's window is used up it can send no more.
    // The server grants a 16 MiB connection window and a 4 MiB stream window (transport/grpc-server.ts):
    // the client sends 4 MiB, then waits for a WINDOW_UPDATE that an unread stream never gets.
    const sent = (): number => 16 * MIB - (session.state.remoteWindowSize ?? 0);
    for (let i = 0; i < 100_000 && sent() < 4 * MIB; i++) await new Promise(setImmediate);
    assert.equal(sent(), 4 * MIB, 'the client sent exactly one stream window');
    assert.equal(written, false, 'the client could not send the whole body');
    const before = traces.payloads.length;
    traces.setOpen(true);
    assert.equal(await status, '0');
    assert.equal(written, true);
    assert.equal(traces.payloads.length, before + 1);
    assert.equal(traces.payloads.at(-1)?.bytes.length, body.length);
  } finally {
    traces.setOpen(true);
    session.close();
    await once(session, 'close');
  }
});

test('HTTP: a request to a full pipeline waits and succeeds once room comes', async () => {
  traces.setOpen(false);
  const waiting = traces.nextWait();
  const before = traces.payloads.length;
  const response = fetch(`${httpBase}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf' },
    body: spans(4),
  });
  await waiting;
  assert.equal(traces.payloads.length, before);
  traces.setOpen(true);
  assert.equal((await response).status, 200);
  assert.equal(traces.payloads.at(-1)?.items, 4);
  assert.ok(waits('http') >= 1);
});

test('the bound: backpressure_timeout 0 refuses a full pipeline at once with 503 and Retry-After', async () => {
  const t = new MemoryTelemetry();
  const l = new RecordingLogger();
  const gated = new GatedConsumer();
  gated.setOpen(false);
  const r = otlpReceiverFactory.create(
    testSettings('receiver', 'otlp', t, l),
    config({ backpressure_timeout: '0s', protocols: { http: { endpoint: '127.0.0.1:0' } } }),
    { traces: gated },
  );
  await r.start(testHost());
  try {
    const base = `http://${String(l.lines.find((x) => x.msg === 'Starting HTTP server')?.fields['endpoint'])}`;
    const res = await fetch(`${base}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: spans(1),
    });
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '1');
    assert.equal(gated.payloads.length, 0);
    assert.equal(t.get('otelcol_receiver_requests', { receiver: 'otlp', transport: 'http', outcome: 'refused' }), 1);
  } finally {
    await r.shutdown();
  }
});

test('memory_limiter above its soft limit refuses at once, even when the pipeline after it is full', async () => {
  const t = new MemoryTelemetry();
  const l = new RecordingLogger();
  const downstream = new GatedConsumer();
  downstream.setOpen(false);
  const limiterConfig: MemoryLimiterConfig = {
    check_interval: 1000,
    limit_mib: 100,
    spike_limit_mib: 20,
    limit_percentage: 0,
    spike_limit_percentage: 0,
    min_gc_interval_when_soft_limited: 10_000,
    min_gc_interval_when_hard_limited: 0,
  };
  const limiter = new MemoryLimiterProcessor(
    testSettings('processor', 'memory_limiter'),
    limiterConfig,
    'traces',
    downstream,
    {
      measure: () => 90 * MIB,
    },
  );
  limiter.memory.check();
  // The pipeline's room as the service builds it (service/graph.ts): the limiter first, then the full step.
  const { pipelineRoom } = await import('../../../util/room-signal.ts');
  const pipeline: Consumer = {
    consume: (p) => limiter.consume(p),
    room: pipelineRoom([limiter.room, downstream.room]),
  };
  const r = otlpReceiverFactory.create(
    testSettings('receiver', 'otlp', t, l),
    config({ backpressure_timeout: '60s', protocols: { grpc: { endpoint: '127.0.0.1:0' } } }),
    { traces: pipeline },
  );
  await r.start(testHost());
  const endpoint = String(l.lines.find((x) => x.msg === 'Starting GRPC server')?.fields['endpoint']);
  const c = new grpc.Client(endpoint, grpc.credentials.createInsecure());
  try {
    const result = await new Promise<Outcome>((resolve) => {
      const pass = (b: Buffer): Buffer => b;
      c.makeUnaryRequest(TRACES_PATH, pass, pass, spans(2), new grpc.Metadata(), (err) => {
        resolve(err ? { code: err.code, details: err.details } : { code: 0, details: '' });
      });
    });
    assert.equal(result.code, grpc.status.UNAVAILABLE);
    assert.equal(result.details, 'data refused due to high memory usage');
    assert.equal(t.get('otelcol_receiver_backpressure_waits', { receiver: 'otlp', transport: 'grpc' }), 0);
    assert.equal(downstream.payloads.length, 0);
  } finally {
    c.close();
    await r.shutdown();
  }
});

test('a call admitted with room but refused for lack of it once read waits again and is handed over again', async () => {
  traces.setOpen(true);
  traces.busyRefusals = 1;
  const calls = traces.consumeCalls;
  const before = traces.payloads.length;
  // Resolves once the refusal is given; the receiver is then waiting for the next announcement of room.
  const refused = traces.nextWait();
  const call = unary(spans(2));
  await refused;
  await new Promise(setImmediate);
  traces.setOpen(true);
  assert.equal((await call).code, 0);
  assert.equal(traces.consumeCalls, calls + 2);
  assert.equal(traces.payloads.length, before + 1);
});
