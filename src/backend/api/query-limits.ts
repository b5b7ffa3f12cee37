// The bounds of query work (DESIGN.md §5: no query may stall ingestion): how many traces one search may
// ask for, how many bytes one answer may hold, how many queries run at once, how long a slice of query
// work may hold the event loop, and how long a URL may be. `jaeger_query`'s `limits` block sets them.

/** Bounds of the query API. */
export interface QueryLimits {
  /** Largest `limit` (v3: `query.search_depth`) accepted; more is a 400. 0 or absent means the default. */
  readonly maxSearchDepth: number;
  /** Most bytes of JSON text in one answer; a search stops there, a trace is cut to fit. */
  readonly maxResponseBytes: number;
  /** Searches and trace reads running at once; more are refused 503 with Retry-After. */
  readonly maxConcurrent: number;
  /** Query work per turn of the event loop, all queries together, in ms. */
  readonly sliceMs: number;
  /** Longest request target (path and query) accepted; longer is a 414. */
  readonly maxUrlBytes: number;
  /** Retry-After of a refused query, in seconds. */
  readonly retryAfterS: number;
}

/**
 * The defaults: Jaeger's UI asks for 20 traces (its form, and ours, allow up to 1,500) and its API
 * defaults to 100; 1,000 ten-span traces are about 8 MiB of Jaeger JSON, where the byte budget stops an
 * answer. At most 8 answers are in flight, each streamed (it holds one trace and the socket's buffer),
 * so 200 concurrent worst-case searches cost 8 small streams and 192 refusals.
 */
export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxSearchDepth: 1500,
  maxResponseBytes: 8 * 1024 * 1024,
  maxConcurrent: 8,
  sliceMs: 1,
  maxUrlBytes: 8 * 1024,
  retryAfterS: 1,
};

/**
 * A trace's JSON per byte of its protobuf, to cut a trace before it is decoded: measured 3.2 for Jaeger
 * JSON and 2.2 for OTLP/JSON on the generator's spans (a trace cut on this guess is cut again if needed).
 */
export const JSON_PER_WIRE_BYTE = 3;
