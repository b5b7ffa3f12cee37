// One named table of OTLP field tags (`field << 3 | wire type`), the constants every bytes-level
// routine compares with or writes: `TAG.Span.name`, `TAG.KeyValue.value`. Keys are the fields' JSON
// names; repeated scalars carry the packed (length-delimited) tag, as writers emit them.
// fields.test.ts checks every entry against schema.ts, which schema.test.ts checks against /proto.
import type { Signal } from '../contracts/signal.ts';
import { WIRE_I32, WIRE_I64, WIRE_LEN, WIRE_VARINT } from './wire.ts';

const VARINT = WIRE_VARINT;
const I64 = WIRE_I64;
const LEN = WIRE_LEN;
const I32 = WIRE_I32;

/** The tag of field `no` with wire type `wireType`. */
export function tag(no: number, wireType: number): number {
  return (no << 3) | wireType;
}

/** The field number of a tag. */
export function fieldOf(tagValue: number): number {
  return tagValue >>> 3;
}

/** The wire type of a tag. */
export function wireTypeOf(tagValue: number): number {
  return tagValue & 7;
}

/** Every OTLP message's field tags, by message name and JSON field name. */
export const TAG = {
  AnyValue: {
    stringValue: tag(1, LEN),
    boolValue: tag(2, VARINT),
    intValue: tag(3, VARINT),
    doubleValue: tag(4, I64),
    arrayValue: tag(5, LEN),
    kvlistValue: tag(6, LEN),
    bytesValue: tag(7, LEN),
    stringValueStrindex: tag(8, VARINT),
  },
  ArrayValue: {
    values: tag(1, LEN),
  },
  KeyValueList: {
    values: tag(1, LEN),
  },
  KeyValue: {
    key: tag(1, LEN),
    value: tag(2, LEN),
    keyStrindex: tag(3, VARINT),
  },
  InstrumentationScope: {
    name: tag(1, LEN),
    version: tag(2, LEN),
    attributes: tag(3, LEN),
    droppedAttributesCount: tag(4, VARINT),
  },
  EntityRef: {
    schemaUrl: tag(1, LEN),
    type: tag(2, LEN),
    idKeys: tag(3, LEN),
    descriptionKeys: tag(4, LEN),
  },
  Resource: {
    attributes: tag(1, LEN),
    droppedAttributesCount: tag(2, VARINT),
    entityRefs: tag(3, LEN),
  },
  ExportTraceServiceRequest: {
    resourceSpans: tag(1, LEN),
  },
  ResourceSpans: {
    resource: tag(1, LEN),
    scopeSpans: tag(2, LEN),
    schemaUrl: tag(3, LEN),
  },
  ScopeSpans: {
    scope: tag(1, LEN),
    spans: tag(2, LEN),
    schemaUrl: tag(3, LEN),
  },
  Span: {
    traceId: tag(1, LEN),
    spanId: tag(2, LEN),
    traceState: tag(3, LEN),
    parentSpanId: tag(4, LEN),
    name: tag(5, LEN),
    kind: tag(6, VARINT),
    startTimeUnixNano: tag(7, I64),
    endTimeUnixNano: tag(8, I64),
    attributes: tag(9, LEN),
    droppedAttributesCount: tag(10, VARINT),
    events: tag(11, LEN),
    droppedEventsCount: tag(12, VARINT),
    links: tag(13, LEN),
    droppedLinksCount: tag(14, VARINT),
    status: tag(15, LEN),
    flags: tag(16, I32),
  },
  SpanEvent: {
    timeUnixNano: tag(1, I64),
    name: tag(2, LEN),
    attributes: tag(3, LEN),
    droppedAttributesCount: tag(4, VARINT),
  },
  SpanLink: {
    traceId: tag(1, LEN),
    spanId: tag(2, LEN),
    traceState: tag(3, LEN),
    attributes: tag(4, LEN),
    droppedAttributesCount: tag(5, VARINT),
    flags: tag(6, I32),
  },
  Status: {
    message: tag(2, LEN),
    code: tag(3, VARINT),
  },
  ExportMetricsServiceRequest: {
    resourceMetrics: tag(1, LEN),
  },
  ResourceMetrics: {
    resource: tag(1, LEN),
    scopeMetrics: tag(2, LEN),
    schemaUrl: tag(3, LEN),
  },
  ScopeMetrics: {
    scope: tag(1, LEN),
    metrics: tag(2, LEN),
    schemaUrl: tag(3, LEN),
  },
  Metric: {
    name: tag(1, LEN),
    description: tag(2, LEN),
    unit: tag(3, LEN),
    gauge: tag(5, LEN),
    sum: tag(7, LEN),
    histogram: tag(9, LEN),
    exponentialHistogram: tag(10, LEN),
    summary: tag(11, LEN),
    metadata: tag(12, LEN),
  },
  Gauge: {
    dataPoints: tag(1, LEN),
  },
  Sum: {
    dataPoints: tag(1, LEN),
    aggregationTemporality: tag(2, VARINT),
    isMonotonic: tag(3, VARINT),
  },
  Histogram: {
    dataPoints: tag(1, LEN),
    aggregationTemporality: tag(2, VARINT),
  },
  ExponentialHistogram: {
    dataPoints: tag(1, LEN),
    aggregationTemporality: tag(2, VARINT),
  },
  Summary: {
    dataPoints: tag(1, LEN),
  },
  NumberDataPoint: {
    startTimeUnixNano: tag(2, I64),
    timeUnixNano: tag(3, I64),
    asDouble: tag(4, I64),
    exemplars: tag(5, LEN),
    asInt: tag(6, I64),
    attributes: tag(7, LEN),
    flags: tag(8, VARINT),
  },
  HistogramDataPoint: {
    startTimeUnixNano: tag(2, I64),
    timeUnixNano: tag(3, I64),
    count: tag(4, I64),
    sum: tag(5, I64),
    bucketCounts: tag(6, LEN),
    explicitBounds: tag(7, LEN),
    exemplars: tag(8, LEN),
    attributes: tag(9, LEN),
    flags: tag(10, VARINT),
    min: tag(11, I64),
    max: tag(12, I64),
  },
  ExponentialHistogramDataPoint: {
    attributes: tag(1, LEN),
    startTimeUnixNano: tag(2, I64),
    timeUnixNano: tag(3, I64),
    count: tag(4, I64),
    sum: tag(5, I64),
    scale: tag(6, VARINT),
    zeroCount: tag(7, I64),
    positive: tag(8, LEN),
    negative: tag(9, LEN),
    flags: tag(10, VARINT),
    exemplars: tag(11, LEN),
    min: tag(12, I64),
    max: tag(13, I64),
    zeroThreshold: tag(14, I64),
  },
  Buckets: {
    offset: tag(1, VARINT),
    bucketCounts: tag(2, LEN),
  },
  SummaryDataPoint: {
    startTimeUnixNano: tag(2, I64),
    timeUnixNano: tag(3, I64),
    count: tag(4, I64),
    sum: tag(5, I64),
    quantileValues: tag(6, LEN),
    attributes: tag(7, LEN),
    flags: tag(8, VARINT),
  },
  ValueAtQuantile: {
    quantile: tag(1, I64),
    value: tag(2, I64),
  },
  Exemplar: {
    timeUnixNano: tag(2, I64),
    asDouble: tag(3, I64),
    spanId: tag(4, LEN),
    traceId: tag(5, LEN),
    asInt: tag(6, I64),
    filteredAttributes: tag(7, LEN),
  },
  ExportLogsServiceRequest: {
    resourceLogs: tag(1, LEN),
  },
  ResourceLogs: {
    resource: tag(1, LEN),
    scopeLogs: tag(2, LEN),
    schemaUrl: tag(3, LEN),
  },
  ScopeLogs: {
    scope: tag(1, LEN),
    logRecords: tag(2, LEN),
    schemaUrl: tag(3, LEN),
  },
  LogRecord: {
    timeUnixNano: tag(1, I64),
    severityNumber: tag(2, VARINT),
    severityText: tag(3, LEN),
    body: tag(5, LEN),
    attributes: tag(6, LEN),
    droppedAttributesCount: tag(7, VARINT),
    flags: tag(8, I32),
    traceId: tag(9, LEN),
    spanId: tag(10, LEN),
    observedTimeUnixNano: tag(11, I64),
    eventName: tag(12, LEN),
  },
  ExportTraceServiceResponse: {
    partialSuccess: tag(1, LEN),
  },
  ExportTracePartialSuccess: {
    rejectedSpans: tag(1, VARINT),
    errorMessage: tag(2, LEN),
  },
  ExportMetricsServiceResponse: {
    partialSuccess: tag(1, LEN),
  },
  ExportMetricsPartialSuccess: {
    rejectedDataPoints: tag(1, VARINT),
    errorMessage: tag(2, LEN),
  },
  ExportLogsServiceResponse: {
    partialSuccess: tag(1, LEN),
  },
  ExportLogsPartialSuccess: {
    rejectedLogRecords: tag(1, VARINT),
    errorMessage: tag(2, LEN),
  },
} as const;

