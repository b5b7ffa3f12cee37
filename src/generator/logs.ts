// telemetrygen's logs: records with --body, --severity-text and --severity-number, the attribute
// app=server plus --telemetry-attributes, and --trace-id / --span-id when given.
import { anyValue, writeAttributes } from './attributes.ts';
import type { GenOptions } from './options.ts';
import { ProtoWriter } from './proto-writer.ts';
import { resourceMessage, scopeMessage } from './resource.ts';
import { toTemplate, type Template } from './template.ts';

/** An ExportLogsServiceRequest template of `items` log records. */
export function buildLogTemplate(o: GenOptions, items: number): Template {
  const scopeLogs = new ProtoWriter().message(1, scopeMessage());
  for (let i = 0; i < items; i++) scopeLogs.message(2, record(o));
  const rl = new ProtoWriter().message(1, resourceMessage(o)).message(2, scopeLogs);
  return toTemplate(new ProtoWriter().message(1, rl), items);
}

// LogRecord: time 1, severity_number 2, severity_text 3, body 5, attributes 6, trace_id 9, span_id 10, observed_time 11.
function record(o: GenOptions): ProtoWriter {
  const r = new ProtoWriter()
    .mark(1, 'time', 0)
    .varint(2, o.severityNumber)
    .string(3, o.severityText)
    .message(5, anyValue(o.body));
  writeAttributes(r, 6, [['app', 'server'], ...o.telemetryAttributes]);
  if (o.traceId !== '') r.bytes(9, Buffer.from(o.traceId, 'hex'));
  if (o.spanId !== '') r.bytes(10, Buffer.from(o.spanId, 'hex'));
  return r.mark(11, 'time', 0);
}
