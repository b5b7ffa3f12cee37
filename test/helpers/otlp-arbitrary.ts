// fast-check arbitraries for random but valid OTLP Export*ServiceRequest objects, in the protobufjs
// object shape of test/helpers/otlp-proto.ts (camelCase keys, int64 as decimal strings, bytes as Buffer).
// Lists hold at most 3 entries so property tests stay fast. Requests are canonical: each is what
// decodeRequest gives back for its own encoding (fields at their proto3 default are absent).
import fc from 'fast-check';
import type { Signal } from '../../src/contracts/signal.ts';
import { decodeRequest, encodeRequest } from './otlp-proto.ts';

const MAX = 3;
const list = <T>(arb: fc.Arbitrary<T>, maxLength = MAX): fc.Arbitrary<T[]> =>
  fc.array(arb, { minLength: 1, maxLength });
/** A record whose every key may be absent, as a proto3 message with fields left at their defaults. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T carries the record model into fc.record's result type
const partial = <T extends Record<string, fc.Arbitrary<unknown>>>(model: T) =>
  fc.record(model, { requiredKeys: [], noNullPrototype: true });

/** Short strings: mostly printable, sometimes any Unicode code point (never a lone surrogate). */
export const arbText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
);
export const arbBytes = (min: number, max: number): fc.Arbitrary<Buffer> =>
  fc.uint8Array({ minLength: min, maxLength: max }).map((a) => Buffer.from(a));
export const arbTraceId: fc.Arbitrary<Buffer> = arbBytes(16, 16);
export const arbSpanId: fc.Arbitrary<Buffer> = arbBytes(8, 8);
/** int64 / sfixed64 as a decimal string (the protobufjs `longs: String` shape). */
export const arbInt64: fc.Arbitrary<string> = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String);
/** uint64 / fixed64 as a decimal string. */
export const arbUint64: fc.Arbitrary<string> = fc
  .oneof(
    fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    fc.bigInt({ min: 1_600_000_000_000_000_000n, max: 1_900_000_000_000_000_000n }),
  )
  .map(String);
export const arbUint32: fc.Arbitrary<number> = fc.nat({ max: 0xffffffff });
/** Any double except -0 (which some encodings cannot tell from 0); NaN and ±Infinity included. */
export const arbDouble: fc.Arbitrary<number> = fc.double().map((d) => (Object.is(d, -0) ? 0 : d));

/** AnyValue of every kind, nested arrays and kvlists down to a small depth. */
export const arbAnyValue: fc.Arbitrary<Record<string, unknown>> = fc.letrec<{
  any: Record<string, unknown>;
  kv: Record<string, unknown>;
}>((tie) => ({
  any: fc.oneof(
    { depthSize: 'small', maxDepth: 2 },
    fc.record({ stringValue: arbText }),
    fc.record({ boolValue: fc.boolean() }),
    fc.record({ intValue: arbInt64 }),
    fc.record({ doubleValue: arbDouble }),
    fc.record({ bytesValue: arbBytes(0, 8) }),
    fc.record({ arrayValue: partial({ values: list(tie('any')) }) }),
    fc.record({ kvlistValue: partial({ values: list(tie('kv')) }) }),
  ),
  kv: fc.record({ key: arbText, value: tie('any') }, { requiredKeys: ['key'], noNullPrototype: true }),
})).any;

export const arbKeyValue: fc.Arbitrary<Record<string, unknown>> = fc.record(
  { key: arbText, value: arbAnyValue },
  { requiredKeys: ['key'], noNullPrototype: true },
);
export const arbAttributes: fc.Arbitrary<Record<string, unknown>[]> = list(arbKeyValue);

const arbEntityRef = partial({
  schemaUrl: arbText,
  type: arbText,
  idKeys: list(arbText),
  descriptionKeys: list(arbText),
});
export const arbResource = partial({
  attributes: arbAttributes,
  droppedAttributesCount: arbUint32,
  entityRefs: list(arbEntityRef, 1),
});
export const arbScope = partial({
  name: arbText,
  version: arbText,
  attributes: arbAttributes,
  droppedAttributesCount: arbUint32,
});

// ---- traces ----
const arbEvent = partial({
  timeUnixNano: arbUint64,
  name: arbText,
  attributes: arbAttributes,
  droppedAttributesCount: arbUint32,
});
const arbLink = partial({
  traceId: arbTraceId,
  spanId: arbSpanId,
  traceState: arbText,
  attributes: arbAttributes,
  droppedAttributesCount: arbUint32,
  flags: arbUint32,
});
export const arbSpan = partial({
  traceId: arbTraceId,
  spanId: arbSpanId,
  traceState: arbText,
  parentSpanId: arbSpanId,
  flags: arbUint32,
  name: arbText,
  kind: fc.integer({ min: 0, max: 5 }),
  startTimeUnixNano: arbUint64,
  endTimeUnixNano: arbUint64,
  attributes: arbAttributes,
  droppedAttributesCount: arbUint32,
  events: list(arbEvent),
  droppedEventsCount: arbUint32,
  links: list(arbLink),
  droppedLinksCount: arbUint32,
  status: partial({ message: arbText, code: fc.integer({ min: 0, max: 2 }) }),
});
const rawTraces = partial({
  resourceSpans: list(
    partial({
      resource: arbResource,
      scopeSpans: list(partial({ scope: arbScope, spans: list(arbSpan), schemaUrl: arbText })),
      schemaUrl: arbText,
    }),
  ),
});

