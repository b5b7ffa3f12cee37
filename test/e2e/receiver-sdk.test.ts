// The official OpenTelemetry JS SDK exporters (gRPC, HTTP/protobuf, HTTP/JSON) sending traces, metrics
// and logs into the otlp receiver: every payload must decode to exactly what the SDK serialized, and
// the SDK must see back-pressure (UNAVAILABLE + RetryInfo, 503 + Retry-After) and retry through it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Metadata } from '@grpc/grpc-js';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter as TraceGrpc } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as TraceProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as TraceJson } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPMetricExporter as MetricsGrpc } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as MetricsProto } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPMetricExporter as MetricsJson } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPLogExporter as LogsGrpc } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as LogsProto } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPLogExporter as LogsJson } from '@opentelemetry/exporter-logs-otlp-http';
import {
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
  type ReadableLogRecord,
} from '@opentelemetry/sdk-logs';
import { fromPlain } from '../../src/config/node.ts';
import { validateConfig } from '../../src/config/validate.ts';
import type { Component } from '../../src/contracts/component.ts';
import type { Consumer, ConsumeResult } from '../../src/contracts/consumer.ts';
import type { Payload } from '../../src/contracts/payload.ts';
import type { Signal } from '../../src/contracts/signal.ts';
import { otlpReceiverFactory } from '../../src/components/receivers/otlp/factory.ts';
import { decodeRetryAfterMs } from '../../src/transport/grpc-status-details.ts';
import { MemoryTelemetry, RecordingLogger, testHost, testSettings } from '../helpers/fakes.ts';
import { decodeRequest } from '../helpers/otlp-proto.ts';

/** Records payloads; answers each with the next scripted result, then success. */
class ScriptedConsumer implements Consumer {
  readonly payloads: Payload[] = [];
  readonly script: ConsumeResult[] = [];
  attempts = 0;
  consume(payload: Payload): Promise<ConsumeResult> {
    this.attempts++;
    const next = this.script.shift();
    if (next !== undefined) return Promise.resolve(next);
    this.payloads.push(payload);
    return Promise.resolve({ status: 'success' });
  }
}

interface SdkExporter<T> {
  export(items: T, done: (r: ExportResult) => void): void;
  shutdown(): Promise<void>;
}

const consumers: Record<Signal, ScriptedConsumer> = {
  traces: new ScriptedConsumer(),
  metrics: new ScriptedConsumer(),
  logs: new ScriptedConsumer(),
};
const telemetry = new MemoryTelemetry();
let receiver: Component;
let grpcUrl: string;
let httpUrl: string;

before(async () => {
  const logger = new RecordingLogger();
  const cfg = validateConfig(
    otlpReceiverFactory.configSchema,
    fromPlain({ protocols: { grpc: { endpoint: '127.0.0.1:0' }, http: { endpoint: '127.0.0.1:0' } } }, undefined),
    'receivers.otlp',
    undefined,
  ).value;
  receiver = otlpReceiverFactory.create(testSettings('receiver', 'otlp', telemetry, logger), cfg as never, consumers);
  await receiver.start(testHost());
  const ep = (msg: string): string => String(logger.lines.find((l) => l.msg === msg)?.fields['endpoint']);
  grpcUrl = `http://${ep('Starting GRPC server')}`;
  httpUrl = `http://${ep('Starting HTTP server')}`;
});
after(() => receiver.shutdown());

function spans(): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer('e2e', '1.0.0');
  const parent = tracer.startSpan('parent', { attributes: { 'http.method': 'GET', retries: 3, ok: true, ratio: 0.5 } });
  parent.addEvent('started', { step: 1 });
  parent.end();
  tracer.startSpan('child', { attributes: { tags: ['a', 'b'] } }).end();
  return memory.getFinishedSpans();
}

class ManualReader extends MetricReader {
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

async function metrics(): Promise<ResourceMetrics> {
  const reader = new ManualReader();
  const provider = new MeterProvider({ readers: [reader] });
  const meter = provider.getMeter('e2e');
  meter.createCounter('requests').add(5, { route: '/a' });
  meter.createCounter('requests_b').add(2);
  meter.createHistogram('latency').record(12.5);
  meter.createUpDownCounter('queue').add(-3);
  const { resourceMetrics } = await reader.collect();
  return resourceMetrics;
}

async function logs(): Promise<ReadableLogRecord[]> {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: memory })] });
  const logger = provider.getLogger('e2e');
  logger.emit({
    body: 'hello',
    severityNumber: SeverityNumber.INFO,
    severityText: 'INFO',
    attributes: { user: 'ann' },
  });
  logger.emit({ body: { structured: true, n: 1 }, severityNumber: SeverityNumber.ERROR });
  // SimpleLogRecordProcessor hands records over asynchronously.
  await provider.forceFlush();
  return memory.getFinishedLogRecords();
}

function send<T>(exporter: SdkExporter<T>, items: T): Promise<ExportResult> {
  return new Promise((resolve) => {
    exporter.export(items, resolve);
  });
}

