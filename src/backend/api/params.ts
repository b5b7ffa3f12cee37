// Query parameters of Jaeger's HTTP API, parsed as Jaeger's query_parser.go does, with its messages:
// start/end in µs (default: the last two days), minDuration/maxDuration as Go durations, `tag`
// repeated as key:value (key=value also accepted), `tags` as a JSON object, `limit` (default 100).
import { parseDuration } from '../../config/units.ts';
import type { TraceQuery } from '../store/trace-store.ts';
import { ParamError } from './respond.ts';
import { errorMessage } from '../../errors/thrown.ts';

/** Jaeger's default search limit. */
export const DEFAULT_LIMIT = 100;
/** Jaeger's default search lookback when no start is given (2 days), in µs. */
export const DEFAULT_LOOKBACK_US = 2 * 24 * 3600 * 1e6;
/** Jaeger's default dependencies lookback (24 hours), in ms. */
export const DEFAULT_DEPENDENCY_LOOKBACK_MS = 24 * 3600 * 1000;

const INT = /^[+-]?\d+$/;

/** `strconv.ParseInt`, with Jaeger's "unable to parse param" message. */
export function parseIntParam(name: string, text: string): number {
  if (!INT.test(text))
    throw new ParamError(`unable to parse param '${name}': strconv.ParseInt: parsing "${text}": invalid syntax`);
  const n = Number(text);
  if (!Number.isSafeInteger(n))
    throw new ParamError(`unable to parse param '${name}': strconv.ParseInt: parsing "${text}": value out of range`);
  return n;
}

/** A Go duration parameter, in µs; undefined when absent or empty. */
export function parseDurationParam(name: string, text: string | null): number | undefined {
  if (text === null || text === '') return undefined;
  const d = parseDuration(text);
  if (!d.ok) throw new ParamError(`unable to parse param '${name}': time: invalid duration "${text}"`);
  return Math.round(d.value * 1000);
}

/** Tags from `tag=k:v` (repeated) and `tags={"k":"v"}`. */
export function parseTags(params: URLSearchParams): Map<string, string> {
  const tags = new Map<string, string>();
  for (const t of params.getAll('tag')) {
    const colon = t.indexOf(':');
    const eq = t.indexOf('=');
    const at = colon >= 0 ? colon : eq;
    if (at <= 0) throw new ParamError(`malformed 'tag' parameter, expecting key:value, received: ${t}`);
    tags.set(t.slice(0, at), t.slice(at + 1));
  }
  for (const text of params.getAll('tags')) {
    if (text === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new ParamError(`malformed 'tags' parameter, cannot unmarshal JSON: ${errorMessage(err)}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new ParamError(`malformed 'tags' parameter, cannot unmarshal JSON: expected an object of strings`);
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof v !== 'string')
        throw new ParamError(
          `malformed 'tags' parameter, cannot unmarshal JSON: json: cannot unmarshal ${typeof v} into Go value of type string`,
        );
      tags.set(k, v);
    }
  }
  return tags;
}

/**
 * The search of `/api/traces`, or the trace ids it names (`traceID`, repeated). A `limit` of 0 (Jaeger's
 * v3 API: "non-positive") is the default, 100; one over `maxLimit` is refused, never the whole store.
 */
export function parseSearch(
  params: URLSearchParams,
  nowUs: number,
  maxLimit: number,
): { query: TraceQuery; traceIds: string[] } {
  const endText = params.get('end') ?? '';
  const startText = params.get('start') ?? '';
  const end = endText === '' ? nowUs : parseIntParam('end', endText);
  const lookbackUs = parseDurationParam('lookback', lookbackText(params.get('lookback'))) ?? DEFAULT_LOOKBACK_US;
  const start = startText === '' ? end - lookbackUs : parseIntParam('start', startText);
  const tags = parseTags(params);
  const limitText = params.get('limit') ?? '';
  const limit = limitText === '' ? DEFAULT_LIMIT : parseIntParam('limit', limitText);
  if (limit < 0) throw new ParamError(`unable to parse param 'limit': must not be negative, got ${limit}`);
  if (limit > maxLimit)
    throw new ParamError(
      `unable to parse param 'limit': ${limit} is over the maximum search depth ${maxLimit} (jaeger_query limits.max_search_depth)`,
    );
  const durationMinUs = parseDurationParam('minDuration', params.get('minDuration'));
  const durationMaxUs = parseDurationParam('maxDuration', params.get('maxDuration'));
  const traceIds = params.getAll('traceID');
  const service = params.get('service') ?? '';
  if (traceIds.length === 0 && service === '') throw new ParamError("parameter 'service' is required");
  if (durationMinUs !== undefined && durationMaxUs !== undefined && durationMaxUs < durationMinUs)
    throw new ParamError("'maxDuration' should be greater than 'minDuration'");
  if (start > end) throw new ParamError("'start' should be before 'end'");
  return {
    query: {
      service,
      operation: params.get('operation') ?? undefined,
      tags,
      startTimeMinUs: start,
      startTimeMaxUs: end,
      durationMinUs,
      durationMaxUs,
      limit: limit === 0 ? DEFAULT_LIMIT : limit,
    },
    traceIds,
  };
}

/** The UI sends `lookback=1h`, `2d` or `custom`; only durations in Go's units are applied (days too). */
function lookbackText(text: string | null): string | null {
  if (text === null || text === 'custom') return null;
  const days = /^(\d+)d$/.exec(text);
  return days ? `${Number(days[1]) * 24}h` : text;
}
