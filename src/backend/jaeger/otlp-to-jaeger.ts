// OTLP → Jaeger, as Jaeger v2 answers its /api/ queries (collector-contrib's translator/jaeger plus
// Jaeger's adjusters): resource → process (service.name, the rest as tags), span kind → `span.kind`,
// status → `otel.status_code` / `error` / `otel.status_description`, scope → `otel.scope.name` /
// `otel.scope.version`, trace state → `w3c.tracestate`, events → logs (name as the `event` field),
// parent → CHILD_OF reference and links → FOLLOWS_FROM (or CHILD_OF with `opentracing.ref_type`).
// Attributes are sorted by key, as Jaeger's SortCollections adjuster does. Fields are matched on whole
// tags (number and wire type): a known field number with an unexpected wire type is skipped, never misread.
import { decodeKeyValue, type KeyValue } from '../../pdata/attributes.ts';
import { TAG } from '../../pdata/fields.ts';
import { WireReader } from '../../pdata/wire.ts';
import { NO_SERVICE_NAME, SPAN_KIND_NAMES, type StoredTrace, type TraceSearch } from '../store/trace-store.ts';
import {
  jaegerSpanId,
  jaegerTraceId,
  type JaegerLog,
  type JaegerProcess,
  type JaegerReference,
  type JaegerSpan,
  type JaegerTrace,
} from './model.ts';
import { tagValueString, toJaegerKeyValue, type JaegerKeyValue } from './values.ts';

/** The fields of an OTLP Span the mapping reads. */
export interface DecodedSpan {
  traceId: Buffer;
  spanId: Buffer;
  parentSpanId: Buffer;
  traceState: string;
  name: string;
  kind: number;
  startNs: bigint;
  endNs: bigint;
  flags: number;
  attributes: KeyValue[];
  events: { timeNs: bigint; name: string; attributes: KeyValue[] }[];
  links: { traceId: Buffer; spanId: Buffer; attributes: KeyValue[] }[];
  statusCode: number;
  statusMessage: string;
}

const EMPTY: Buffer = Buffer.alloc(0);
// Module-level copies of the Span tags for decodeSpan's switch (run on every span a search returns):
// with `case TAG.Span.name:` it took 3.4–3.6 µs per bench/store span, with these constants 2.5 µs.
const T_TRACE_ID = TAG.Span.traceId;
const T_SPAN_ID = TAG.Span.spanId;
const T_TRACE_STATE = TAG.Span.traceState;
const T_PARENT_SPAN_ID = TAG.Span.parentSpanId;
const T_NAME = TAG.Span.name;
const T_KIND = TAG.Span.kind;
const T_START = TAG.Span.startTimeUnixNano;
const T_END = TAG.Span.endTimeUnixNano;
const T_ATTRIBUTES = TAG.Span.attributes;
const T_EVENTS = TAG.Span.events;
const T_LINKS = TAG.Span.links;
const T_STATUS = TAG.Span.status;
const T_FLAGS = TAG.Span.flags;

/** Decodes the OTLP Span message bytes. Throws WireError on malformed bytes. */
export function decodeSpan(buf: Buffer): DecodedSpan {
  const s: DecodedSpan = {
    traceId: EMPTY,
    spanId: EMPTY,
    parentSpanId: EMPTY,
    traceState: '',
    name: '',
    kind: 0,
    startNs: 0n,
    endNs: 0n,
    flags: 0,
    attributes: [],
    events: [],
    links: [],
    statusCode: 0,
    statusMessage: '',
  };
  const r = new WireReader(buf);
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case T_TRACE_ID:
        s.traceId = r.bytes();
        break;
      case T_SPAN_ID:
        s.spanId = r.bytes();
        break;
      case T_TRACE_STATE:
        s.traceState = r.string();
        break;
      case T_PARENT_SPAN_ID:
        s.parentSpanId = r.bytes();
        break;
      case T_NAME:
        s.name = r.string();
        break;
      case T_KIND:
        s.kind = r.uint32();
        break;
      case T_START:
        s.startNs = r.fixed64();
        break;
      case T_END:
        s.endNs = r.fixed64();
        break;
      case T_ATTRIBUTES:
        s.attributes.push(keyValueAt(r));
        break;
      case T_EVENTS:
        s.events.push(decodeEvent(r));
        break;
      case T_LINKS:
        s.links.push(decodeLink(r));
        break;
      case T_STATUS:
        decodeStatus(r, s);
        break;
      case T_FLAGS:
        s.flags = r.fixed32();
        break;
      default:
        r.skip(tag & 7);
    }
  }
  return s;
}

