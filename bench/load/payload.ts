// The benchmark's request: one ExportTraceServiceRequest of realistic spans, built once with protobufjs
// (perf-lab.md "Payload": 1 resource with 8 attributes, 1 scope, spans with ids, name, kind, 2 timestamps,
// 10 attributes — 5 string, 3 int, 1 bool, 1 double — 1 event and a status; ≈300 bytes per span).
// Run directly to print its size: `node --import tsx bench/load/payload.ts [spans]`.
import { ExportTraceServiceRequest } from './otlp-types.ts';

/** A built request and its figures. */
export interface Payload {
  readonly bytes: Buffer;
  readonly spans: number;
  readonly bytesPerSpan: number;
}

const str = (key: string, stringValue: string) => ({ key, value: { stringValue } });
const int = (key: string, intValue: number) => ({ key, value: { intValue } });

const RESOURCE_ATTRIBUTES = [
  str('service.name', 'checkout-service'),
  str('service.version', '2.14.3'),
  str('service.namespace', 'shop'),
  str('deployment.environment', 'production'),
  str('host.name', 'ip-10-42-17-203.eu-west-1.compute.internal'),
  str('k8s.namespace.name', 'shop-prod'),
  str('k8s.pod.name', 'checkout-service-7d9f8b6c5d-x2x8q'),
  str('telemetry.sdk.language', 'nodejs'),
];

const ROUTES = ['/orders/{id}', '/cart/items', '/payments', '/users/{id}'];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
const BASE_NANOS = 1_764_000_000_000_000_000n;

/** A deterministic pseudo-random generator (xorshift32), so every run sends the same bytes. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

function randomBytes(next: () => number, n: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(next() * 256);
  return b;
}

function span(next: () => number, i: number, variant: number): object {
  const route = ROUTES[i % ROUTES.length]!;
  const method = METHODS[i % METHODS.length]!;
  const start = BASE_NANOS + BigInt(i) * 1_000_000n + BigInt(variant) * 1_000_000_000n;
  const durationNanos = BigInt(Math.floor(next() * 50_000_000));
  const status = next() < 0.05 ? 500 : 200;
  return {
    traceId: randomBytes(next, 16),
    spanId: randomBytes(next, 8),
    parentSpanId: randomBytes(next, 8),
    name: `${method} ${route}`,
    kind: 2 + (i % 2), // SERVER, CLIENT
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: (start + durationNanos).toString(),
    attributes: [
      str('http.method', method),
      str('http.route', route),
      str('scheme', 'https'),
      str('peer.host', 'db3'),
      str('peer.svc', 'pg'),
      int('http.status', status),
      int('peer.port', 5432),
      int('resp.size', Math.floor(next() * 100_000)),
      { key: 'cached', value: { boolValue: next() < 0.5 } },
      { key: 'amount', value: { doubleValue: Math.round(next() * 100_000) / 100 } },
    ],
    events: [{ timeUnixNano: (start + durationNanos / 2n).toString(), name: 'ack' }],
    status: { code: status === 500 ? 2 : 1 },
  };
}

/**
 * Builds the request with `spans` spans (default 1,000) in one resource and one scope. Each `variant` is a
 * different request of the same shape (its own ids, durations, statuses and timestamps): the load client sends
 * several in turn, as real edges never send the same bytes twice, so no compressor with a long window (zstd's
 * reaches MiBs back) finds a whole earlier request to copy.
 */
export function buildPayload(spans = 1000, variant = 0): Payload {
  const next = rng(0x7e1e6a7e + variant * 0x9e3779b9);
  const list: object[] = [];
  for (let i = 0; i < spans; i++) list.push(span(next, i, variant));
  const message = ExportTraceServiceRequest.fromObject({
    resourceSpans: [
      {
        resource: { attributes: RESOURCE_ATTRIBUTES },
        scopeSpans: [{ scope: { name: '@opentelemetry/instrumentation-http', version: '0.57.0' }, spans: list }],
      },
    ],
  });
  const bytes = Buffer.from(ExportTraceServiceRequest.encode(message).finish());
  return { bytes, spans, bytesPerSpan: bytes.length / spans };
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const p = buildPayload(Number(process.argv[2] ?? 1000));
  console.log(
    JSON.stringify({ bytes: p.bytes.length, spans: p.spans, bytesPerSpan: Math.round(p.bytesPerSpan * 10) / 10 }),
  );
}
