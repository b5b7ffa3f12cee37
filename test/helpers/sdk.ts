// Real telemetry from the official OpenTelemetry JS SDK for end-to-end tests: spans, metrics and log
// records made by the SDK, the SDK's OTLP exporters for each protocol, and the exact request the
// SDK's own serializer writes for them (what must arrive, byte-for-byte after decoding).
import { Metadata } from '@grpc/grpc-js';
import { SpanKind, SpanStatusCode, type Link } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import type { ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
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
import type { Signal } from '../../src/contracts/signal.ts';

export type Protocol = 'grpc' | 'http/protobuf' | 'http/json';
export const PROTOCOLS: readonly Protocol[] = ['grpc', 'http/protobuf', 'http/json'];

/** What an SDK exporter can do, whatever its signal. */
export interface SdkExporter<T> {
  export(items: T, done: (r: ExportResult) => void): void;
  shutdown(): Promise<void>;
}

/** The SDK's data for one signal, and the request its own protobuf serializer writes for it. */
export interface SdkBatch {
  readonly signal: Signal;
  readonly items: unknown;
  readonly expected: Uint8Array;
  readonly count: number;
}

/** The SDK resource used by every batch; tests' processors edit it. */
export function sdkResource(extra: Record<string, string | number | boolean> = {}): Resource {
  return resourceFromAttributes({
    'service.name': 'checkout',
    'deployment.environment': 'dev',
    'internal.secret': 'drop-me',
    ...extra,
  });
}

/** Spans with kinds, attributes of each type, an event, a link and an error status. */
export function sdkSpans(resource: Resource = sdkResource()): SdkBatch {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer('e2e', '1.0.0');
  const parent = tracer.startSpan('GET /cart', {
    kind: SpanKind.SERVER,
    attributes: { 'http.method': 'GET', retries: 3, ok: true, ratio: 0.5 },
  });
  parent.addEvent('cache.miss', { key: 'cart:42' });
  const link: Link = { context: parent.spanContext(), attributes: { reason: 'follows' } };
  const child = tracer.startSpan('SELECT cart', {
    kind: SpanKind.CLIENT,
    links: [link],
    attributes: { tags: ['a', 'b'] },
  });
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'timeout' });
  child.end();
  parent.end();
  const items: ReadableSpan[] = memory.getFinishedSpans();
  return {
    signal: 'traces',
    items,
    expected: ProtobufTraceSerializer.serializeRequest(items) ?? new Uint8Array(),
    count: items.length,
  };
}

class ManualReader extends MetricReader {
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

/** A counter, an up-down counter and a histogram: 3 data points. */
export async function sdkMetrics(resource: Resource = sdkResource()): Promise<SdkBatch> {
  const reader = new ManualReader();
  const provider = new MeterProvider({ resource, readers: [reader] });
  const meter = provider.getMeter('e2e');
  meter.createCounter('requests').add(5, { route: '/cart' });
  meter.createUpDownCounter('queue.depth').add(-3);
  meter.createHistogram('latency', { unit: 'ms' }).record(12.5);
  const { resourceMetrics } = await reader.collect();
  const items: ResourceMetrics = resourceMetrics;
  return {
    signal: 'metrics',
    items,
    expected: ProtobufMetricsSerializer.serializeRequest(items) ?? new Uint8Array(),
    count: 3,
  };
}

/** Two log records, one with a structured body. */
export async function sdkLogs(resource: Resource = sdkResource()): Promise<SdkBatch> {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter: memory })] });
  const logger = provider.getLogger('e2e');
  logger.emit({
    body: 'payment accepted',
    severityNumber: SeverityNumber.INFO,
    severityText: 'INFO',
    attributes: { user: 'ann' },
  });
  logger.emit({ body: { structured: true, n: 1 }, severityNumber: SeverityNumber.ERROR });
  await provider.forceFlush();
  const items: ReadableLogRecord[] = memory.getFinishedLogRecords();
  return {
    signal: 'logs',
    items,
    expected: ProtobufLogsSerializer.serializeRequest(items) ?? new Uint8Array(),
    count: items.length,
  };
}

/** Builds the batch of a signal. */
export function sdkBatch(signal: Signal, resource?: Resource): Promise<SdkBatch> {
  if (signal === 'traces') return Promise.resolve(sdkSpans(resource));
  return signal === 'metrics' ? sdkMetrics(resource) : sdkLogs(resource);
}

const PATHS: Record<Signal, string> = { traces: '/v1/traces', metrics: '/v1/metrics', logs: '/v1/logs' };

/** The SDK's exporter for a signal and protocol; `grpcUrl`/`httpUrl` are `http://host:port`; `headers` go as gRPC metadata too. */
export function sdkExporter(
  signal: Signal,
  protocol: Protocol,
  urls: { grpc: string; http: string },
  options: { headers?: Record<string, string>; gzip?: boolean } = {},
): SdkExporter<unknown> {
  const url = protocol === 'grpc' ? urls.grpc : `${urls.http}${PATHS[signal]}`;
  // The SDK's CompressionAlgorithm is an enum of these strings.
  const compression = (options.gzip === true ? 'gzip' : 'none') as never;
  // The gRPC exporters take headers as grpc-js Metadata.
  const metadata = new Metadata();
  for (const [k, v] of Object.entries(options.headers ?? {})) metadata.set(k, v);
  const grpc = { url, compression, metadata };
  const http = { url, compression, headers: options.headers ?? {} };
  const make = {
    traces: {
      grpc: () => new TraceGrpc(grpc),
      'http/protobuf': () => new TraceProto(http),
      'http/json': () => new TraceJson(http),
    },
    metrics: {
      grpc: () => new MetricsGrpc(grpc),
      'http/protobuf': () => new MetricsProto(http),
      'http/json': () => new MetricsJson(http),
    },
    logs: {
      grpc: () => new LogsGrpc(grpc),
      'http/protobuf': () => new LogsProto(http),
      'http/json': () => new LogsJson(http),
    },
  } as const;
  return make[signal][protocol]();
}

/** Exports one batch and resolves with the SDK's result. */
export function sdkSend(exporter: SdkExporter<unknown>, items: unknown): Promise<ExportResult> {
  return new Promise((resolve) => {
    exporter.export(items, resolve);
  });
}
