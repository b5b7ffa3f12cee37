// The Jaeger query HTTP API over a TraceStore, as the Jaeger UI and Grafana's Jaeger data source call
// it: /api/services, /api/services/{service}/operations, /api/operations, /api/traces (search, or by
// traceID), /api/traces/{id}, /api/dependencies and /api/v3/. Answers use Jaeger's JSON envelope and
// error body. Any other GET goes to the UI handler, when there is one; otherwise 404.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger, Telemetry } from '../../contracts/component.ts';
import { parseTraceId } from '../jaeger/model.ts';
import type { TraceStore } from '../store/trace-store.ts';
import { DEFAULT_DEPENDENCY_LOOKBACK_MS, parseIntParam } from './params.ts';
import { envelope, pathSegment, ParamError, writeError, writeJson } from './respond.ts';
import { handleV3 } from './v3.ts';
import { handleMonitor } from './monitor.ts';
import { tracesToOtlp } from './otlp-json.ts';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './query-limits.ts';
import { QueryScheduler } from './query-scheduler.ts';
import { admitted, yieldSlice, type QueryContext } from './bounded-query.ts';
import { getTraceV1, searchTracesV1 } from './search-v1.ts';
import { QueryErrorLog } from './error-log.ts';

/** Serves a non-API GET (the UI); returns false when it does not serve that path. */
export type UiHandler = (req: IncomingMessage, res: ServerResponse, basePath?: string) => boolean;

export interface QueryApiOptions {
  readonly store: TraceStore;
  /** Where POST /api/archive/{id} copies a trace; /api/traces/{id} falls back to it. */
  readonly archive?: TraceStore | undefined;
  /** The web UI, for every GET outside /api/. */
  readonly ui?: UiHandler | undefined;
  /** Jaeger's `base_path` (e.g. `/jaeger`): the API and UI are served below it. '' or '/' for none. */
  readonly basePath?: string | undefined;
  /** The clock, in µs (tests). */
  readonly nowUs?: () => number;
  /** Bounds of query work; each absent one takes its default. */
  readonly limits?: Partial<QueryLimits> | undefined;
  /** Where errors are logged (at `error`, with the request, rate-limited). */
  readonly logger?: Logger | undefined;
  /** Where errors are counted (`telegate_query_errors{status}`). */
  readonly telemetry?: Telemetry | undefined;
  /** Shared by handlers that must share one budget (tests); one is made otherwise. */
  readonly scheduler?: QueryScheduler | undefined;
}

/** The options a route runs with. */
interface Api extends QueryContext {
  readonly opts: QueryApiOptions;
}

/** The request handler of the query endpoint. */
export function queryApiHandler(opts: QueryApiOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const base = (opts.basePath ?? '').replace(/\/+$/, '');
  const nowUs = opts.nowUs ?? (() => Date.now() * 1000);
  const limits: QueryLimits = { ...DEFAULT_QUERY_LIMITS, ...opts.limits };
  const scheduler = opts.scheduler ?? new QueryScheduler(limits);
  const api: Api = { opts, store: opts.store, limits, scheduler };
  const errors = new QueryErrorLog(opts.logger, opts.telemetry);
  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = req.url ?? '/';
    if (target.length > limits.maxUrlBytes) {
      req.resume();
      const max = limits.maxUrlBytes;
      await writeError(req, res, 414, `request URL of ${target.length} bytes is over the limit of ${max} bytes`);
      return;
    }
    const url = new URL(target, 'http://localhost');
    let path = url.pathname;
    if (base !== '') {
      if (path !== base && !path.startsWith(`${base}/`)) {
        await notFound(req, res);
        return;
      }
      path = path.slice(base.length) || '/';
    }
    const isApi = path === '/api' || path.startsWith('/api/');
    const archive = /^\/api\/archive\/([^/]+)$/.exec(path);
    if (archive && req.method === 'POST') {
      let text = archive[1] ?? '';
      try {
        text = decodeURIComponent(text);
      } catch {
        // Kept as is: not a trace id, answered 400 below.
      }
      await archiveTrace(opts, text, req, res);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      if (isApi) await writeError(req, res, 405, `method ${req.method ?? ''} not allowed`);
      else {
        res.statusCode = 405;
        res.end();
      }
      return;
    }
    if (!isApi) {
      if (opts.ui?.(req, res, base) === true) return;
      await notFound(req, res);
      return;
    }
    try {
      await route(api, path.slice(4), url.searchParams, nowUs(), req, res);
    } catch (err) {
      if (err instanceof ParamError) await writeError(req, res, 400, err.message);
      else throw err;
    }
  };
  return async (req, res) => {
    await serve(req, res);
    errors.record(req, res);
  };
}

