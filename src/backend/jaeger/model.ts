// Jaeger's JSON trace model, field for field as jaeger's model/json writes it (what the Jaeger UI and
// Grafana's Jaeger data source read): ids as hex, times and durations in µs, processes keyed p1, p2, …
import type { JaegerKeyValue } from './values.ts';

export type { JaegerKeyValue } from './values.ts';

export interface JaegerReference {
  refType: 'CHILD_OF' | 'FOLLOWS_FROM';
  traceID: string;
  spanID: string;
}

export interface JaegerLog {
  /** µs since the epoch. */
  timestamp: number;
  fields: JaegerKeyValue[];
}

export interface JaegerProcess {
  serviceName: string;
  tags: JaegerKeyValue[];
}

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  /** Omitted when 0 (`omitempty`). */
  flags?: number;
  operationName: string;
  references: JaegerReference[];
  /** µs since the epoch. */
  startTime: number;
  /** µs. */
  duration: number;
  tags: JaegerKeyValue[];
  logs: JaegerLog[];
  processID: string;
  warnings: string[] | null;
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, JaegerProcess>;
  warnings: string[] | null;
}

/** `{data, total, limit, offset, errors}`: the envelope of every /api/ answer. */
export interface JaegerResponse<T> {
  data: T;
  total: number;
  limit: number;
  offset: number;
  errors: { code: number; msg: string; traceID?: string }[] | null;
}

/** Jaeger's TraceID.String(): 16 hex digits when the high half is zero, else 32. */
export function jaegerTraceId(id: Buffer): string {
  if (id.length !== 16) return id.toString('hex').padStart(16, '0');
  for (let i = 0; i < 8; i++) if (id[i] !== 0) return id.toString('hex');
  return id.toString('hex', 8, 16);
}

/** Jaeger's SpanID.String(): 16 hex digits. */
export function jaegerSpanId(id: Buffer): string {
  return id.toString('hex').padStart(16, '0');
}

/** Parses a trace id as Jaeger accepts it (1–32 hex digits); undefined when invalid. Returns 16 bytes. */
export function parseTraceId(text: string): Buffer | undefined {
  if (!/^[0-9a-fA-F]{1,32}$/.test(text)) return undefined;
  return Buffer.from(text.padStart(32, '0'), 'hex');
}