/** Reads the Status message at the reader's position (a length-delimited field) into `s`. */
function decodeStatus(outer: WireReader, s: DecodedSpan): void {
  const end = outer.lenEnd();
  const r = new WireReader(outer.buf, outer.pos, end);
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === TAG.Status.message) s.statusMessage = r.string();
    else if (tag === TAG.Status.code) s.statusCode = r.uint32();
    else r.skip(tag & 7);
  }
  outer.pos = end;
}

function keyValueAt(r: WireReader): KeyValue {
  const end = r.lenEnd();
  const kv = decodeKeyValue(r.buf, r.pos, end);
  r.pos = end;
  return kv;
}

/** Reads the Event message at the reader's position (a length-delimited field). */
function decodeEvent(outer: WireReader): DecodedSpan['events'][number] {
  const end = outer.lenEnd();
  const ev = { timeNs: 0n, name: '', attributes: [] as KeyValue[] };
  const r = new WireReader(outer.buf, outer.pos, end);
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === TAG.SpanEvent.timeUnixNano) ev.timeNs = r.fixed64();
    else if (tag === TAG.SpanEvent.name) ev.name = r.string();
    else if (tag === TAG.SpanEvent.attributes) ev.attributes.push(keyValueAt(r));
    else r.skip(tag & 7);
  }
  outer.pos = end;
  return ev;
}

/** Reads the Link message at the reader's position (a length-delimited field). */
function decodeLink(outer: WireReader): DecodedSpan['links'][number] {
  const end = outer.lenEnd();
  const link: DecodedSpan['links'][number] = { traceId: EMPTY, spanId: EMPTY, attributes: [] };
  const r = new WireReader(outer.buf, outer.pos, end);
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === TAG.SpanLink.traceId) link.traceId = r.bytes();
    else if (tag === TAG.SpanLink.spanId) link.spanId = r.bytes();
    else if (tag === TAG.SpanLink.attributes) link.attributes.push(keyValueAt(r));
    else r.skip(tag & 7);
  }
  outer.pos = end;
  return link;
}

/** A Resource's attributes. */
export function decodeAttributes(buf: Buffer): KeyValue[] {
  const out: KeyValue[] = [];
  const r = new WireReader(buf);
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === TAG.Resource.attributes) out.push(keyValueAt(r));
    else r.skip(tag & 7);
  }
  return out;
}

/** An InstrumentationScope's name and version. */
export function decodeScope(buf: Buffer): { name: string; version: string } {
  const out = { name: '', version: '' };
  const r = new WireReader(buf);
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === TAG.InstrumentationScope.name) out.name = r.string();
    else if (tag === TAG.InstrumentationScope.version) out.version = r.string();
    else r.skip(tag & 7);
  }
  return out;
}

const byKey = (a: JaegerKeyValue, b: JaegerKeyValue): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** The Jaeger process of a Resource (service.name; other attributes as sorted tags). */
export function toJaegerProcess(resource: Buffer): JaegerProcess {
  const attrs = decodeAttributes(resource);
  let serviceName: string | undefined;
  const tags: JaegerKeyValue[] = [];
  for (const kv of attrs) {
    if (kv.key === 'service.name' && serviceName === undefined)
      serviceName = kv.value.type === 'string' ? kv.value.value : String(toJaegerKeyValue('', kv.value).value);
    else tags.push(toJaegerKeyValue(kv.key, kv.value));
  }
  return { serviceName: serviceName ?? NO_SERVICE_NAME, tags: tags.sort(byKey) };
}

/** Nanoseconds → whole µs (as Go's time → µs conversion truncates). */
function micros(ns: bigint): number {
  return Number(ns / 1000n);
}

