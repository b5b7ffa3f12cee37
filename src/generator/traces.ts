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
  const dur = o.spanDurationNs;
  const traceLength = dur * Math.max(1, o.childSpans);
  for (let t = 0; t < traces; t++) {
    const start = t * traceLength;
    const parentKey = t * (1 + o.childSpans);
    scopeSpans.message(
      TAG.ScopeSpans.spans,
      span(o, t, parentKey, -1, 'lets-go', SPAN_KIND_CLIENT, start, start + traceLength),
    );
    for (let c = 0; c < o.childSpans; c++) {
      const s = start + c * dur;
      scopeSpans.message(
        TAG.ScopeSpans.spans,
        span(o, t, parentKey + 1 + c, parentKey, `okey-dokey-${c}`, SPAN_KIND_SERVER, s, s + dur),
      );
    }
  }
  const rs = new ProtoWriter()
    .message(TAG.ResourceSpans.resource, resourceMessage(o))
    .message(TAG.ResourceSpans.scopeSpans, scopeSpans);
  return toTemplate(
    new ProtoWriter().message(TAG.ExportTraceServiceRequest.resourceSpans, rs),
    traces * spansPerTrace(o),
  );
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
