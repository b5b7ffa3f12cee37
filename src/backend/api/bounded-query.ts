// The bounded shape every expensive query takes (DESIGN.md §5): admitted by the scheduler or refused
// 503 with Retry-After; candidates pulled from the store a slice at a time; each trace cut to the
// answer's byte budget before it is decoded; the answer streamed. Used by the v1 and v3 handlers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StoredTrace, TraceSearch, TraceStore } from '../store/trace-store.ts';
import { JSON_PER_WIRE_BYTE, type QueryLimits } from './query-limits.ts';
import type { QueryScheduler } from './query-scheduler.ts';
import { JsonStream } from './json-stream.ts';

/** What a bounded query runs with. */
export interface QueryContext {
  readonly store: TraceStore;
  readonly limits: QueryLimits;
  readonly scheduler: QueryScheduler;
}

/** Answers a refusal in the API's error body (v1 or v3). */
export type Refuse = (req: IncomingMessage, res: ServerResponse, code: number, msg: string) => Promise<void>;

/** Runs `work` when the scheduler admits one more query; otherwise refuses 503 with Retry-After. */
export async function admitted(
  ctx: QueryContext,
  req: IncomingMessage,
  res: ServerResponse,
  refuse: Refuse,
  work: () => Promise<void>,
): Promise<void> {
  const ticket = ctx.scheduler.admit();
  if (ticket === undefined) {
    res.setHeader('Retry-After', String(ctx.limits.retryAfterS));
    const max = ctx.limits.maxConcurrent;
    await refuse(req, res, 503, `too many queries in flight (limits.max_concurrent_queries: ${max}); retry later`);
    return;
  }
  try {
    await work();
  } finally {
    ticket.release();
  }
}

/** Waits for the query's next time slice when the current one is used up. */
export async function yieldSlice(scheduler: QueryScheduler): Promise<void> {
  const wait = scheduler.checkpoint();
  if (wait !== undefined) await wait;
}

/** A trace cut to its first spans that fit `maxJsonBytes` (by wire size); `dropped` counts the rest. */
export function capTrace(trace: StoredTrace, maxJsonBytes: number): { trace: StoredTrace; dropped: number } {
  const maxWire = maxJsonBytes / JSON_PER_WIRE_BYTE;
  let wire = 0;
  const spans = trace.spans;
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i] as StoredTrace['spans'][number];
    wire += s.span.length + s.resource.length + s.scope.length;
    if (wire > maxWire)
      return { trace: { traceId: trace.traceId, spans: spans.slice(0, i) }, dropped: spans.length - i };
  }
  return { trace, dropped: 0 };
}

/**
 * `trace` encoded within `maxBytes`: cut by wire size first (a guess of the JSON size), then cut again
 * while the text is still too large. `dropped` counts the spans left out.
 */
export function fitTrace(
  trace: StoredTrace,
  maxBytes: number,
  encode: (trace: StoredTrace, dropped: number) => string,
): { text: string; dropped: number } {
  let budget = maxBytes;
  for (;;) {
    const { trace: capped, dropped } = capTrace(trace, budget);
    const text = encode(capped, dropped);
    if (text.length <= maxBytes || capped.spans.length === 0) return { text, dropped };
    // Shrink by how much the guess was off, and a little more so that this ends in a few rounds.
    budget = Math.floor((budget * maxBytes) / text.length / 1.1);
  }
}

/** How a search answer is encoded: its opening text, and one trace's JSON text ('' when it does not match). */
export interface SearchEncoding {
  readonly prefix: string;
  encode(trace: StoredTrace): string;
}

/**
 * Streams the traces of `search` that `encoding` accepts, newest first, up to `limit` and the byte budget.
 * The answer is begun with the first trace: with none, the caller answers (v3 says 404). Returns how many
 * were written and whether the budget cut the answer.
 */
export async function streamSearch(
  ctx: QueryContext,
  search: TraceSearch,
  limit: number,
  encoding: SearchEncoding,
  out: JsonStream,
): Promise<{ count: number; truncated: boolean }> {
  let count = 0;
  let truncated = false;
  const max = ctx.limits.maxResponseBytes;
  for (const candidate of ctx.store.searchTraces(search)) {
    await yieldSlice(ctx.scheduler);
    if (out.closed) break;
    if (candidate === null) continue;
    const text = encoding.encode(capTrace(candidate, max).trace);
    if (text === '') continue;
    // Room is kept for the envelope's closing fields.
    if (!out.fits(text.length + 256)) {
      truncated = true;
      break;
    }
    if (count === 0) out.begin(encoding.prefix);
    await out.write(count === 0 ? text : `,${text}`);
    if (++count >= limit) break;
  }
  return { count, truncated };
}

/** The message of an answer the byte budget cut. */
export function truncatedMessage(limits: QueryLimits): string {
  return `results truncated at limits.max_response_size_mib (${limits.maxResponseBytes} bytes): narrow the search`;
}
