// The unit that flows through a pipeline: OTLP request bytes plus the context of the request that
// brought them. Payloads stay protobuf bytes end to end (DESIGN.md §2).
import type { Signal } from './signal.ts';

/** What a receiver learned about the request, carried with the data (DESIGN.md §4). */
export interface RequestContext {
  /** Peer address as `host:port`, when known. */
  readonly clientAddress?: string;
  /** Set by an authenticator; `username` is the verified identity. */
  readonly auth?: Readonly<Record<string, string>>;
  /** Request headers / gRPC metadata, lower-cased keys; present only when `include_metadata` is on. */
  readonly metadata?: ReadonlyMap<string, readonly string[]>;
}

/**
 * One OTLP `Export{Trace,Metrics,Logs}ServiceRequest` as protobuf bytes.
 * `items` is the number of spans, metric data points or log records, computed once by whoever
 * first needs it (see `pdata/count.ts`).
 */
export interface Payload {
  readonly signal: Signal;
  /** The whole request, contiguous. With `parts`, exactly their concatenation. */
  readonly bytes: Buffer;
  items: number;
  readonly context: RequestContext;
  /**
   * Set when the request is held as chunks laid end to end: a batch's requests, or an edited request
   * whose untouched bytes are views of the original (pdata/resource-edit.ts). A chunk is not
   * necessarily a request by itself: only their concatenation is. `bytes` is exactly
   * `Buffer.concat(parts)`, computed on first access and cached, so reading it costs one copy of the
   * whole. A consumer that can write the chunks in sequence (the OTLP exporters) should use them and
   * skip that copy; one that needs only the size should use `payloadByteLength`
   * (pdata/payload-bytes.ts). Never empty; the chunks are never modified.
   */
  readonly parts?: readonly Buffer[];
  /**
   * The same request as gzip members (RFC 1952 §2.2), when it arrived gzip-compressed and nothing has
   * changed its bytes since: the members laid end to end decompress to exactly `bytes`, which every gzip
   * reader (Go's, zlib's, Java's) reads as one body. An exporter that sends gzip may send them as they
   * are instead of compressing again. Only receivers set it, only from a body zlib consumed whole, and
   * the batch processor keeps it for a batch whose requests all have it; anything that makes new bytes
   * makes a new payload without it.
   */
  readonly gzipMembers?: readonly Buffer[] | undefined;
}

/** An empty request context, shared so that hot paths do not allocate one. */
export const EMPTY_CONTEXT: RequestContext = Object.freeze({});
