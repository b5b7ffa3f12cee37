// Request rate, error rate and latency percentiles per service and per operation, computed from the
// spans in the trace store (what Jaeger's Monitor tab needs the spanmetrics connector and Prometheus
// for). The work is bounded: at most `maxTraces` recent traces are read per request, and the scan
// yields to the event loop every `yieldEvery` traces so ingestion never waits behind it.
import { decodeSpan, toJaegerProcess } from '../jaeger/otlp-to-jaeger.ts';
import { SPAN_KIND_NAMES, type StoredTrace, type TraceStore } from '../store/trace-store.ts';

/** What to measure. */
export interface SpanMetricsQuery {
  /** One service (its operations are reported), or '' for every service. */
  readonly service: string;
  /** Jaeger's span kind name ('server', 'client', …), or '' for every kind. */
  readonly spanKind: string;
  readonly endUs: number;
  readonly lookbackUs: number;
  /** Most traces read for this request (the bound on its work). */
  readonly maxTraces: number;
  /** Traces read between two yields to the event loop. */
  readonly yieldEvery: number;
}

/** The figures of one service or operation over the window. */
export interface SpanMetricsRow {
  readonly service: string;
  /** '' on a service's row. */
  readonly operation: string;
  readonly calls: number;
  readonly errors: number;
  /** calls per second over the time the read traces cover. */
  readonly ratePerSec: number;
  /** errors / calls, 0–1. */
  readonly errorRate: number;
  readonly p50Us: number;
  readonly p75Us: number;
  readonly p95Us: number;
  readonly p99Us: number;
}

/** The answer: rows, and how much was read (so a truncated scan is visible). */
export interface SpanMetrics {
  readonly rows: SpanMetricsRow[];
  readonly scannedTraces: number;
  /** True when `maxTraces` stopped the scan before the window's start. */
  readonly truncated: boolean;
  /** The time, µs, the figures are over: the window, or less when truncated. */
  readonly coveredUs: number;
}

interface Acc {
  durations: number[];
  errors: number;
}

const STATUS_ERROR = 2;

/** Computes the metrics; rows by calls, most first. */
export async function computeSpanMetrics(store: TraceStore, q: SpanMetricsQuery): Promise<SpanMetrics> {
  const services = q.service === '' ? store.getServices() : [q.service];
  const perService = Math.max(1, Math.floor(q.maxTraces / Math.max(1, services.length)));
  const startUs = q.endUs - q.lookbackUs;
  const acc = new Map<string, Map<string, Acc>>();
  let scanned = 0;
  let truncated = false;
  let oldestUs = startUs;
  for (const service of services) {
    const traces = store.findTraces(
      { service, startTimeMinUs: startUs, startTimeMaxUs: q.endUs, limit: perService },
      () => true,
    );
    let earliest = Infinity;
    for (const trace of traces) {
      earliest = Math.min(earliest, addTrace(acc, trace, q, startUs, service));
      if (++scanned % q.yieldEvery === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    // Cut short by the bound: the figures cover only the time since the earliest span read.
    if (traces.length >= perService) {
      truncated = true;
      if (Number.isFinite(earliest)) oldestUs = Math.max(oldestUs, earliest);
    }
  }
  const coveredUs = Math.max(1, q.endUs - oldestUs);
  return { rows: toRows(acc, q.service === '', coveredUs), scannedTraces: scanned, truncated, coveredUs };
}

/**
 * Adds the spans of `service` in `trace` that match the kind and started in the window; returns the
 * earliest start among them (Infinity for none).
 */
function addTrace(
  acc: Map<string, Map<string, Acc>>,
  trace: StoredTrace,
  q: SpanMetricsQuery,
  startUs: number,
  service: string,
): number {
  let earliest = Infinity;
  const names = new Map<Buffer, string>();
  for (const stored of trace.spans) {
    let name = names.get(stored.resource);
    if (name === undefined) {
      name = toJaegerProcess(stored.resource).serviceName;
      names.set(stored.resource, name);
    }
    if (name !== service) continue;
    const span = decodeSpan(stored.span);
    const kind = SPAN_KIND_NAMES[span.kind] ?? '';
    const start = Number(span.startNs / 1000n);
    if ((q.spanKind !== '' && kind !== q.spanKind) || start < startUs || start > q.endUs) continue;
    earliest = Math.min(earliest, start);
    let ops = acc.get(service);
    if (!ops) acc.set(service, (ops = new Map<string, Acc>()));
    let a = ops.get(span.name);
    if (!a) ops.set(span.name, (a = { durations: [], errors: 0 }));
    a.durations.push(Math.max(0, Number((span.endNs - span.startNs) / 1000n)));
    if (span.statusCode === STATUS_ERROR) a.errors++;
  }
  return earliest;
}

function toRows(acc: Map<string, Map<string, Acc>>, perService: boolean, coveredUs: number): SpanMetricsRow[] {
  const rows: SpanMetricsRow[] = [];
  for (const [service, ops] of acc) {
    if (perService) {
      const all: Acc = { durations: [], errors: 0 };
      for (const a of ops.values()) {
        for (const d of a.durations) all.durations.push(d);
        all.errors += a.errors;
      }
      rows.push(row(service, '', all, coveredUs));
    } else {
      for (const [op, a] of ops) rows.push(row(service, op, a, coveredUs));
    }
  }
  return rows.sort(
    (a, b) => b.calls - a.calls || a.service.localeCompare(b.service) || a.operation.localeCompare(b.operation),
  );
}

function row(service: string, operation: string, a: Acc, coveredUs: number): SpanMetricsRow {
  const d = a.durations.sort((x, y) => x - y);
  const calls = d.length;
  return {
    service,
    operation,
    calls,
    errors: a.errors,
    ratePerSec: calls / (coveredUs / 1e6),
    errorRate: calls === 0 ? 0 : a.errors / calls,
    p50Us: quantile(d, 0.5),
    p75Us: quantile(d, 0.75),
    p95Us: quantile(d, 0.95),
    p99Us: quantile(d, 0.99),
  };
}

/** The nearest-rank quantile of sorted values (0 for none). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] ?? 0;
}
