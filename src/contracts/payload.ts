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
   * The same request as raw deflate pieces, when it arrived gzip-compressed as Go's compress/gzip (and
   * telegate) write it and nothing has changed its bytes since: each piece ends at a byte-aligned,
   * non-final block boundary, and the pieces laid end to end inflate to exactly `bytes`. An exporter
   * that sends gzip lays them inside one new gzip member (transport/gzip-member.ts) instead of
   * compressing again. Only receivers set it (transport/gzip-piece.ts checks each piece), and the batch
   * processor keeps it for a batch whose requests all have it; anything that makes new bytes makes a
   * new payload without it.
   */
  readonly deflatePieces?: readonly DeflatePiece[] | undefined;
}

/**
 * A request's deflate data as it arrived gzip (transport/gzip-piece.ts): it ends at a byte-aligned,
 * non-final block boundary and inflates to `length` bytes whose CRC-32 (gzip's) is `crc`.
 */
export interface DeflatePiece {
  readonly deflate: Buffer;
  readonly crc: number;
  readonly length: number;
}

/** An empty request context, shared so that hot paths do not allocate one. */
export const EMPTY_CONTEXT: RequestContext = Object.freeze({});
