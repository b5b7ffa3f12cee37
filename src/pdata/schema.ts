// The OTLP messages as one compact table (proto files in /proto, opentelemetry-proto v1): every field's
// number, proto name, JSON name, type, repetition and oneof. It drives the validator, the generic codec
// and OTLP/JSON conversion; schema.test.ts checks it field by field against the .proto files.
import type { Signal } from '../contracts/signal.ts';

/** Scalar kinds of protobuf, plus `enum` and `message`. */
export type FieldKind =
  | 'double'
  | 'float'
  | 'int32'
  | 'int64'
  | 'uint32'
  | 'uint64'
  | 'sint32'
  | 'sint64'
  | 'fixed32'
  | 'fixed64'
  | 'sfixed32'
  | 'sfixed64'
  | 'bool'
  | 'string'
  | 'bytes'
  | 'enum'
  | 'message';

/** One field of a message. */
export interface FieldSpec {
  readonly no: number;
  /** snake_case, as in the .proto file. */
  readonly name: string;
  /** lowerCamelCase, as OTLP/JSON writes it. */
  readonly json: string;
  readonly kind: FieldKind;
  /** The wire type of one value (a packed repeated scalar also accepts WIRE_LEN). */
  readonly wireType: number;
  readonly repeated: boolean;
  /** The oneof this field belongs to, or '' (proto3 `optional` fields are not listed as oneofs). */
  readonly oneof: string;
  /** Explicit presence: a oneof member or a proto3 `optional` field, written even when zero. */
  readonly presence: boolean;
  /** For `message` fields, the message name; for `enum` fields, the enum name; else ''. */
  readonly ref: string;
  /** trace/span ids: 16 or 8 bytes (or empty), hex in OTLP/JSON; 0 for other fields. */
  readonly idLength: 0 | 8 | 16;
}

/** One message: its fields, in declaration order and indexed by number and JSON key. */
export interface MessageSpec {
  readonly name: string;
  readonly fields: readonly FieldSpec[];
  readonly byNumber: readonly (FieldSpec | undefined)[];
  /** JSON key → field; holds both the lowerCamelCase and the snake_case spelling. */
  readonly byJsonKey: ReadonlyMap<string, FieldSpec>;
}

const WIRE: Record<Exclude<FieldKind, 'message'>, number> = {
  double: 1,
  float: 5,
  int32: 0,
  int64: 0,
  uint32: 0,
  uint64: 0,
  sint32: 0,
  sint64: 0,
  fixed32: 5,
  fixed64: 1,
  sfixed32: 5,
  sfixed64: 1,
  bool: 0,
  string: 2,
  bytes: 2,
  enum: 0,
};

