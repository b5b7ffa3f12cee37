// telemetrygen's traces: per trace a CLIENT span "lets-go" and --child-spans SERVER spans "okey-dokey-N"
// (children one after another, --span-duration each), with net.sock.peer.addr and peer.service, the
// --telemetry-attributes and --status-code (pkg/traces/worker.go). Built as a template of `traces` traces.
import { writeAttributes } from './attributes.ts';
import type { GenOptions } from './options.ts';
import { ProtoWriter } from './proto-writer.ts';
import { resourceMessage, scopeMessage } from './resource.ts';
import { toTemplate, type Template } from './template.ts';

const SPAN_KIND_SERVER = 2;
const SPAN_KIND_CLIENT = 3;
const FAKE_IP = '1.2.3.4';

/** Spans one trace of `o` holds. */
export function spansPerTrace(o: GenOptions): number {
  return 1 + o.childSpans;
}

/** An ExportTraceServiceRequest template of `traces` telemetrygen traces. */
export function buildTraceTemplate(o: GenOptions, traces: number): Template {
  const scopeSpans = new ProtoWriter().message(1, scopeMessage());
  const dur = o.spanDurationNs;
  const traceLength = dur * Math.max(1, o.childSpans);
  for (let t = 0; t < traces; t++) {
    const start = t * traceLength;
    const parentKey = t * (1 + o.childSpans);
    scopeSpans.message(2, span(o, t, parentKey, -1, 'lets-go', SPAN_KIND_CLIENT, start, start + traceLength));
    for (let c = 0; c < o.childSpans; c++) {
      const s = start + c * dur;
      scopeSpans.message(2, span(o, t, parentKey + 1 + c, parentKey, `okey-dokey-${c}`, SPAN_KIND_SERVER, s, s + dur));
    }
  }
  const rs = new ProtoWriter().message(1, resourceMessage(o)).message(2, scopeSpans);
  return toTemplate(new ProtoWriter().message(1, rs), traces * spansPerTrace(o));
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
  const w = new ProtoWriter().mark(1, 'trace', trace).mark(2, 'span', key);
  if (parent >= 0) w.mark(4, 'span', parent);
  w.string(5, name).varint(6, kind).mark(7, 'time', startNs).mark(8, 'time', endNs);
  const peer = kind === SPAN_KIND_CLIENT ? 'telemetrygen-server' : 'telemetrygen-client';
  writeAttributes(w, 9, [['net.sock.peer.addr', FAKE_IP], ['peer.service', peer], ...o.telemetryAttributes]);
  if (o.statusCode !== 0) w.message(15, new ProtoWriter().varint(3, o.statusCode));
  return w;
}
