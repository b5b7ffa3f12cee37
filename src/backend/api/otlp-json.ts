// Stored spans back to OTLP: a TracesData message (same layout as ExportTraceServiceRequest) with the
// spans grouped under their resource and scope, and its OTLP/JSON form for the /api/v3/ answers.
import { protobufToJson } from '../../pdata/json.ts';
import { lenFieldSize, writeLenHeader } from '../../pdata/wire.ts';
import type { StoredTrace } from '../store/trace-store.ts';

/** The traces as one TracesData message (protobuf). */
export function tracesToOtlp(traces: readonly StoredTrace[]): Buffer {
  // resource bytes → scope bytes → spans, in first-seen order.
  const groups = new Map<Buffer, Map<Buffer, Buffer[]>>();
  for (const t of traces) {
    for (const s of t.spans) {
      let scopes = groups.get(s.resource);
      if (scopes === undefined) {
        scopes = new Map();
        groups.set(s.resource, scopes);
      }
      const spans = scopes.get(s.scope);
      if (spans === undefined) scopes.set(s.scope, [s.span]);
      else spans.push(s.span);
    }
  }
  const parts: Buffer[] = [];
  for (const [resource, scopes] of groups) {
    const scopeParts: Buffer[] = [];
    for (const [scope, spans] of scopes) {
      const body = Buffer.concat([field(1, scope), ...spans.map((s) => field(2, s))]);
      scopeParts.push(field(2, body));
    }
    parts.push(field(1, Buffer.concat([field(1, resource), ...scopeParts])));
  }
  return Buffer.concat(parts);
}

function field(no: number, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(lenFieldSize(no, body.length));
  const p = writeLenHeader(out, 0, no, body.length);
  body.copy(out, p);
  return out;
}

/** The traces as OTLP/JSON text (`{"resourceSpans":[…]}`). */
export function tracesToOtlpJson(traces: readonly StoredTrace[]): string {
  return protobufToJson('traces', tracesToOtlp(traces));
}
