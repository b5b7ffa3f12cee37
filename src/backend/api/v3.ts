// Jaeger's /api/v3/ HTTP gateway (cmd/jaeger/internal/extension/jaegerquery/internal/apiv3): OTLP/JSON
// traces under `result`, services and operations, errors as `{"error":{"httpCode":…,"message":…}}`.
// Parameters take Jaeger's camelCase names and their deprecated snake_case aliases; trace reads are
// bounded as v1's are (bounded-query.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseTraceId } from '../jaeger/model.ts';
import { storedTraceMatches } from '../jaeger/otlp-to-jaeger.ts';
import type { StoredTrace, TraceSearch } from '../store/trace-store.ts';
import { tracesToOtlpJson } from './otlp-json.ts';
import { DEFAULT_LIMIT, parseDurationParam, parseIntParam } from './params.ts';
import { pathSegment, ParamError, writeErrorBody, writeJson } from './respond.ts';
import { admitted, fitTrace, streamSearch, truncatedMessage, yieldSlice, type QueryContext } from './bounded-query.ts';
import { JsonStream } from './json-stream.ts';

function v3Error(req: IncomingMessage, res: ServerResponse, code: number, message: string): Promise<void> {
  return writeErrorBody(req, res, code, message, { error: { httpCode: code, message } });
}