function notFound(_req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.statusCode = 404;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end('404 page not found\n');
  return Promise.resolve();
}

async function archiveTrace(
  opts: QueryApiOptions,
  text: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  req.resume();
  const id = parseTraceId(text);
  if (id === undefined) {
    await writeError(req, res, 400, `cannot parse traceID param: ${JSON.stringify(text)} is not a trace id`);
    return;
  }
  if (opts.archive === undefined) {
    await writeError(req, res, 501, 'archive span storage was not configured');
    return;
  }
  const trace = opts.store.getTrace(id);
  if (trace === undefined) {
    await writeError(req, res, 404, 'trace not found');
    return;
  }
  opts.archive.writeTraces(tracesToOtlp([trace]));
  await writeJson(req, res, 200, envelope([], 0));
}

async function route(
  api: Api,
  path: string,
  params: URLSearchParams,
  nowUs: number,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { store, opts } = api;
  if (path.startsWith('/v3/') && (await handleV3(api, path.slice(3), params, req, res))) return;
  if (path === '/monitor') {
    // Reads up to MONITOR_MAX_TRACES traces (yielding as it goes): admitted like a search.
    await admitted(api, req, res, writeError, async () => {
      await handleMonitor(store, path, params, nowUs, req, res);
    });
    return;
  }
  if (path === '/services') {
    const services = store.getServices();
    await writeJson(req, res, 200, envelope(services, services.length));
    return;
  }
  const ops = /^\/services\/([^/]+)\/operations$/.exec(path);
  if (ops) {
    const service = pathSegment(ops[1] ?? '');
    const names = [...new Set(store.getOperations(service).map((o) => o.name))];
    await writeJson(req, res, 200, envelope(names, names.length));
    return;
  }
  if (path === '/operations') {
    const service = params.get('service') ?? '';
    if (service === '') throw new ParamError("parameter 'service' is required");
    const operations = store.getOperations(service, params.get('spanKind') ?? '');
    await writeJson(req, res, 200, envelope(operations, operations.length));
    return;
  }
  if (path === '/traces') {
    await searchTracesV1(api, params, nowUs, req, res);
    return;
  }
  const byId = /^\/traces\/([^/]+)$/.exec(path);
  if (byId) {
    await getTraceV1(api, opts.archive, pathSegment(byId[1] ?? ''), req, res);
    return;
  }
  if (path === '/dependencies') {
    const endText = params.get('endTs') ?? '';
    const lookbackText = params.get('lookback') ?? '';
    const endMs = endText === '' ? nowUs / 1000 : parseIntParam('endTs', endText);
    const lookbackMs = lookbackText === '' ? DEFAULT_DEPENDENCY_LOOKBACK_MS : parseIntParam('lookback', lookbackText);
    if (lookbackMs < 0) throw new ParamError(`unable to parse param 'lookback': must not be negative`);
    // One pass over the stored traces (about 10 ms for 100,000): admitted like a search, at a turn of its own.
    await admitted(api, req, res, writeError, async () => {
      await yieldSlice(api.scheduler);
      const links = store.getDependencies(endMs * 1000, lookbackMs * 1000);
      await writeJson(req, res, 200, envelope(links, links.length));
    });
    return;
  }
  await writeError(req, res, 404, `no such API endpoint: /api${path}`);
}