/** One OTLP span as a Jaeger span (processID left for the caller). */
export function toJaegerSpan(s: DecodedSpan, scope: { name: string; version: string }): JaegerSpan {
  const traceID = jaegerTraceId(s.traceId);
  const tags: JaegerKeyValue[] = [];
  if (scope.name !== '') tags.push({ key: 'otel.scope.name', type: 'string', value: scope.name });
  if (scope.version !== '') tags.push({ key: 'otel.scope.version', type: 'string', value: scope.version });
  tags.push(...s.attributes.map((kv) => toJaegerKeyValue(kv.key, kv.value)).sort(byKey));
  const kind = SPAN_KIND_NAMES[s.kind] ?? '';
  if (kind !== '') tags.push({ key: 'span.kind', type: 'string', value: kind });
  if (s.statusCode === 1) tags.push({ key: 'otel.status_code', type: 'string', value: 'OK' });
  if (s.statusCode === 2) {
    tags.push({ key: 'otel.status_code', type: 'string', value: 'ERROR' });
    tags.push({ key: 'error', type: 'bool', value: true });
  }
  if (s.statusMessage !== '') tags.push({ key: 'otel.status_description', type: 'string', value: s.statusMessage });
  if (s.traceState !== '') tags.push({ key: 'w3c.tracestate', type: 'string', value: s.traceState });

  const references: JaegerReference[] = [];
  const hasParent = s.parentSpanId.length === 8 && !s.parentSpanId.equals(ZERO_SPAN_ID);
  if (hasParent) references.push({ refType: 'CHILD_OF', traceID, spanID: jaegerSpanId(s.parentSpanId) });
  for (const link of s.links) {
    const refType = link.attributes.some(
      (kv) => kv.key === 'opentracing.ref_type' && kv.value.type === 'string' && kv.value.value === 'child_of',
    )
      ? 'CHILD_OF'
      : 'FOLLOWS_FROM';
    const ref: JaegerReference = { refType, traceID: jaegerTraceId(link.traceId), spanID: jaegerSpanId(link.spanId) };
    if (hasParent && link.traceId.equals(s.traceId) && link.spanId.equals(s.parentSpanId)) {
      (references[0] as JaegerReference).refType = refType;
      continue;
    }
    references.push(ref);
  }

  const logs: JaegerLog[] = s.events.map((ev) => {
    const fields: JaegerKeyValue[] = [];
    if (ev.name !== '' && !ev.attributes.some((kv) => kv.key === 'event'))
      fields.push({ key: 'event', type: 'string', value: ev.name });
    fields.push(...ev.attributes.map((kv) => toJaegerKeyValue(kv.key, kv.value)).sort(byKey));
    return { timestamp: micros(ev.timeNs), fields };
  });
  const duration = s.endNs > s.startNs ? Number((s.endNs - s.startNs) / 1000n) : 0;
  return {
    traceID,
    spanID: jaegerSpanId(s.spanId),
    operationName: s.name,
    references,
    startTime: micros(s.startNs),
    duration,
    tags,
    logs,
    processID: '',
    warnings: null,
  };
}

const ZERO_SPAN_ID = Buffer.alloc(8);

/** A stored trace as Jaeger's JSON trace: processes deduplicated as p1, p2, … in span order. */
export function toJaegerTrace(trace: StoredTrace): JaegerTrace {
  const processes: Record<string, JaegerProcess> = {};
  const processIds = new Map<Buffer, string>();
  const byText = new Map<string, string>();
  const scopes = new Map<Buffer, { name: string; version: string }>();
  const spans: JaegerSpan[] = [];
  for (const stored of trace.spans) {
    let pid = processIds.get(stored.resource);
    if (pid === undefined) {
      const process = toJaegerProcess(stored.resource);
      const text = JSON.stringify(process);
      pid = byText.get(text);
      if (pid === undefined) {
        pid = `p${byText.size + 1}`;
        byText.set(text, pid);
        processes[pid] = process;
      }
      processIds.set(stored.resource, pid);
    }
    let scope = scopes.get(stored.scope);
    if (scope === undefined) {
      scope = decodeScope(stored.scope);
      scopes.set(stored.scope, scope);
    }
    const span = toJaegerSpan(decodeSpan(stored.span), scope);
    span.processID = pid;
    spans.push(span);
  }
  return { traceID: jaegerTraceId(trace.traceId), spans, processes, warnings: null };
}

/**
 * Jaeger's search semantics: some span of the trace has the service, the operation, a start time and
 * duration in range, and every tag (among its tags, its log fields and its process's tags).
 */
export function traceMatches(trace: JaegerTrace, q: TraceSearch): boolean {
  return trace.spans.some((span) => spanMatches(span, trace.processes[span.processID], q));
}

function spanMatches(span: JaegerSpan, process: JaegerProcess | undefined, q: TraceSearch): boolean {
  if (process?.serviceName !== q.service) return false;
  if (q.operation !== undefined && q.operation !== '' && span.operationName !== q.operation) return false;
  if (q.durationMinUs !== undefined && span.duration < q.durationMinUs) return false;
  if (q.durationMaxUs !== undefined && span.duration > q.durationMaxUs) return false;
  if (q.startTimeMinUs !== undefined && span.startTime < q.startTimeMinUs) return false;
  if (q.startTimeMaxUs !== undefined && span.startTime > q.startTimeMaxUs) return false;
  if (q.tags === undefined || q.tags.size === 0) return true;
  const all = [...span.tags, ...span.logs.flatMap((l) => l.fields), ...process.tags];
  for (const [k, v] of q.tags) if (!all.some((kv) => kv.key === k && tagValueString(kv) === v)) return false;
  return true;
}

/** Matches a stored trace against a query (decoding it). */
export function storedTraceMatches(trace: StoredTrace, q: TraceSearch): boolean {
  return traceMatches(toJaegerTrace(trace), q);
}