/**
 * The levels every signal shares, by signal: a request's resource entries, an entry's resource and
 * scope lists, a scope list's scope and items (spans, log records; metrics for the metrics signal).
 */
export interface SignalTags {
  readonly requestEntry: number;
  readonly entryResource: number;
  readonly entrySchemaUrl: number;
  readonly entryScopes: number;
  readonly scope: number;
  readonly scopeItems: number;
  readonly scopeSchemaUrl: number;
}

/** The shared levels of each signal's request (the same numbers for all three, named per signal). */
export const SIGNAL_TAGS: Readonly<Record<Signal, SignalTags>> = {
  traces: {
    requestEntry: TAG.ExportTraceServiceRequest.resourceSpans,
    entryResource: TAG.ResourceSpans.resource,
    entrySchemaUrl: TAG.ResourceSpans.schemaUrl,
    entryScopes: TAG.ResourceSpans.scopeSpans,
    scope: TAG.ScopeSpans.scope,
    scopeItems: TAG.ScopeSpans.spans,
    scopeSchemaUrl: TAG.ScopeSpans.schemaUrl,
  },
  metrics: {
    requestEntry: TAG.ExportMetricsServiceRequest.resourceMetrics,
    entryResource: TAG.ResourceMetrics.resource,
    entrySchemaUrl: TAG.ResourceMetrics.schemaUrl,
    entryScopes: TAG.ResourceMetrics.scopeMetrics,
    scope: TAG.ScopeMetrics.scope,
    scopeItems: TAG.ScopeMetrics.metrics,
    scopeSchemaUrl: TAG.ScopeMetrics.schemaUrl,
  },
  logs: {
    requestEntry: TAG.ExportLogsServiceRequest.resourceLogs,
    entryResource: TAG.ResourceLogs.resource,
    entrySchemaUrl: TAG.ResourceLogs.schemaUrl,
    entryScopes: TAG.ResourceLogs.scopeLogs,
    scope: TAG.ScopeLogs.scope,
    scopeItems: TAG.ScopeLogs.logRecords,
    scopeSchemaUrl: TAG.ScopeLogs.schemaUrl,
  },
};

/** A Metric's data members (gauge, sum, histogram, exponential histogram, summary): each holds data points. */
export const METRIC_DATA_TAGS: readonly number[] = [
  TAG.Metric.gauge,
  TAG.Metric.sum,
  TAG.Metric.histogram,
  TAG.Metric.exponentialHistogram,
  TAG.Metric.summary,
];

/** Every data member's `data_points` field (field 1 in all five). */
export const DATA_POINTS_TAG = TAG.Gauge.dataPoints;

// The five data members as plain module constants, so the test below is a few integer compares.
const GAUGE = TAG.Metric.gauge;
const SUM = TAG.Metric.sum;
const HISTOGRAM = TAG.Metric.histogram;
const EXPONENTIAL_HISTOGRAM = TAG.Metric.exponentialHistogram;
const SUMMARY = TAG.Metric.summary;

/** Whether `t` is the tag of one of a Metric's data members (one of METRIC_DATA_TAGS). */
export function isMetricDataTag(t: number): boolean {
  return t === GAUGE || t === SUM || t === HISTOGRAM || t === EXPONENTIAL_HISTOGRAM || t === SUMMARY;
}
