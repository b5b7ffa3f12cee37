// The independent full OTLP decoder for tests: protobufjs loaded from the .proto files in /proto.
// Property and e2e tests compare telegate's bytes-level routines against what this decodes.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import type { Signal } from '../../src/contracts/signal.ts';

const PROTO_DIR = fileURLToPath(new URL('../../proto/', import.meta.url));

const FILES = [
  'opentelemetry/proto/collector/trace/v1/trace_service.proto',
  'opentelemetry/proto/collector/metrics/v1/metrics_service.proto',
  'opentelemetry/proto/collector/logs/v1/logs_service.proto',
];

function loadRoot(): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (target.startsWith('/') ? target : join(PROTO_DIR, target));
  root.loadSync(FILES, { keepCase: false });
  root.resolveAll();
  return root;
}

/** The protobufjs root holding every OTLP message. */
export const root: protobuf.Root = loadRoot();

export const ExportTraceServiceRequest = root.lookupType(
  'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest',
);
export const ExportMetricsServiceRequest = root.lookupType(
  'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest',
);
export const ExportLogsServiceRequest = root.lookupType(
  'opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest',
);
export const ExportTraceServiceResponse = root.lookupType(
  'opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse',
);
export const ExportMetricsServiceResponse = root.lookupType(
  'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse',
);
export const ExportLogsServiceResponse = root.lookupType(
  'opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse',
);
export const AnyValue = root.lookupType('opentelemetry.proto.common.v1.AnyValue');
export const KeyValue = root.lookupType('opentelemetry.proto.common.v1.KeyValue');
export const Span = root.lookupType('opentelemetry.proto.trace.v1.Span');
export const Metric = root.lookupType('opentelemetry.proto.metrics.v1.Metric');
export const LogRecord = root.lookupType('opentelemetry.proto.logs.v1.LogRecord');

/** The request type of each signal. */
export const RequestTypes: Record<Signal, protobuf.Type> = {
  traces: ExportTraceServiceRequest,
  metrics: ExportMetricsServiceRequest,
  logs: ExportLogsServiceRequest,
};

/** The response type of each signal. */
export const ResponseTypes: Record<Signal, protobuf.Type> = {
  traces: ExportTraceServiceResponse,
  metrics: ExportMetricsServiceResponse,
  logs: ExportLogsServiceResponse,
};

/** The name of the top-level repeated field of each request (camelCase, as protobufjs objects have it). */
export const RESOURCE_FIELD: Record<Signal, string> = {
  traces: 'resourceSpans',
  metrics: 'resourceMetrics',
  logs: 'resourceLogs',
};

/** toObject options: int64 as decimal strings, bytes as Buffer, enums as numbers, no defaults. */
export const TO_OBJECT: protobuf.IConversionOptions = {
  longs: String,
  bytes: Buffer,
  enums: Number,
  defaults: false,
  arrays: false,
  objects: false,
  oneofs: false,
};

/** Encodes a plain request object (protobufjs shape, camelCase keys) to protobuf bytes. */
export function encodeRequest(signal: Signal, obj: object): Buffer {
  const type = RequestTypes[signal];
  const msg = type.fromObject(obj);
  return Buffer.from(type.encode(msg).finish());
}

/** Decodes protobuf bytes into a plain object (see TO_OBJECT for the shape). */
export function decodeRequest(signal: Signal, bytes: Uint8Array): Record<string, any> {
  const type = RequestTypes[signal];
  return type.toObject(type.decode(bytes), TO_OBJECT);
}

/** Decodes an Export*ServiceResponse into a plain object. */
export function decodeResponse(signal: Signal, bytes: Uint8Array): Record<string, any> {
  const type = ResponseTypes[signal];
  return type.toObject(type.decode(bytes), TO_OBJECT);
}

/**
 * A realistic ExportTraceServiceRequest object like the perf lab's (about 300 bytes per span): 1 resource
 * with 8 attributes, 1 scope, `spans` spans each with ids, name, kind, 2 timestamps, 10 attributes
 * (5 string, 3 int, 1 bool, 1 double), 1 event and a status. Deterministic for a given `spans`.
 */
export function sampleTracesRequest(spans: number): Record<string, unknown> {
  const str = (key: string, v: string) => ({ key, value: { stringValue: v } });
  const resource = {
    attributes: [
      str('service.name', 'checkout'),
      str('service.version', '1.42.0'),
      str('service.namespace', 'shop'),
      str('deployment.environment', 'production'),
      str('host.name', 'ip-10-0-12-34.ec2.internal'),
      str('k8s.pod.name', 'checkout-7d9f8b6c5d-x2x4k'),
      str('k8s.namespace.name', 'shop'),
      str('telemetry.sdk.language', 'nodejs'),
    ],
  };
  const list = [];
  for (let i = 0; i < spans; i++) {
    const id = (n: number, len: number) => Buffer.alloc(len, (i * 7 + n) % 251 || 1);
    const start = 1_700_000_000_000_000_000n + BigInt(i) * 1_000_000n;
    list.push({
      traceId: id(1, 16),
      spanId: id(2, 8),
      parentSpanId: id(3, 8),
      name: `GET /o/${i % 100}`,
      kind: 2,
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(start + 2_500_000n),
      attributes: [
        str('http.method', 'GET'),
        str('url.path', `/o/${i % 100}`),
        str('http.route', '/o/:id'),
        str('net.peer', 'db'),
        str('user_agent', 'curl/8'),
        { key: 'http.status', value: { intValue: '200' } },
        { key: 'net.port', value: { intValue: '8080' } },
        { key: 'body.size', value: { intValue: String(1000 + i) } },
        { key: 'error', value: { boolValue: false } },
        { key: 'ratio', value: { doubleValue: 0.25 } },
      ],
      events: [{ timeUnixNano: String(start + 1_000_000n), name: 'miss', attributes: [str('c', 'o')] }],
      status: { code: 1 },
    });
  }
  return { resourceSpans: [{ resource, scopeSpans: [{ scope: { name: 'http', version: '1.0.0' }, spans: list }] }] };
}