/** A parameter by its canonical name, else its deprecated alias: [value, the name used]. */
function param(params: URLSearchParams, canonical: string, deprecated: string): [string, string] {
  const v = params.get(canonical) ?? '';
  return v !== '' ? [v, canonical] : [params.get(deprecated) ?? '', deprecated];
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** An RFC 3339 time (Go's time.RFC3339Nano) as µs since the epoch; Jaeger's message when malformed. */
function parseTime(name: string, text: string): number {
  const ms = Date.parse(text);
  if (!RFC3339.test(text) || Number.isNaN(ms))
    throw new ParamError(
      `malformed parameter ${name}: parsing time ${JSON.stringify(text)} as "2006-01-02T15:04:05.999999999Z07:00": not an RFC 3339 time`,
    );
  const frac = /\.(\d+)/.exec(text)?.[1] ?? '';
  const subMs = Number((frac.slice(3, 6) || '0').padEnd(3, '0'));
  return Math.floor(ms) * 1000 + subMs;
}

/** Go's strconv.ParseBool, for Jaeger's rawTraces. */
function checkBool(name: string, text: string): void {
  if (!['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text))
    throw new ParamError(
      `malformed parameter ${name}: strconv.ParseBool: parsing ${JSON.stringify(text)}: invalid syntax`,
    );
}

/** One trace's resourceSpans, as the members of a JSON array ('' when it has none). */
function resourceSpansJson(trace: StoredTrace): string {
  const json = tracesToOtlpJson([trace]);
  const prefix = '{"resourceSpans":[';
  return json.startsWith(prefix) ? json.slice(prefix.length, -2) : '';
}

/** Serves `path` below /api/v3; false when the path is not one of the gateway's. */
export async function handleV3(
  ctx: QueryContext,
  path: string,
  params: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  try {
    return await route(ctx, path, params, req, res);
  } catch (err) {
    if (err instanceof ParamError) {
      await v3Error(req, res, 400, err.message);
      return true;
    }
    throw err;
  }
}

async function route(
  ctx: QueryContext,
  path: string,
  params: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const store = ctx.store;
  if (path === '/services') {
    await writeJson(req, res, 200, { services: store.getServices() });
    return true;
  }
  if (path === '/operations') {
    const service = params.get('service') ?? '';
    if (service === '') throw new ParamError('service name is required');
    const [kind] = param(params, 'spanKind', 'span_kind');
    await writeJson(req, res, 200, { operations: store.getOperations(service, kind) });
    return true;
  }
  const byId = /^\/traces\/([^/]+)$/.exec(path);
  if (byId) {
    await getTrace(ctx, byId[1] ?? '', params, req, res);
    return true;
  }
  if (path === '/traces') {
    await findTraces(ctx, params, req, res);
    return true;
  }
  return false;
}

async function getTrace(
  ctx: QueryContext,
  raw: string,
  params: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const id = parseTraceId(pathSegment(raw));
  if (id === undefined) throw new ParamError(`malformed parameter trace_id: ${raw}`);
  // Jaeger validates the time hints and rawTraces; the memory store needs no hint.
  for (const [canonical, deprecated] of [
    ['startTime', 'start_time'],
    ['endTime', 'end_time'],
  ] as const) {
    const [text, name] = param(params, canonical, deprecated);
    if (text !== '') parseTime(name, text);
  }
  const [raw2, rawName] = param(params, 'rawTraces', 'raw_traces');
  if (raw2 !== '') checkBool(rawName, raw2);
  await admitted(ctx, req, res, v3Error, async () => {
    await yieldSlice(ctx.scheduler);
    const trace = ctx.store.getTrace(id);
    if (trace === undefined) {
      await v3Error(req, res, 404, 'trace not found');
      return;
    }
    const out = new JsonStream(req, res, ctx.limits.maxResponseBytes);
    const { text, dropped } = fitTrace(trace, ctx.limits.maxResponseBytes - 256, resourceSpansJson);
    out.begin('{"result":{"resourceSpans":[');
    await out.write(text);
    const warning = `trace truncated: ${dropped} of ${trace.spans.length} spans left out to stay within the answer's byte budget`;
    out.end(dropped > 0 ? `]},"warnings":${JSON.stringify([warning])}}` : ']}}');
  });
}

/** The search of /api/v3/traces, parsed as Jaeger's apiv3 query_parser.go. */
function parseFind(params: URLSearchParams, maxLimit: number): { search: TraceSearch; limit: number } {
  const [service] = param(params, 'query.serviceName', 'query.service_name');
  const [operation] = param(params, 'query.operationName', 'query.operation_name');
  const [minText, minName] = param(params, 'query.startTimeMin', 'query.start_time_min');
  const [maxText, maxName] = param(params, 'query.startTimeMax', 'query.start_time_max');
  if (minText === '' || maxText === '') throw new ParamError('query.startTimeMin and query.startTimeMax are required');
  const startTimeMinUs = parseTime(minName, minText);
  const startTimeMaxUs = parseTime(maxName, maxText);
  if (startTimeMinUs >= startTimeMaxUs) throw new ParamError('query.startTimeMin must be before query.startTimeMax');
  let [depth, depthName] = param(params, 'query.searchDepth', 'query.search_depth');
  if (depth === '') [depth, depthName] = [params.get('query.num_traces') ?? '', 'query.num_traces'];
  const asked = depth === '' ? DEFAULT_LIMIT : parseIntParam(depthName, depth);
  if (asked > maxLimit)
    throw new ParamError(
      `malformed parameter ${depthName}: ${asked} is over the maximum search depth ${maxLimit} (jaeger_query limits.max_search_depth)`,
    );
  if (service === '') throw new ParamError('query.serviceName is required');
  const [dMin, dMinName] = param(params, 'query.durationMin', 'query.duration_min');
  const [dMax, dMaxName] = param(params, 'query.durationMax', 'query.duration_max');
  return {
    search: {
      service,
      operation: operation === '' ? undefined : operation,
      tags: attributes(params),
      startTimeMinUs,
      startTimeMaxUs,
      durationMinUs: parseDurationParam(dMinName, dMin),
      durationMaxUs: parseDurationParam(dMaxName, dMax),
    },
    // Jaeger: a non-positive search depth is the default.
    limit: asked <= 0 ? DEFAULT_LIMIT : asked,
  };
}

/** `query.attributes` (a JSON object of strings) and `query.attributes[k]=v`. */
function attributes(params: URLSearchParams): Map<string, string> {
  const tags = new Map<string, string>();
  for (const [k, v] of params) {
    const m = /^query\.attributes\[(.+)\]$/.exec(k);
    if (m?.[1] !== undefined) tags.set(m[1], v);
  }
  const attrs = params.get('query.attributes');
  if (attrs !== null && attrs !== '') {
    try {
      for (const [k, v] of Object.entries(JSON.parse(attrs) as Record<string, unknown>)) tags.set(k, String(v));
    } catch {
      throw new ParamError(`malformed parameter query.attributes: ${attrs}`);
    }
  }
  return tags;
}

async function findTraces(
  ctx: QueryContext,
  params: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { search, limit } = parseFind(params, ctx.limits.maxSearchDepth);
  await admitted(ctx, req, res, v3Error, async () => {
    const out = new JsonStream(req, res, ctx.limits.maxResponseBytes);
    const encoding = {
      prefix: '{"result":{"resourceSpans":[',
      encode: (t: StoredTrace) => (storedTraceMatches(t, search) ? resourceSpansJson(t) : ''),
    };
    const { count, truncated } = await streamSearch(ctx, search, limit, encoding, out);
    if (out.closed) return;
    if (count === 0) {
      await v3Error(req, res, 404, 'No traces found');
      return;
    }
    const warning = truncated ? `,"warnings":${JSON.stringify([truncatedMessage(ctx.limits)])}` : '';
    out.end(`]}${warning}}`);
  });
}
