// The trace store behind the query API: what an exporter writes into and what the Jaeger query
// handlers read. The memory store (memory-store.ts) is the one implementation today; a persistent or
// external store implements the same interface.

/** One stored span as the store hands it back: the OTLP Span bytes and the Resource and scope it came with. */
export interface StoredSpan {
  /** The OTLP `Resource` message bytes (empty when the request had none). */
  readonly resource: Buffer;
  /** The OTLP `InstrumentationScope` message bytes (empty when absent). */
  readonly scope: Buffer;
  /** The OTLP `Span` message bytes. */
  readonly span: Buffer;
}

/** A stored trace: its spans in arrival order. */
export interface StoredTrace {
  /** 16 bytes. */
  readonly traceId: Buffer;
  readonly spans: readonly StoredSpan[];
}

/** A search, with Jaeger's semantics: one span of a trace must match every criterion at once. */
export interface TraceQuery {
  readonly service: string;
  readonly operation?: string | undefined;
  /** Each key must have a span tag, process tag or log field whose value as a string is equal. */
  readonly tags?: ReadonlyMap<string, string> | undefined;
  /** Span start time bounds, µs since the epoch (inclusive). */
  readonly startTimeMinUs?: number | undefined;
  readonly startTimeMaxUs?: number | undefined;
  /** Span duration bounds, µs (inclusive). */
  readonly durationMinUs?: number | undefined;
  readonly durationMaxUs?: number | undefined;
  /** Most traces returned (newest first). */
  readonly limit: number;
}

/** A search without its limit: the caller stops pulling candidates when it has enough. */
export type TraceSearch = Omit<TraceQuery, 'limit'>;

/** An operation of a service, as Jaeger lists it (`spanKind` is '' for unspecified). */
export interface OperationInfo {
  readonly name: string;
  readonly spanKind: string;
}

/** A service-to-service call count over a time window. */
export interface DependencyLink {
  readonly parent: string;
  readonly child: string;
  readonly callCount: number;
}

/** Figures for tests, the benchmark and self-telemetry. */
export interface StoreStats {
  readonly traces: number;
  readonly spans: number;
  /** Bytes the store accounts for (span records plus per-trace overhead), bounded by its byte budget. */
  readonly bytes: number;
  readonly evictedTraces: number;
}

/**
 * Where traces live. `writeTraces` takes an OTLP ExportTraceServiceRequest (protobuf) and never keeps a
 * reference to the caller's buffer. A matching span of a trace decides whether the trace matches a query.
 */
export interface TraceStore {
  /** Stores the spans of one request; returns the number stored. Throws WireError on malformed bytes. */
  writeTraces(request: Buffer): number;
  getTrace(traceId: Buffer): StoredTrace | undefined;
  findTraces(query: TraceQuery, matches: (trace: StoredTrace, query: TraceQuery) => boolean): StoredTrace[];
  /**
   * The candidates of a search, newest first, pulled one at a time: each trace its index cannot rule out
   * (the caller checks the exact match), and `null` now and then while it scans, so that a caller can give
   * the event loop back between slices. Safe to pull from across turns while spans are written.
   */
  searchTraces(query: TraceSearch): Iterable<StoredTrace | null>;
  getServices(): string[];
  /** Operations of `service`; `spanKind` filters ('' or undefined for every kind). */
  getOperations(service: string, spanKind?: string): OperationInfo[];
  getDependencies(endUs: number, lookbackUs: number): DependencyLink[];
  stats(): StoreStats;
}

/** Jaeger's span kind names, by OTLP SpanKind number. */
export const SPAN_KIND_NAMES: readonly string[] = ['', 'internal', 'server', 'client', 'producer', 'consumer'];

/** The service name Jaeger's translator gives spans whose resource names none. */
export const NO_SERVICE_NAME = 'OTLPResourceNoServiceName';
