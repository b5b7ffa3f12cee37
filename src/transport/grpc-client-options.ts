// Options and results of the raw node:http2 gRPC client (grpc-client.ts), and its defaults.
import { version } from '../util/version.ts';
import type { ConnectionOptions } from 'node:tls';
import type { GrpcTarget } from './endpoint.ts';
import type { DeflatePiece } from '../contracts/payload.ts';

/** HTTP/2 keepalive pings (Go's keepalive.ClientParameters). */
export interface KeepaliveOptions {
  readonly timeMs: number;
  readonly timeoutMs: number;
  readonly permitWithoutStream: boolean;
}

/** How a GrpcClient connects. */
export interface GrpcClientOptions {
  readonly target: GrpcTarget;
  /** TLS settings for each new connection (re-read so certificates can reload); absent = plaintext. */
  readonly tls?: () => Promise<ConnectionOptions>;
  /** Default `telegate/<version>`. */
  readonly userAgent?: string;
  /** Overrides the `:authority` header. */
  readonly authority?: string;
  readonly keepalive?: KeepaliveOptions;
  /** While disconnected, calls wait for the next connection attempt (up to their timeout) instead of failing fast. */
  readonly waitForReady?: boolean;
  /** Largest response accepted (default 4 MiB, grpc's default receive limit). */
  readonly maxResponseBytes?: number;
  /** Backoff between failed connection attempts (grpc's default starts at 1 s; capped at 30 s here). */
  readonly reconnect?: { readonly initialMs: number; readonly maxMs: number };
  /** Bound on one connection attempt when the call has no deadline (default 20 s, grpc's minimum connect timeout). */
  readonly connectTimeoutMs?: number;
}

/** Per-call options. */
export interface CallOptions {
  /** Deadline of this attempt in ms; 0 = none. Sent as grpc-timeout and enforced locally. */
  readonly timeoutMs: number;
  /** Extra request metadata (lower-case keys). */
  readonly metadata?: Readonly<Record<string, string>>;
  /** zlib level when compressing: 1–9, or -1 for zlib's default (6); unset: DEFAULT_GZIP_LEVEL (compression.ts). */
  readonly gzipLevel?: number;
  /** gzip the request (the same as `encoding: 'gzip'`). */
  readonly compress?: boolean;
  /** Compress the request with this codec; wins over `compress`. */
  readonly encoding?: 'gzip' | 'zstd' | 'snappy' | undefined;
  /** zstd level (1–22, negative for faster); unset: DEFAULT_ZSTD_LEVEL (zstd.ts). */
  readonly zstdLevel?: number;
  /** With gzip: the message as raw deflate pieces (Payload.deflatePieces), laid in the member as they are. */
  readonly deflatePieces?: readonly DeflatePiece[] | undefined;
}

/** The outcome of a unary call: a gRPC status, and the response message bytes when OK. */
export interface CallResult {
  readonly code: number;
  readonly message: string;
  /** From a google.rpc.RetryInfo in grpc-status-details-bin. */
  readonly retryAfterMs?: number;
  readonly response?: Buffer;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
export const DEFAULT_RECONNECT = { initialMs: 1000, maxMs: 30_000 } as const;
export const DEFAULT_CONNECT_TIMEOUT_MS = 20_000;
/** perf-lab.md: 16 MiB connection / 4 MiB stream windows halve CPU per span for 300 KB requests. */
export const CONNECTION_WINDOW_BYTES = 16 * 1024 * 1024;
export const STREAM_WINDOW_BYTES = 4 * 1024 * 1024;

/** `telegate/<version>` for the user-agent header. */
export function defaultUserAgent(): string {
  return `telegate/${version()}`;
}