/** Enum value names → numbers, for OTLP/JSON input that spells enums by name. */
export const ENUMS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  SpanKind: enumOf('SPAN_KIND_', ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER']),
  StatusCode: enumOf('STATUS_CODE_', ['UNSET', 'OK', 'ERROR']),
  AggregationTemporality: enumOf('AGGREGATION_TEMPORALITY_', ['UNSPECIFIED', 'DELTA', 'CUMULATIVE']),
  SeverityNumber: enumOf(
    'SEVERITY_NUMBER_',
    ['UNSPECIFIED'].concat(
      ...['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].map((l) => [l, `${l}2`, `${l}3`, `${l}4`]),
    ),
  ),
};

function enumOf(prefix: string, names: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  names.forEach((n, i) => (out[prefix + n] = i));
  return out;
}

// [number, proto name, type, flags]: type is a scalar kind, an enum name (ENUMS) or a message name;
// flags: 'r' repeated, 'o:<oneof>' oneof member, 'opt' proto3 optional, 'id16' / 'id8' trace/span id.
type Def = readonly [number, string, string, string?];

const KV_LIST: readonly Def[] = [[1, 'values', 'KeyValue', 'r']];
const SCOPE: readonly Def[] = [
  [1, 'resource', 'Resource'],
  [3, 'schema_url', 'string'],
];
const POINT: readonly Def[] = [
  [2, 'start_time_unix_nano', 'fixed64'],
  [3, 'time_unix_nano', 'fixed64'],
];

const DEFS: Record<string, readonly Def[]> = {
  AnyValue: [
    [1, 'string_value', 'string', 'o:value'],
    [2, 'bool_value', 'bool', 'o:value'],
    [3, 'int_value', 'int64', 'o:value'],
    [4, 'double_value', 'double', 'o:value'],
    [5, 'array_value', 'ArrayValue', 'o:value'],
    [6, 'kvlist_value', 'KeyValueList', 'o:value'],
    [7, 'bytes_value', 'bytes', 'o:value'],
    [8, 'string_value_strindex', 'int32', 'o:value'],
  ],
  ArrayValue: [[1, 'values', 'AnyValue', 'r']],
  KeyValueList: KV_LIST,
  KeyValue: [
    [1, 'key', 'string'],
    [2, 'value', 'AnyValue'],
    [3, 'key_strindex', 'int32'],
  ],
  InstrumentationScope: [
    [1, 'name', 'string'],
    [2, 'version', 'string'],
    [3, 'attributes', 'KeyValue', 'r'],
    [4, 'dropped_attributes_count', 'uint32'],
  ],
  EntityRef: [
    [1, 'schema_url', 'string'],
    [2, 'type', 'string'],
    [3, 'id_keys', 'string', 'r'],
    [4, 'description_keys', 'string', 'r'],
  ],
  Resource: [
    [1, 'attributes', 'KeyValue', 'r'],
    [2, 'dropped_attributes_count', 'uint32'],
    [3, 'entity_refs', 'EntityRef', 'r'],
  ],
  // ---- traces ----
  ExportTraceServiceRequest: [[1, 'resource_spans', 'ResourceSpans', 'r']],
  ResourceSpans: [...SCOPE, [2, 'scope_spans', 'ScopeSpans', 'r']],
  ScopeSpans: [
    [1, 'scope', 'InstrumentationScope'],
    [2, 'spans', 'Span', 'r'],
    [3, 'schema_url', 'string'],
  ],
  Span: [
    [1, 'trace_id', 'bytes', 'id16'],
    [2, 'span_id', 'bytes', 'id8'],
    [3, 'trace_state', 'string'],
    [4, 'parent_span_id', 'bytes', 'id8'],
    [16, 'flags', 'fixed32'],
    [5, 'name', 'string'],
    [6, 'kind', 'SpanKind'],
    [7, 'start_time_unix_nano', 'fixed64'],
    [8, 'end_time_unix_nano', 'fixed64'],
    [9, 'attributes', 'KeyValue', 'r'],
    [10, 'dropped_attributes_count', 'uint32'],
    [11, 'events', 'SpanEvent', 'r'],
    [12, 'dropped_events_count', 'uint32'],
    [13, 'links', 'SpanLink', 'r'],
    [14, 'dropped_links_count', 'uint32'],
    [15, 'status', 'Status'],
  ],
  SpanEvent: [
    [1, 'time_unix_nano', 'fixed64'],
    [2, 'name', 'string'],
    [3, 'attributes', 'KeyValue', 'r'],
    [4, 'dropped_attributes_count', 'uint32'],
  ],
  SpanLink: [
    [1, 'trace_id', 'bytes', 'id16'],
    [2, 'span_id', 'bytes', 'id8'],
    [3, 'trace_state', 'string'],
    [4, 'attributes', 'KeyValue', 'r'],
    [5, 'dropped_attributes_count', 'uint32'],
    [6, 'flags', 'fixed32'],
  ],
  Status: [
    [2, 'message', 'string'],
    [3, 'code', 'StatusCode'],
  ],
  // ---- metrics ----
  ExportMetricsServiceRequest: [[1, 'resource_metrics', 'ResourceMetrics', 'r']],
  ResourceMetrics: [...SCOPE, [2, 'scope_metrics', 'ScopeMetrics', 'r']],
  ScopeMetrics: [
    [1, 'scope', 'InstrumentationScope'],
    [2, 'metrics', 'Metric', 'r'],
    [3, 'schema_url', 'string'],
  ],
  Metric: [
    [1, 'name', 'string'],
    [2, 'description', 'string'],
    [3, 'unit', 'string'],
    [5, 'gauge', 'Gauge', 'o:data'],
    [7, 'sum', 'Sum', 'o:data'],
    [9, 'histogram', 'Histogram', 'o:data'],
    [10, 'exponential_histogram', 'ExponentialHistogram', 'o:data'],
    [11, 'summary', 'Summary', 'o:data'],
    [12, 'metadata', 'KeyValue', 'r'],
  ],
  Gauge: [[1, 'data_points', 'NumberDataPoint', 'r']],
  Sum: [
    [1, 'data_points', 'NumberDataPoint', 'r'],
    [2, 'aggregation_temporality', 'AggregationTemporality'],
    [3, 'is_monotonic', 'bool'],
  ],
  Histogram: [
    [1, 'data_points', 'HistogramDataPoint', 'r'],
    [2, 'aggregation_temporality', 'AggregationTemporality'],
  ],
  ExponentialHistogram: [
    [1, 'data_points', 'ExponentialHistogramDataPoint', 'r'],
    [2, 'aggregation_temporality', 'AggregationTemporality'],
  ],
  Summary: [[1, 'data_points', 'SummaryDataPoint', 'r']],
  NumberDataPoint: [
    [7, 'attributes', 'KeyValue', 'r'],
    ...POINT,
    [4, 'as_double', 'double', 'o:value'],
    [6, 'as_int', 'sfixed64', 'o:value'],
    [5, 'exemplars', 'Exemplar', 'r'],
    [8, 'flags', 'uint32'],
  ],
  HistogramDataPoint: [
    [9, 'attributes', 'KeyValue', 'r'],
    ...POINT,
    [4, 'count', 'fixed64'],
    [5, 'sum', 'double', 'opt'],
    [6, 'bucket_counts', 'fixed64', 'r'],
    [7, 'explicit_bounds', 'double', 'r'],
    [8, 'exemplars', 'Exemplar', 'r'],
    [10, 'flags', 'uint32'],
    [11, 'min', 'double', 'opt'],
    [12, 'max', 'double', 'opt'],
  ],
  ExponentialHistogramDataPoint: [
    [1, 'attributes', 'KeyValue', 'r'],
    ...POINT,
    [4, 'count', 'fixed64'],
    [5, 'sum', 'double', 'opt'],
    [6, 'scale', 'sint32'],
    [7, 'zero_count', 'fixed64'],
    [8, 'positive', 'Buckets'],
    [9, 'negative', 'Buckets'],
    [10, 'flags', 'uint32'],
    [11, 'exemplars', 'Exemplar', 'r'],
    [12, 'min', 'double', 'opt'],
    [13, 'max', 'double', 'opt'],
    [14, 'zero_threshold', 'double'],
  ],
  Buckets: [
    [1, 'offset', 'sint32'],
    [2, 'bucket_counts', 'uint64', 'r'],
  ],
  SummaryDataPoint: [
    [7, 'attributes', 'KeyValue', 'r'],
    ...POINT,
    [4, 'count', 'fixed64'],
    [5, 'sum', 'double'],
    [6, 'quantile_values', 'ValueAtQuantile', 'r'],
    [8, 'flags', 'uint32'],
  ],
  ValueAtQuantile: [
    [1, 'quantile', 'double'],
    [2, 'value', 'double'],
  ],
  Exemplar: [
    [7, 'filtered_attributes', 'KeyValue', 'r'],
    [2, 'time_unix_nano', 'fixed64'],
    [3, 'as_double', 'double', 'o:value'],
    [6, 'as_int', 'sfixed64', 'o:value'],
    [4, 'span_id', 'bytes', 'id8'],
    [5, 'trace_id', 'bytes', 'id16'],
  ],
  // ---- logs ----
  ExportLogsServiceRequest: [[1, 'resource_logs', 'ResourceLogs', 'r']],
  ResourceLogs: [...SCOPE, [2, 'scope_logs', 'ScopeLogs', 'r']],
  ScopeLogs: [
    [1, 'scope', 'InstrumentationScope'],
    [2, 'log_records', 'LogRecord', 'r'],
    [3, 'schema_url', 'string'],
  ],
  LogRecord: [
    [1, 'time_unix_nano', 'fixed64'],
    [11, 'observed_time_unix_nano', 'fixed64'],
    [2, 'severity_number', 'SeverityNumber'],
    [3, 'severity_text', 'string'],
    [5, 'body', 'AnyValue'],
    [6, 'attributes', 'KeyValue', 'r'],
    [7, 'dropped_attributes_count', 'uint32'],
    [8, 'flags', 'fixed32'],
    [9, 'trace_id', 'bytes', 'id16'],
    [10, 'span_id', 'bytes', 'id8'],
    [12, 'event_name', 'string'],
  ],
  // ---- responses ----
  ExportTraceServiceResponse: [[1, 'partial_success', 'ExportTracePartialSuccess']],
  ExportTracePartialSuccess: [
    [1, 'rejected_spans', 'int64'],
    [2, 'error_message', 'string'],
  ],
  ExportMetricsServiceResponse: [[1, 'partial_success', 'ExportMetricsPartialSuccess']],
  ExportMetricsPartialSuccess: [
    [1, 'rejected_data_points', 'int64'],
    [2, 'error_message', 'string'],
  ],
  ExportLogsServiceResponse: [[1, 'partial_success', 'ExportLogsPartialSuccess']],
  ExportLogsPartialSuccess: [
    [1, 'rejected_log_records', 'int64'],
    [2, 'error_message', 'string'],
  ],
};

/** lower_snake → lowerCamel, as protoc derives JSON names. */
export function jsonName(protoName: string): string {
  return protoName.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function buildField(def: Def): FieldSpec {
  const [no, name, type, flags = ''] = def;
  const isScalar = type in WIRE;
  const kind: FieldKind = isScalar ? (type as FieldKind) : type in ENUMS ? 'enum' : 'message';
  const oneof = flags.startsWith('o:') ? flags.slice(2) : '';
  return {
    no,
    name,
    json: jsonName(name),
    kind,
    wireType: kind === 'message' ? 2 : WIRE[kind],
    repeated: flags === 'r',
    oneof,
    presence: oneof !== '' || flags === 'opt',
    ref: isScalar ? '' : type,
    idLength: flags === 'id16' ? 16 : flags === 'id8' ? 8 : 0,
  };
}

function buildMessage(name: string, defs: readonly Def[]): MessageSpec {
  const fields = defs.map(buildField);
  const byNumber: (FieldSpec | undefined)[] = [];
  const byJsonKey = new Map<string, FieldSpec>();
  for (const f of fields) {
    byNumber[f.no] = f;
    byJsonKey.set(f.json, f);
    byJsonKey.set(f.name, f);
  }
  return { name, fields, byNumber: Array.from(byNumber), byJsonKey };
}

/** Every OTLP message telegate reads or writes, by name. */
export const MESSAGES: Readonly<Record<string, MessageSpec>> = Object.fromEntries(
  Object.entries(DEFS).map(([name, defs]) => [name, buildMessage(name, defs)]),
);

/** The message of `name`; throws for a name not in the table (a programming error). */
export function message(name: string): MessageSpec {
  const m = MESSAGES[name];
  if (m === undefined) throw new Error(`pdata schema: no message ${name}`);
  return m;
}

/** The Export*ServiceRequest message of each signal. */
export const REQUEST: Readonly<Record<Signal, string>> = {
  traces: 'ExportTraceServiceRequest',
  metrics: 'ExportMetricsServiceRequest',
  logs: 'ExportLogsServiceRequest',
};

/** The Export*ServiceResponse message of each signal. */
export const RESPONSE: Readonly<Record<Signal, string>> = {
  traces: 'ExportTraceServiceResponse',
  metrics: 'ExportMetricsServiceResponse',
  logs: 'ExportLogsServiceResponse',
};

/** Messages that are one item each for counting: spans, log records, metric data points. */
export const ITEM_MESSAGES: ReadonlySet<string> = new Set([
  'Span',
  'LogRecord',
  'NumberDataPoint',
  'HistogramDataPoint',
  'ExponentialHistogramDataPoint',
  'SummaryDataPoint',
]);
