// Hot path: see bench/load and perf-lab.md §3 (raw node:http2 client ≈ 0.3 CPU-s per M spans vs ≈ 0.85 for grpc-js).
// A unary gRPC client over node:http2 directly: one lazily opened connection with large windows,
// shared by concurrent calls, reconnected with backoff; gzip requests; statuses and RetryInfo decoded.
import type { OutgoingHttpHeaders } from 'node:http2';
import { GrpcStatus } from '../errors/grpc-status.ts';
import { grpcTimeoutHeader, unaryCall } from './grpc-client-call.ts';
import {
  DEFAULT_MAX_RESPONSE_BYTES,
  defaultUserAgent,
  type CallOptions,
  type CallResult,
  type GrpcClientOptions,
} from './grpc-client-options.ts';
import { GrpcSession } from './grpc-client-session.ts';
import { DEFAULT_GZIP_LEVEL, grpcAcceptEncoding, snappyAsync, zstdAsync } from './compression.ts';
import { gzipBody } from './gzip-member.ts';
import { DEFAULT_ZSTD_LEVEL } from './zstd.ts';

export type { CallOptions, CallResult, GrpcClientOptions } from './grpc-client-options.ts';

// Headers the client owns; user metadata may not override them.
const RESERVED = new Set([
  'content-type',
  'te',
  'user-agent',
  'grpc-timeout',
  'grpc-encoding',
  'grpc-accept-encoding',
  'host',
  'connection',
]);

/** A unary gRPC client for one endpoint. */
export class GrpcClient {
  private readonly options: GrpcClientOptions;
  private readonly session: GrpcSession;
  private readonly baseHeaders: OutgoingHttpHeaders;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(options: GrpcClientOptions) {
    this.options = options;
    this.session = new GrpcSession(options);
    this.baseHeaders = {
      ':method': 'POST',
      ':scheme': options.tls === undefined ? 'http' : 'https',
      ':authority': options.authority ?? options.target.authority,
      'content-type': 'application/grpc',
      te: 'trailers',
      'user-agent': options.userAgent ?? defaultUserAgent(),
      'grpc-accept-encoding': grpcAcceptEncoding(),
    };
  }

  /**
   * Calls `path` (`/package.Service/Method`) with one request message; never rejects. The message may
   * be given as parts to be sent one after another (their concatenation is the message): without
   * compression they are written as they are, with no copy.
   */
  async call(path: string, message: Buffer | readonly Buffer[], options: CallOptions): Promise<CallResult> {
    if (this.closed) return { code: GrpcStatus.UNAVAILABLE, message: 'the gRPC client is closed' };
    this.inFlight++;
    this.session.activeCalls++;
    try {
      return await this.run(path, message, options);
    } finally {
      this.session.activeCalls--;
      if (--this.inFlight === 0) this.wakeIdle();
    }
  }

  /** Stops new calls, waits up to `deadlineMs` for in-flight ones, then closes the connection. */
  async close(deadlineMs: number): Promise<void> {
    this.closed = true;
    if (this.inFlight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadlineMs);
        timer.unref();
        this.idleWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    await this.session.close(Math.min(1000, deadlineMs));
  }

  private async run(path: string, message: Buffer | readonly Buffer[], options: CallOptions): Promise<CallResult> {
    const start = Date.now();
    const deadline = options.timeoutMs > 0 ? start + options.timeoutMs : 0;
    const encoding = options.encoding ?? (options.compress === true ? 'gzip' : undefined);
    const body = encoding === undefined ? message : await compressBody(message, encoding, options);
    const acquired = await this.session.acquire(deadline);
    if (!acquired.ok) return acquired.failure;
    const remainingMs = deadline === 0 ? 0 : deadline - Date.now();
    if (deadline !== 0 && remainingMs <= 0) {
      return {
        code: GrpcStatus.DEADLINE_EXCEEDED,
        message: `deadline exceeded: ${options.timeoutMs} ms passed before the request was sent`,
      };
    }
    return unaryCall(acquired.session, {
      headers: this.headers(path, remainingMs, encoding, options.metadata),
      message: body,
      compressed: encoding !== undefined,
      timeoutMs: remainingMs,
      maxResponseBytes: this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      authority: this.options.target.authority,
    });
  }

  private headers(
    path: string,
    timeoutMs: number,
    encoding: 'gzip' | 'zstd' | 'snappy' | undefined,
    metadata: Readonly<Record<string, string>> | undefined,
  ): OutgoingHttpHeaders {
    const headers: OutgoingHttpHeaders = { ...this.baseHeaders, ':path': path };
    if (timeoutMs > 0) headers['grpc-timeout'] = grpcTimeoutHeader(timeoutMs);
    if (encoding !== undefined) headers['grpc-encoding'] = encoding;
    if (metadata !== undefined) {
      for (const key of Object.keys(metadata)) {
        const name = key.toLowerCase();
        if (!name.startsWith(':') && !RESERVED.has(name)) headers[name] = metadata[key];
      }
    }
    return headers;
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

function compressBody(
  message: Buffer | readonly Buffer[],
  encoding: 'gzip' | 'zstd' | 'snappy',
  options: CallOptions,
): Promise<Buffer | readonly Buffer[]> {
  // gzip deflates the parts as they are (gzip-member.ts); zstd and snappy take one contiguous buffer.
  if (encoding === 'gzip') return gzipBody(message, options.gzipLevel ?? DEFAULT_GZIP_LEVEL, options.deflatePieces);
  const buf = contiguous(message);
  // gRPC's `snappy` is golang/snappy's framed stream (what Go's configgrpc registers under that name).
  if (encoding === 'snappy') return snappyAsync(buf, true);
  return zstdAsync(buf, options.zstdLevel ?? DEFAULT_ZSTD_LEVEL);
}

function contiguous(message: Buffer | readonly Buffer[]): Buffer {
  if (Buffer.isBuffer(message)) return message;
  const [only] = message;
  return message.length === 1 && only !== undefined ? only : Buffer.concat(message);
}