// ---- metrics ----
const arbNumberValue = fc.oneof(fc.record({ asDouble: arbDouble }), fc.record({ asInt: arbInt64 }), fc.constant({}));
const arbExemplar = fc
  .tuple(
    partial({ filteredAttributes: arbAttributes, timeUnixNano: arbUint64, spanId: arbSpanId, traceId: arbTraceId }),
    arbNumberValue,
  )
  .map(([e, v]) => ({ ...e, ...v }));
const pointBase = {
  attributes: arbAttributes,
  startTimeUnixNano: arbUint64,
  timeUnixNano: arbUint64,
  flags: arbUint32,
};
const arbNumberPoint = fc
  .tuple(partial({ ...pointBase, exemplars: list(arbExemplar, 2) }), arbNumberValue)
  .map(([p, v]) => ({ ...p, ...v }));
const arbHistogramPoint = fc
  .tuple(
    partial({
      ...pointBase,
      count: arbUint64,
      sum: arbDouble,
      exemplars: list(arbExemplar, 2),
      min: arbDouble,
      max: arbDouble,
    }),
    fc.array(arbDouble, { maxLength: 4 }),
  )
  .chain(([p, bounds]) =>
    fc.array(arbUint64, { minLength: bounds.length + 1, maxLength: bounds.length + 1 }).map((bucketCounts) => ({
      ...p,
      ...(bounds.length > 0 ? { explicitBounds: bounds, bucketCounts } : {}),
    })),
  );
const arbBuckets = partial({ offset: fc.integer({ min: -1000, max: 1000 }), bucketCounts: list(arbUint64, 4) });
const arbExpHistogramPoint = partial({
  ...pointBase,
  count: arbUint64,
  sum: arbDouble,
  scale: fc.integer({ min: -10, max: 20 }),
  zeroCount: arbUint64,
  positive: arbBuckets,
  negative: arbBuckets,
  exemplars: list(arbExemplar, 2),
  min: arbDouble,
  max: arbDouble,
  zeroThreshold: arbDouble,
});
const arbSummaryPoint = partial({
  ...pointBase,
  count: arbUint64,
  sum: arbDouble,
  quantileValues: list(partial({ quantile: arbDouble, value: arbDouble })),
});
const temporality = fc.integer({ min: 0, max: 2 });
const arbMetricData = fc.oneof(
  fc.record({ gauge: partial({ dataPoints: list(arbNumberPoint) }) }),
  fc.record({
    sum: partial({ dataPoints: list(arbNumberPoint), aggregationTemporality: temporality, isMonotonic: fc.boolean() }),
  }),
  fc.record({ histogram: partial({ dataPoints: list(arbHistogramPoint), aggregationTemporality: temporality }) }),
  fc.record({
    exponentialHistogram: partial({ dataPoints: list(arbExpHistogramPoint), aggregationTemporality: temporality }),
  }),
  fc.record({ summary: partial({ dataPoints: list(arbSummaryPoint) }) }),
);
export const arbMetric = fc
  .tuple(partial({ name: arbText, description: arbText, unit: arbText, metadata: arbAttributes }), arbMetricData)
  .map(([m, d]) => ({ ...m, ...d }));
const rawMetrics = partial({
  resourceMetrics: list(
    partial({
      resource: arbResource,
      scopeMetrics: list(partial({ scope: arbScope, metrics: list(arbMetric), schemaUrl: arbText })),
      schemaUrl: arbText,
    }),
  ),
});

// ---- logs ----
export const arbLogRecord = partial({
  timeUnixNano: arbUint64,
  observedTimeUnixNano: arbUint64,
  severityNumber: fc.integer({ min: 0, max: 24 }),
  severityText: arbText,
  body: arbAnyValue,
  attributes: arbAttributes,
  droppedAttributesCount: arbUint32,
  flags: arbUint32,
  traceId: arbTraceId,
  spanId: arbSpanId,
  eventName: arbText,
});
const rawLogs = partial({
  resourceLogs: list(
    partial({
      resource: arbResource,
      scopeLogs: list(partial({ scope: arbScope, logRecords: list(arbLogRecord), schemaUrl: arbText })),
      schemaUrl: arbText,
    }),
  ),
});

/** One of the three signals. */
export const arbSignal: fc.Arbitrary<Signal> = fc.constantFrom<Signal>('traces', 'metrics', 'logs');

const canonical = (signal: Signal) => (raw: Record<string, unknown>) =>
  decodeRequest(signal, encodeRequest(signal, raw));

const BY_SIGNAL: Record<Signal, fc.Arbitrary<Record<string, unknown>>> = {
  traces: rawTraces.map(canonical('traces')),
  metrics: rawMetrics.map(canonical('metrics')),
  logs: rawLogs.map(canonical('logs')),
};

/** A random valid Export*ServiceRequest object of `signal` (encode it with otlp-proto's encodeRequest). */
export function arbRequest(signal: Signal): fc.Arbitrary<Record<string, unknown>> {
  return BY_SIGNAL[signal];
}

/** Random valid ExportTraceServiceRequest objects. */
export const arbTracesRequest = BY_SIGNAL.traces;
/** Random valid ExportMetricsServiceRequest objects. */
export const arbMetricsRequest = BY_SIGNAL.metrics;
/** Random valid ExportLogsServiceRequest objects. */
export const arbLogsRequest = BY_SIGNAL.logs;

/** A signal with a matching random request. */
export const arbSignalRequest: fc.Arbitrary<{ signal: Signal; request: Record<string, unknown> }> = arbSignal.chain(
  (signal) => arbRequest(signal).map((request) => ({ signal, request })),
);
