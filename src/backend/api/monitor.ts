// GET /api/monitor: the Monitor tab's figures (request rate, error rate, latency percentiles per service,
// or per operation of one service) computed from stored spans, so no metrics store is needed. Each
// request reads at most MONITOR_MAX_TRACES traces and yields to the event loop every
// MONITOR_YIELD_EVERY traces (src/backend/monitor/span-metrics.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { computeSpanMetrics } from '../monitor/span-metrics.ts';
import { SPAN_KIND_NAMES, type TraceStore } from '../store/trace-store.ts';
import { parseIntParam } from './params.ts';
import { envelope, ParamError, writeJson } from './respond.ts';

/** Most traces one /api/monitor request reads (split evenly across services when no service is given). */
export const MONITOR_MAX_TRACES = 5000;
/** Traces read between two yields to the event loop. */
export const MONITOR_YIELD_EVERY = 100;
const DEFAULT_LOOKBACK_MS = 3600 * 1000;

/**
 * Answers `/api/monitor?service=&spanKind=server&endTs=<ms>&lookback=<ms>` (all optional) when `path`
 * is `/monitor`; returns false for any other path.
 */
export async function handleMonitor(
  store: TraceStore,
  path: string,
  params: URLSearchParams,
  nowUs: number,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  if (path !== '/monitor') return false;
  const endText = params.get('endTs') ?? '';
  const lookbackText = params.get('lookback') ?? '';
  const endMs = endText === '' ? nowUs / 1000 : parseIntParam('endTs', endText);
  const lookbackMs = lookbackText === '' ? DEFAULT_LOOKBACK_MS : parseIntParam('lookback', lookbackText);
  if (lookbackMs <= 0) throw new ParamError(`unable to parse param 'lookback': must be positive`);
  const spanKind = params.get('spanKind') ?? 'server';
  if (spanKind !== '' && !SPAN_KIND_NAMES.includes(spanKind))
    throw new ParamError(
      `unsupported spanKind ${JSON.stringify(spanKind)} (server, client, producer, consumer, internal or '')`,
    );
  const metrics = await computeSpanMetrics(store, {
    service: params.get('service') ?? '',
    spanKind,
    endUs: endMs * 1000,
    lookbackUs: lookbackMs * 1000,
    maxTraces: MONITOR_MAX_TRACES,
    yieldEvery: MONITOR_YIELD_EVERY,
  });
  await writeJson(req, res, 200, envelope(metrics, metrics.rows.length));
  return true;
}
