// The Jaeger HTTP query API (the same one Jaeger's own UI uses), so this UI also runs against a real
// Jaeger. Shapes follow jaeger's model/json (traces) and the query service's response envelope.
import { appUrl } from './base.ts';

export interface KeyValue {
  readonly key: string;
  readonly type: string;
  readonly value: unknown;
}

export interface Reference {
  readonly refType: 'CHILD_OF' | 'FOLLOWS_FROM';
  readonly traceID: string;
  readonly spanID: string;
}

export interface Log {
  readonly timestamp: number;
  readonly fields: readonly KeyValue[];
}

export interface Span {
  readonly traceID: string;
  readonly spanID: string;
  readonly operationName: string;
  readonly references?: readonly Reference[] | null;
  readonly startTime: number;
  readonly duration: number;
  readonly tags?: readonly KeyValue[] | null;
  readonly logs?: readonly Log[] | null;
  readonly processID: string;
  readonly warnings?: readonly string[] | null;
}

export interface Process {
  readonly serviceName: string;
  readonly tags?: readonly KeyValue[] | null;
}

export interface Trace {
  readonly traceID: string;
  readonly spans: readonly Span[];
  readonly processes: Readonly<Record<string, Process>>;
  readonly warnings?: readonly string[] | null;
}

export interface Operation {
  readonly name: string;
  readonly spanKind: string;
}

export interface DependencyLink {
  readonly parent: string;
  readonly child: string;
  readonly callCount: number;
}

interface Envelope<T> {
  readonly data: T | null;
  readonly errors?: readonly { readonly code?: number; readonly msg: string }[] | null;
}

/** An answer the query API refused or could not give, with the server's own messages. */
export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

interface Answer<T> {
  readonly res: Response;
  readonly body: Envelope<T> | undefined;
  readonly msgs: readonly string[];
}

async function request<T>(path: string, signal?: AbortSignal): Promise<Answer<T>> {
  let res: Response;
  try {
    res = await fetch(appUrl(path), { headers: { Accept: 'application/json' }, ...(signal ? { signal } : {}) });
  } catch (err) {
    throw new ApiError(0, `cannot reach the query API (${err instanceof Error ? err.message : String(err)})`);
  }
  let body: Envelope<T> | undefined;
  try {
    body = (await res.json()) as Envelope<T>;
  } catch {
    body = undefined;
  }
  const msgs = body?.errors?.map((e) => e.msg).filter(Boolean) ?? [];
  return { res, body, msgs };
}

function failure(a: Answer<unknown>): ApiError {
  const detail = a.msgs.length > 0 ? a.msgs.join('; ') : `HTTP ${a.res.status} ${a.res.statusText}`.trim();
  return new ApiError(a.res.status, detail);
}

async function get<T>(path: string, signal?: AbortSignal): Promise<T> {
  const a = await request<T>(path, signal);
  if (!a.res.ok || a.msgs.length > 0 || a.body === undefined) throw failure(a);
  return a.body.data as T;
}

/** Service names, sorted. */
export async function fetchServices(): Promise<string[]> {
  const data = (await get<string[] | null>('/api/services')) ?? [];
  return [...data].sort((a, b) => a.localeCompare(b));
}

/** Operation names of a service, sorted. */
export async function fetchOperations(service: string): Promise<string[]> {
  const path = `/api/services/${encodeURIComponent(service)}/operations`;
  const data = (await get<string[] | null>(path)) ?? [];
  return [...data].sort((a, b) => a.localeCompare(b));
}

/** The parameters of /api/traces, as the query service names them. */
export interface TraceQuery {
  readonly service: string;
  readonly operation?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly startUs: number;
  readonly endUs: number;
  readonly lookback?: string;
  readonly minDuration?: string;
  readonly maxDuration?: string;
  readonly limit: number;
}

