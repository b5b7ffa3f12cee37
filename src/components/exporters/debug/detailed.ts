// The debug exporter's `detailed` verbosity, as Go's internal/otlptext marshalers: every field of every
// resource, scope and span / log record (metrics in detailed-metrics.ts), one "Name: value" per line.
import type { PMessage } from '../../../pdata/decode.ts';
import type { Signal } from '../../../contracts/signal.ts';
import { goTime, hexId, int, list, msg, num, str, typedValue } from './text-values.ts';
import { writeMetric } from './detailed-metrics.ts';
import { TextBuffer } from './text-buffer.ts';

const SPAN_KINDS = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'];
const STATUS_CODES = ['Unset', 'Ok', 'Error'];
const SEVERITY = [
  'Unspecified',
  'Trace',
  'Trace2',
  'Trace3',
  'Trace4',
  'Debug',
  'Debug2',
  'Debug3',
  'Debug4',
  'Info',
  'Info2',
  'Info3',
  'Info4',
  'Warn',
  'Warn2',
  'Warn3',
  'Warn4',
  'Error',
  'Error2',
  'Error3',
  'Error4',
  'Fatal',
  'Fatal2',
  'Fatal3',
  'Fatal4',
];

const NAMES: Record<Signal, { resources: string; resource: string; scopes: string; scope: string }> = {
  traces: { resources: 'resourceSpans', resource: 'ResourceSpans', scopes: 'scopeSpans', scope: 'ScopeSpans' },
  metrics: { resources: 'resourceMetrics', resource: 'ResourceMetrics', scopes: 'scopeMetrics', scope: 'ScopeMetrics' },
  logs: { resources: 'resourceLogs', resource: 'ResourceLog', scopes: 'scopeLogs', scope: 'ScopeLogs' },
};

/** The detailed (otlptext) dump of a decoded Export*ServiceRequest. */
export function formatDetailed(signal: Signal, request: PMessage): string {
  const b = new TextBuffer();
  const n = NAMES[signal];
  list(request[n.resources]).forEach((rs, i) => {
    b.line(`${n.resource} #${i}`);
    b.line(`Resource SchemaURL: ${str(rs.schemaUrl)}`);
    b.attributes('Resource attributes', msg(rs.resource).attributes);
    list(rs[n.scopes]).forEach((ss, j) => {
      b.line(`${n.scope} #${j}`);
      b.line(`${n.scope} SchemaURL: ${str(ss.schemaUrl)}`);
      const scope = msg(ss.scope);
      b.line(`InstrumentationScope ${str(scope.name)} ${str(scope.version)}`);
      b.attributes('InstrumentationScope attributes', scope.attributes);
      if (signal === 'traces')
        list(ss.spans).forEach((s, k) => {
          writeSpan(b, s, k);
        });
      else if (signal === 'logs')
        list(ss.logRecords).forEach((r, k) => {
          writeLogRecord(b, r, k);
        });
      else
        list(ss.metrics).forEach((m, k) => {
          writeMetric(b, m, k);
        });
    });
  });
  return b.text;
}

function writeSpan(b: TextBuffer, span: PMessage, k: number): void {
  b.line(`Span #${k}`);
  b.attr('Trace ID', hexId(span.traceId));
  b.attr('Parent ID', hexId(span.parentSpanId));
  b.attr('ID', hexId(span.spanId));
  b.attr('Name', str(span.name));
  b.attr('Kind', SPAN_KINDS[num(span.kind)] ?? '');
  if (str(span.traceState) !== '') b.attr('TraceState', str(span.traceState));
  b.attr('Start time', goTime(span.startTimeUnixNano));
  b.attr('End time', goTime(span.endTimeUnixNano));
  const status = msg(span.status);
  b.attr('Status code', STATUS_CODES[num(status.code)] ?? '');
  b.attr('Status message', str(status.message));
  b.attr('DroppedAttributesCount', String(num(span.droppedAttributesCount)));
  b.attr('DroppedEventsCount', String(num(span.droppedEventsCount)));
  b.attr('DroppedLinksCount', String(num(span.droppedLinksCount)));
  b.attributes('Attributes', span.attributes);
  writeEvents(b, list(span.events));
  writeLinks(b, list(span.links));
}

function writeEvents(b: TextBuffer, events: readonly PMessage[]): void {
  if (events.length === 0) return;
  b.line('Events:');
  events.forEach((e, i) => {
    b.line(`SpanEvent #${i}`);
    b.line(`     -> Name: ${str(e.name)}`);
    b.line(`     -> Timestamp: ${goTime(e.timeUnixNano)}`);
    b.line(`     -> DroppedAttributesCount: ${num(e.droppedAttributesCount)}`);
    b.attributes('     -> Attributes:', e.attributes);
  });
}

function writeLinks(b: TextBuffer, links: readonly PMessage[]): void {
  if (links.length === 0) return;
  b.line('Links:');
  links.forEach((l, i) => {
    b.line(`SpanLink #${i}`);
    b.line(`     -> Trace ID: ${hexId(l.traceId)}`);
    b.line(`     -> ID: ${hexId(l.spanId)}`);
    b.line(`     -> TraceState: ${str(l.traceState)}`);
    b.line(`     -> DroppedAttributesCount: ${num(l.droppedAttributesCount)}`);
    b.attributes('     -> Attributes:', l.attributes);
  });
}

function writeLogRecord(b: TextBuffer, r: PMessage, k: number): void {
  const severity = num(r.severityNumber);
  b.line(`LogRecord #${k}`);
  b.line(`ObservedTimestamp: ${goTime(r.observedTimeUnixNano)}`);
  b.line(`Timestamp: ${goTime(r.timeUnixNano)}`);
  b.line(`SeverityText: ${str(r.severityText)}`);
  b.line(`SeverityNumber: ${SEVERITY[severity] ?? `SeverityNumber(${severity})`}(${severity})`);
  if (str(r.eventName) !== '') b.line(`EventName: ${str(r.eventName)}`);
  b.line(`Body: ${typedValue(r.body)}`);
  b.attributes('Attributes', r.attributes);
  b.line(`Trace ID: ${hexId(r.traceId)}`);
  b.line(`Span ID: ${hexId(r.spanId)}`);
  b.line(`Flags: ${int(r.flags)}`);
}
