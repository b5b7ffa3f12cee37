// telemetrygen's traces: per trace a CLIENT span "lets-go" and --child-spans SERVER spans "okey-dokey-N"
// (children one after another, --span-duration each), with net.sock.peer.addr and peer.service, the
// --telemetry-attributes and --status-code (pkg/traces/worker.go). Built as a template of `traces` traces.
import { writeAttributes } from './attributes.ts';
import { TAG } from '../pdata/fields.ts';
import type { GenOptions } from './options.ts';
import { ProtoWriter } from './proto-writer.ts';
import { resourceMessage, scopeMessage } from './resource.ts';
import { toTemplate, type Template } from './template.ts';

const SPAN_KIND_SERVER = 2;
const SPAN_KIND_CLIENT = 3;
const FAKE_IP = '1.2.3.4';
const S = TAG.Span;

/** Spans one trace of `o` holds. */
export function spansPerTrace(o: GenOptions): number {
  return 1 + o.childSpans;
}

/** An ExportTraceServiceRequest template of `traces` telemetrygen traces. */
export function buildTraceTemplate(o: GenOptions, traces: number): Template {
  const scopeSpans = new ProtoWriter().message(TAG.ScopeSpans.scope, scopeMessage());
  const perTrace = spansPerTrace(o);
  for (let t = 0; t < traces; t++)
    for (let i = 0; i < perTrace; i++) scopeSpans.message(TAG.ScopeSpans.spans, spanAt(o, t, t * perTrace, i));
  return request(o, scopeSpans, traces * perTrace);
}

/**
 * One part of a single trace too large for one request: its spans `first` to `first + count - 1` (0 is
 * the root). Span keys are the spans' indexes in the whole trace, so every part patched with the same ids
 * (Patcher.newIds) and base time makes one consistent trace.
 */
export function buildTracePartTemplate(o: GenOptions, first: number, count: number): Template {
  const scopeSpans = new ProtoWriter().message(TAG.ScopeSpans.scope, scopeMessage());
  for (let i = first; i < first + count; i++) scopeSpans.message(TAG.ScopeSpans.spans, spanAt(o, 0, 0, i));
  return request(o, scopeSpans, count);
}

/** Span `i` of trace `t` (0: the CLIENT root; then the SERVER children one after another). */
function spanAt(o: GenOptions, t: number, parentKey: number, i: number): ProtoWriter {
  const dur = o.spanDurationNs;
  const start = t * dur * Math.max(1, o.childSpans);
  if (i === 0)
    return span(o, t, parentKey, -1, 'lets-go', SPAN_KIND_CLIENT, start, start + dur * Math.max(1, o.childSpans));
  const s = start + (i - 1) * dur;
  return span(o, t, parentKey + i, parentKey, `okey-dokey-${i - 1}`, SPAN_KIND_SERVER, s, s + dur);
}

function request(o: GenOptions, scopeSpans: ProtoWriter, items: number): Template {
  const rs = new ProtoWriter()
    .message(TAG.ResourceSpans.resource, resourceMessage(o))
    .message(TAG.ResourceSpans.scopeSpans, scopeSpans);
  return toTemplate(new ProtoWriter().message(TAG.ExportTraceServiceRequest.resourceSpans, rs), items);
}

function span(
  o: GenOptions,
  trace: number,
  key: number,
  parent: number,
  name: string,
  kind: number,
  startNs: number,
  endNs: number,
): ProtoWriter {
  const w = new ProtoWriter().mark(S.traceId, 'trace', trace).mark(S.spanId, 'span', key);
  if (parent >= 0) w.mark(S.parentSpanId, 'span', parent);
  w.string(S.name, name).varint(S.kind, kind);
  w.mark(S.startTimeUnixNano, 'time', startNs).mark(S.endTimeUnixNano, 'time', endNs);
  const peer = kind === SPAN_KIND_CLIENT ? 'telemetrygen-server' : 'telemetrygen-client';
  const attrs: [string, string][] = [
    ['net.sock.peer.addr', FAKE_IP],
    ['peer.service', peer],
  ];
  writeAttributes(w, S.attributes, [...attrs, ...o.telemetryAttributes]);
  if (o.statusCode !== 0) w.message(S.status, new ProtoWriter().varint(TAG.Status.code, o.statusCode));
  return w;
}
