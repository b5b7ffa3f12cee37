// Traces opened from JSON files (Jaeger UI's "JSON File" search): kept in this page only, never sent to
// the server; the trace page looks here before asking the query API. Accepts the API's envelope
// (`{"data":[…]}`, what "Download JSON" saves), a bare array of traces, or one trace.
import { normalizeTrace, type Trace } from './api.ts';

/** Uploaded traces kept at most (the oldest go first). */
const MAX_TRACES = 200;
const traces = new Map<string, Trace>();

/** The traces in a JSON text; throws an Error saying what is wrong. */
export function parseTraceJson(text: string): Trace[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`not JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const data = isRecord(doc) && 'data' in doc ? doc['data'] : doc;
  const list: unknown[] = Array.isArray(data) ? data : [data];
  if (list.length === 0) throw new Error('the file holds no traces');
  return list.map((t) => {
    if (!isRecord(t) || typeof t['traceID'] !== 'string') throw new Error('a trace in the file has no traceID');
    return normalizeTrace(t);
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Keeps traces for the trace page. */
export function keepUploaded(list: readonly Trace[]): void {
  for (const t of list) {
    traces.delete(t.traceID);
    traces.set(t.traceID, t);
  }
  for (const id of traces.keys()) {
    if (traces.size <= MAX_TRACES) break;
    traces.delete(id);
  }
}

/** An uploaded trace by id. */
export function uploadedTrace(id: string): Trace | undefined {
  return traces.get(id) ?? traces.get(id.toLowerCase());
}
