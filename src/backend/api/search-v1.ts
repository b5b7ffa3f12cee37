// Jaeger's v1 trace reads, bounded (bounded-query.ts): GET /api/traces (a search, or the traces named by
// `traceID`) and GET /api/traces/{id}, each admitted or refused 503, sliced, cut to the byte budget and
// streamed in Jaeger's envelope.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseTraceId } from '../jaeger/model.ts';
import { toJaegerTrace, traceMatches } from '../jaeger/otlp-to-jaeger.ts';
import type { StoredTrace, TraceStore } from '../store/trace-store.ts';
import { parseSearch } from './params.ts';
import { ParamError, writeError } from './respond.ts';
import {
  admitted,
  fitTrace,
  streamSearch,
  truncatedMessage,
  yieldSlice,
  type QueryContext,
  type SearchEncoding,
} from './bounded-query.ts';
import { JsonStream } from './json-stream.ts';

/** Room kept in the budget for the envelope's fields around the traces. */
const ENVELOPE_BYTES = 256;

/** A trace as Jaeger JSON text within `maxBytes`, with a warning when the byte budget cut it. */
function jaegerJson(trace: StoredTrace, maxBytes: number): string {
  return fitTrace(trace, maxBytes, (capped, dropped) => {
    const j = toJaegerTrace(capped);
    if (dropped > 0)
      j.warnings = [
        `trace truncated: ${dropped} of ${trace.spans.length} spans left out to stay within the answer's byte budget`,
      ];
    return JSON.stringify(j);
  }).text;
}

/** The envelope's closing fields; `warnings` (not Jaeger's) says when the budget cut the answer. */
function closing(count: number, errors: string, warning: string | undefined): string {
  const warnings = warning === undefined ? '' : `,"warnings":${JSON.stringify([warning])}`;
  return `],"total":${count},"limit":0,"offset":0,"errors":${errors}${warnings}}`;
}

/** GET /api/traces: a search, or the traces its `traceID` parameters name. */
export async function searchTracesV1(
  ctx: QueryContext,
  params: URLSearchParams,
  nowUs: number,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { query, traceIds } = parseSearch(params, nowUs, ctx.limits.maxSearchDepth);
  const ids = traceIds.map((text) => {
    const id = parseTraceId(text);
    if (id === undefined) throw new ParamError(`cannot parse traceID param: ${JSON.stringify(text)} is not a trace id`);
    return { text, id };
  });
  await admitted(ctx, req, res, writeError, async () => {
    const out = new JsonStream(req, res, ctx.limits.maxResponseBytes);
    if (ids.length > 0) {
      await streamByIds(ctx, ids, out);
      return;
    }
    const encoding: SearchEncoding = {
      prefix: '{"data":[',
      encode: (trace) => {
        const j = toJaegerTrace(trace);
        return traceMatches(j, query) ? JSON.stringify(j) : '';
      },
    };
    const { count, truncated } = await streamSearch(ctx, query, query.limit, encoding, out);
    if (!out.begun) out.begin(encoding.prefix);
    out.end(closing(count, 'null', truncated ? truncatedMessage(ctx.limits) : undefined));
  });
}

/** The traces named by `traceID`: found ones in `data`, missing ones as 404 entries of `errors`. */
async function streamByIds(ctx: QueryContext, ids: { text: string; id: Buffer }[], out: JsonStream): Promise<void> {
  const errors: { code: number; msg: string; traceID: string }[] = [];
  let count = 0;
  let truncated = false;
  out.begin('{"data":[');
  for (const { text, id } of ids) {
    await yieldSlice(ctx.scheduler);
    if (out.closed) break;
    const trace = ctx.store.getTrace(id);
    if (trace === undefined) {
      errors.push({ code: 404, msg: 'trace not found', traceID: text });
      continue;
    }
    const json = jaegerJson(trace, ctx.limits.maxResponseBytes - out.written - ENVELOPE_BYTES);
    if (!out.fits(json.length + ENVELOPE_BYTES)) {
      truncated = true;
      break;
    }
    await out.write(count++ === 0 ? json : `,${json}`);
  }
  const errorsText = errors.length > 0 ? JSON.stringify(errors) : 'null';
  out.end(closing(count, errorsText, truncated ? truncatedMessage(ctx.limits) : undefined));
}

/** GET /api/traces/{id}, from the store or else the archive; 404 when in neither. */
export async function getTraceV1(
  ctx: QueryContext,
  archive: TraceStore | undefined,
  text: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const id = parseTraceId(text);
  if (id === undefined) throw new ParamError(`cannot parse traceID param: ${JSON.stringify(text)} is not a trace id`);
  await admitted(ctx, req, res, writeError, async () => {
    await yieldSlice(ctx.scheduler);
    const trace = ctx.store.getTrace(id) ?? archive?.getTrace(id);
    if (trace === undefined) {
      await writeError(req, res, 404, 'trace not found');
      return;
    }
    const out = new JsonStream(req, res, ctx.limits.maxResponseBytes);
    out.begin('{"data":[');
    await out.write(jaegerJson(trace, ctx.limits.maxResponseBytes - ENVELOPE_BYTES));
    out.end(closing(1, 'null', undefined));
  });
}
