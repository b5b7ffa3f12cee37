// Jaeger's /api/v3/ HTTP gateway (cmd/query/app/apiv3): OTLP/JSON traces under `result`, services and
// operations, and errors as `{"error":{"httpCode":…,"message":…}}`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseTraceId } from '../jaeger/model.ts';
import { storedTraceMatches } from '../jaeger/otlp-to-jaeger.ts';
import type { TraceStore } from '../store/trace-store.ts';
import { tracesToOtlpJson } from './otlp-json.ts';
import { parseDurationParam, parseIntParam } from './params.ts';
import { pathSegment, ParamError, writeJson } from './respond.ts';

function v3Error(req: IncomingMessage, res: ServerResponse, code: number, message: string): Promise<void> {
  return writeJson(req, res, code, { error: { httpCode: code, message } });
}

async function writeResult(req: IncomingMessage, res: ServerResponse, json: string): Promise<void> {
  // The OTLP/JSON text is spliced in as is (it is already JSON).
  const body = `{"result":${json}}`;
  await writeJson(req, res, 200, JSON.parse(body));
}

/** An RFC 3339 time as µs since the epoch. */
function parseTime(name: string, text: string): number {
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(ms))
    throw new ParamError(`malformed parameter ${name}: parsing time "${text}" as RFC 3339 failed`);
  const frac = /\.(\d+)/.exec(text)?.[1] ?? '';
  const subMs = Number((frac.slice(3, 6) || '0').padEnd(3, '0'));
  return Math.floor(ms) * 1000 + subMs;
}

/** Serves `path` below /api/v3; false when the path is not one of the gateway's. */
export async function handleV3(
  store: TraceStore,
  path: string,
  params: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  try {
    if (path === '/services') {
      await writeJson(req, res, 200, { services: store.getServices() });
      return true;
    }
    if (path === '/operations') {
      const service = params.get('service') ?? '';
      if (service === '') throw new ParamError('service name is required');
      const kind = params.get('span_kind') ?? params.get('spanKind') ?? '';
      await writeJson(req, res, 200, { operations: store.getOperations(service, kind) });
      return true;
    }
    const byId = /^\/traces\/([^/]+)$/.exec(path);
    if (byId) {
      const id = parseTraceId(pathSegment(byId[1] ?? ''));
      if (id === undefined) throw new ParamError(`malformed parameter trace_id: ${byId[1] ?? ''}`);
      const trace = store.getTrace(id);
      if (trace === undefined) await v3Error(req, res, 404, 'trace not found');
      else await writeResult(req, res, tracesToOtlpJson([trace]));
      return true;
    }
    if (path === '/traces') {
      const service = params.get('query.service_name') ?? '';
      const minText = params.get('query.start_time_min') ?? '';
      const maxText = params.get('query.start_time_max') ?? '';
      if (minText === '' || maxText === '')
        throw new ParamError('query.start_time_min and query.start_time_max are required');
      if (service === '') throw new ParamError('query.service_name is required');
      const depth = params.get('query.search_depth') ?? params.get('query.num_traces') ?? '';
      const limit = depth === '' ? 100 : parseIntParam('query.search_depth', depth);
      if (limit < 0) throw new ParamError(`malformed parameter query.search_depth: ${depth}`);
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
      const traces = store.findTraces(
        {
          service,
          operation: params.get('query.operation_name') ?? undefined,
          tags,
          startTimeMinUs: parseTime('query.start_time_min', minText),
          startTimeMaxUs: parseTime('query.start_time_max', maxText),
          durationMinUs: parseDurationParam('query.duration_min', params.get('query.duration_min')),
          durationMaxUs: parseDurationParam('query.duration_max', params.get('query.duration_max')),
          limit: limit === 0 ? Number.MAX_SAFE_INTEGER : limit,
        },
        storedTraceMatches,
      );
      if (traces.length === 0) await v3Error(req, res, 404, 'trace not found');
      else await writeResult(req, res, tracesToOtlpJson(traces));
      return true;
    }
  } catch (err) {
    if (err instanceof ParamError) {
      await v3Error(req, res, 400, err.message);
      return true;
    }
    throw err;
  }
  return false;
}
