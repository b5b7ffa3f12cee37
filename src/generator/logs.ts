// telemetrygen's logs: records with --body, --severity-text and --severity-number, the attribute
// app=server plus --telemetry-attributes, and --trace-id / --span-id when given.
import { anyValue, writeAttributes } from './attributes.ts';
import { TAG } from '../pdata/fields.ts';
import type { GenOptions } from './options.ts';
import { ProtoWriter } from './proto-writer.ts';
import { resourceMessage, scopeMessage } from './resource.ts';
import { toTemplate, type Template } from './template.ts';

/** An ExportLogsServiceRequest template of `items` log records. */
export function buildLogTemplate(o: GenOptions, items: number): Template {
  const scopeLogs = new ProtoWriter().message(TAG.ScopeLogs.scope, scopeMessage());
  for (let i = 0; i < items; i++) scopeLogs.message(TAG.ScopeLogs.logRecords, record(o));
  const rl = new ProtoWriter()
    .message(TAG.ResourceLogs.resource, resourceMessage(o))
    .message(TAG.ResourceLogs.scopeLogs, scopeLogs);
  return toTemplate(new ProtoWriter().message(TAG.ExportLogsServiceRequest.resourceLogs, rl), items);
}

const LR = TAG.LogRecord;

function record(o: GenOptions): ProtoWriter {
  const r = new ProtoWriter()
    .mark(LR.timeUnixNano, 'time', 0)
    .varint(LR.severityNumber, o.severityNumber)
    .string(LR.severityText, o.severityText)
    .message(LR.body, anyValue(o.body));
  writeAttributes(r, LR.attributes, [['app', 'server'], ...o.telemetryAttributes]);
  if (o.traceId !== '') r.bytes(LR.traceId, Buffer.from(o.traceId, 'hex'));
  if (o.spanId !== '') r.bytes(LR.spanId, Buffer.from(o.spanId, 'hex'));
  return r.mark(LR.observedTimeUnixNano, 'time', 0);
}
