// Small OTLP trace requests for backend tests: spans described in a few fields, encoded through
// OTLP/JSON → protobuf (pdata/json.ts).
import { jsonToProtobuf } from '../../src/pdata/json.ts';

export interface TestSpan {
  /** 32 hex digits. */
  readonly traceId: string;
  /** 16 hex digits. */
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name?: string;
  readonly service?: string;
  readonly kind?: number;
  /** µs since the epoch. */
  readonly startUs?: number;
  readonly durationUs?: number;
  readonly attributes?: Record<string, string | number | boolean>;
  readonly resource?: Record<string, string | number | boolean>;
  readonly status?: { code: number; message?: string };
  readonly events?: { name: string; timeUs: number; attributes?: Record<string, string> }[];
  readonly links?: { traceId: string; spanId: string; attributes?: Record<string, string> }[];
  readonly scope?: { name: string; version?: string };
}

function attrs(o: Record<string, string | number | boolean> = {}): unknown[] {
  return Object.entries(o).map(([key, v]) => ({
    key,
    value:
      typeof v === 'string'
        ? { stringValue: v }
        : typeof v === 'boolean'
          ? { boolValue: v }
          : Number.isInteger(v)
            ? { intValue: String(v) }
            : { doubleValue: v },
  }));
}

const ns = (us: number): string => (BigInt(Math.round(us)) * 1000n).toString();

/** One ExportTraceServiceRequest; spans of the same service and resource share a ResourceSpans. */
export function traceRequest(spans: readonly TestSpan[]): Buffer {
  const groups = new Map<string, { resource: Record<string, string | number | boolean>; spans: TestSpan[] }>();
  for (const s of spans) {
    const resource = { 'service.name': s.service ?? 'svc', ...s.resource };
    const key = JSON.stringify([resource, s.scope ?? null]);
    const g = groups.get(key) ?? { resource, spans: [] as TestSpan[] };
    g.spans.push(s);
    groups.set(key, g);
  }
  const json = {
    resourceSpans: [...groups.values()].map((g) => ({
      resource: { attributes: attrs(g.resource) },
      scopeSpans: [
        {
          scope: g.spans[0]?.scope ?? { name: 'test' },
          spans: g.spans.map((s) => {
            const start = s.startUs ?? 1_700_000_000_000_000;
            return {
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parentSpanId ?? '',
              name: s.name ?? 'op',
              kind: s.kind ?? 1,
              startTimeUnixNano: ns(start),
              endTimeUnixNano: ns(start + (s.durationUs ?? 1000)),
              attributes: attrs(s.attributes),
              events: (s.events ?? []).map((e) => ({
                name: e.name,
                timeUnixNano: ns(e.timeUs),
                attributes: attrs(e.attributes),
              })),
              links: (s.links ?? []).map((l) => ({
                traceId: l.traceId,
                spanId: l.spanId,
                attributes: attrs(l.attributes),
              })),
              status: s.status ?? {},
            };
          }),
        },
      ],
    })),
  };
  return jsonToProtobuf('traces', JSON.stringify(json));
}

/** A 32-hex trace id from a number. */
export const tid = (n: number): string => n.toString(16).padStart(32, 'a');
/** A 16-hex span id from a number. */
export const sid = (n: number): string => n.toString(16).padStart(16, 'b');