/** Exports `items` and checks the payload decodes to what the SDK's own protobuf serializer writes. */
async function roundTrip<T>(
  signal: Signal,
  exporter: SdkExporter<T>,
  items: T,
  expected: Uint8Array | undefined,
  itemCount: number,
): Promise<void> {
  const consumer = consumers[signal];
  const before = consumer.payloads.length;
  try {
    const result = await send(exporter, items);
    assert.equal(result.code, ExportResultCode.SUCCESS, result.error?.message);
    assert.equal(consumer.payloads.length, before + 1);
    const payload = consumer.payloads.at(-1);
    assert.ok(payload && expected);
    assert.deepEqual(decodeRequest(signal, payload.bytes), decodeRequest(signal, Buffer.from(expected)));
    assert.equal(payload.items, itemCount);
  } finally {
    await exporter.shutdown();
  }
}

const URLS = { traces: '/v1/traces', metrics: '/v1/metrics', logs: '/v1/logs' };

for (const [name, make] of [
  ['grpc', () => new TraceGrpc({ url: grpcUrl })],
  ['http/protobuf', () => new TraceProto({ url: `${httpUrl}${URLS.traces}` })],
  ['http/json', () => new TraceJson({ url: `${httpUrl}${URLS.traces}` })],
] as const) {
  test(`traces over ${name} arrive exactly as sent`, async () => {
    const s = spans();
    await roundTrip('traces', make(), s, ProtobufTraceSerializer.serializeRequest(s), 2);
  });
}

for (const [name, make] of [
  ['grpc', () => new MetricsGrpc({ url: grpcUrl })],
  ['http/protobuf', () => new MetricsProto({ url: `${httpUrl}${URLS.metrics}` })],
  ['http/json', () => new MetricsJson({ url: `${httpUrl}${URLS.metrics}` })],
] as const) {
  test(`metrics over ${name} arrive exactly as sent`, async () => {
    const m = await metrics();
    await roundTrip('metrics', make(), m, ProtobufMetricsSerializer.serializeRequest(m), 4);
  });
}

for (const [name, make] of [
  ['grpc', () => new LogsGrpc({ url: grpcUrl })],
  ['http/protobuf', () => new LogsProto({ url: `${httpUrl}${URLS.logs}` })],
  ['http/json', () => new LogsJson({ url: `${httpUrl}${URLS.logs}` })],
] as const) {
  test(`logs over ${name} arrive exactly as sent`, async () => {
    const l = await logs();
    await roundTrip('logs', make(), l, ProtobufLogsSerializer.serializeRequest(l), 2);
  });
}

test('gRPC exporter with gzip compression', async () => {
  const s = spans();
  await roundTrip(
    'traces',
    new TraceGrpc({ url: grpcUrl, compression: 'gzip' as never }),
    s,
    ProtobufTraceSerializer.serializeRequest(s),
    2,
  );
});

test('HTTP exporter with gzip compression', async () => {
  const l = await logs();
  await roundTrip(
    'logs',
    new LogsProto({ url: `${httpUrl}${URLS.logs}`, compression: 'gzip' as never }),
    l,
    ProtobufLogsSerializer.serializeRequest(l),
    2,
  );
});

const busy = (): ConsumeResult => ({
  status: 'retryable',
  error: new Error('sending queue is full'),
  retryAfterMs: 200,
});

test('back-pressure over gRPC: the SDK sees UNAVAILABLE with RetryInfo, then succeeds on the next export', async () => {
  const consumer = consumers.traces;
  consumer.script.push(busy());
  const refused = telemetry.get('otelcol_receiver_refused_spans', { receiver: 'otlp', transport: 'grpc' });
  const exporter = new TraceGrpc({ url: grpcUrl });
  try {
    // The JS gRPC exporter reports the failure instead of retrying itself; the status is what matters.
    const result = await send(exporter, spans());
    assert.equal(result.code, ExportResultCode.FAILED);
    const err = result.error as (Error & { code?: number; details?: string; metadata?: Metadata }) | undefined;
    assert.ok(err);
    assert.equal(err.code, 14);
    assert.equal(err.details, 'sending queue is full');
    const bin = err.metadata?.get('grpc-status-details-bin')[0];
    assert.ok(Buffer.isBuffer(bin));
    assert.equal(decodeRetryAfterMs(bin), 200);
    assert.equal(telemetry.get('otelcol_receiver_refused_spans', { receiver: 'otlp', transport: 'grpc' }), refused + 2);
  } finally {
    await exporter.shutdown();
  }
  const s = spans();
  await roundTrip('traces', new TraceGrpc({ url: grpcUrl }), s, ProtobufTraceSerializer.serializeRequest(s), 2);
});

test('back-pressure over HTTP: the SDK gets 503 + Retry-After, retries, and succeeds', async () => {
  const consumer = consumers.metrics;
  consumer.script.push(busy());
  const attempts = consumer.attempts;
  const m = await metrics();
  await roundTrip(
    'metrics',
    new MetricsProto({ url: `${httpUrl}${URLS.metrics}` }),
    m,
    ProtobufMetricsSerializer.serializeRequest(m),
    4,
  );
  assert.equal(consumer.attempts, attempts + 2, 'one refusal, one accepted retry');
});

test('a permanent refusal is reported to the SDK as a failed export, without retry', async () => {
  const consumer = consumers.logs;
  consumer.script.push({ status: 'failure', error: new Error('rejected for good') });
  const attempts = consumer.attempts;
  const exporter = new LogsJson({ url: `${httpUrl}${URLS.logs}` });
  try {
    const result = await send(exporter, await logs());
    assert.equal(result.code, ExportResultCode.FAILED);
    assert.equal(consumer.attempts, attempts + 1);
  } finally {
    await exporter.shutdown();
  }
});