/** Builds the /api/traces URL for a query (an app path: `get` puts the base path in front). */
export function tracesUrl(q: TraceQuery): string {
  const p = new URLSearchParams({ service: q.service });
  if (q.operation) p.set('operation', q.operation);
  if (q.tags && Object.keys(q.tags).length > 0) p.set('tags', JSON.stringify(q.tags));
  p.set('start', String(q.startUs));
  p.set('end', String(q.endUs));
  if (q.lookback) p.set('lookback', q.lookback);
  if (q.minDuration) p.set('minDuration', q.minDuration);
  if (q.maxDuration) p.set('maxDuration', q.maxDuration);
  p.set('limit', String(q.limit));
  return `/api/traces?${p.toString()}`;
}

/** Fills in what a lenient server may leave out, so a partial trace shows instead of breaking the page. */
export function normalizeTrace(t: Partial<Trace> | null | undefined): Trace {
  if (!t || typeof t.traceID !== 'string') throw new ApiError(502, 'the server sent a trace without a traceID');
  const list: readonly Span[] = Array.isArray(t.spans) ? (t.spans as readonly Span[]) : [];
  const spans = list.filter((s) => typeof s.spanID === 'string' && typeof s.startTime === 'number');
  const processes = t.processes && typeof t.processes === 'object' ? t.processes : {};
  return { traceID: t.traceID, spans, processes, warnings: t.warnings ?? null };
}

/** Traces matching a query. */
export async function searchTraces(q: TraceQuery, signal?: AbortSignal): Promise<Trace[]> {
  const data = (await get<Partial<Trace>[] | null>(tracesUrl(q), signal)) ?? [];
  return data.map(normalizeTrace);
}

/** One trace by id; rejects with status 404 when the store does not have it. */
export async function fetchTrace(id: string): Promise<Trace> {
  const data = await get<Partial<Trace>[] | null>(`/api/traces/${encodeURIComponent(id)}`);
  const trace = data?.[0];
  if (!trace) throw new ApiError(404, `trace ${id} not found`);
  return normalizeTrace(trace);
}

/** Service-to-service call counts over `lookbackMs` before `endMs`. */
export async function fetchDependencies(endMs: number, lookbackMs: number): Promise<DependencyLink[]> {
  const p = new URLSearchParams({ endTs: String(endMs), lookback: String(lookbackMs) });
  return (await get<DependencyLink[] | null>(`/api/dependencies?${p.toString()}`)) ?? [];
}

/** Several traces by id (`/api/traces?traceID=a&traceID=b`); ids the store lacks come back in `missing`. */
export async function fetchTracesByIds(
  ids: readonly string[],
  signal?: AbortSignal,
): Promise<{ traces: Trace[]; missing: string[] }> {
  const p = new URLSearchParams();
  for (const id of ids) p.append('traceID', id);
  const a = await request<Partial<Trace>[] | null>(`/api/traces?${p.toString()}`, signal);
  if (!a.res.ok || a.body === undefined) throw failure(a);
  const errors = (a.body.errors ?? []) as readonly { readonly msg: string; readonly traceID?: string }[];
  const missing = errors.map((e) => e.traceID).filter((id): id is string => typeof id === 'string');
  if (errors.length > missing.length) throw failure(a);
  return { traces: (a.body.data ?? []).map(normalizeTrace), missing };
}

/** One row of /api/monitor: a service's (operation '') or an operation's figures over the window. */
export interface MonitorRow {
  readonly service: string;
  readonly operation: string;
  readonly calls: number;
  readonly errors: number;
  readonly ratePerSec: number;
  readonly errorRate: number;
  readonly p50Us: number;
  readonly p75Us: number;
  readonly p95Us: number;
  readonly p99Us: number;
}

/** The Monitor tab's figures, computed by telegate from stored spans (not part of Jaeger's API). */
export interface MonitorData {
  readonly rows: readonly MonitorRow[];
  readonly scannedTraces: number;
  readonly truncated: boolean;
  readonly coveredUs: number;
}

/** Rate, errors and latency per service (or per operation of `service`) over `lookbackMs`. */
export async function fetchMonitor(service: string, spanKind: string, lookbackMs: number): Promise<MonitorData> {
  const p = new URLSearchParams({ lookback: String(lookbackMs), spanKind });
  if (service !== '') p.set('service', service);
  return get<MonitorData>(`/api/monitor?${p.toString()}`);
}
