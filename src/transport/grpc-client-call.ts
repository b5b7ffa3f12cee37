// Hot path: see bench/load (one unary OTLP export per request).
// One unary gRPC call on an HTTP/2 session (PROTOCOL-HTTP2.md): request headers, the framed message
// written as the 5-byte header then the message or its parts (no copy), then response headers, body
// and trailers — or a trailers-only answer — turned into a CallResult. Every way a stream can end
// resolves exactly once.
import {
  constants as h2,
  type ClientHttp2Session,
  type ClientHttp2Stream,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
} from 'node:http2';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { GrpcStatus } from '../errors/grpc-status.ts';
import { frameHeader, unframeUnary } from './grpc-framing.ts';
import { decodeRetryAfterMs } from './grpc-status-details.ts';
import { decodeGrpcMessage, httpStatusFailure, rstStreamFailure, streamFailure } from './grpc-client-errors.ts';
import type { CallResult } from './grpc-client-options.ts';

const gunzipAsync = promisify(gunzip);

/** What a call needs besides the session. */
export interface UnaryRequest {
  readonly headers: OutgoingHttpHeaders;
  /** The message, or parts whose concatenation is the message (written one after another). */
  readonly message: Buffer | readonly Buffer[];
  readonly compressed: boolean;
  /** 0 = no local deadline. */
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly authority: string;
}

/** What a call keeps of its request while it waits for the answer: not the message. */
type CallLimits = Pick<UnaryRequest, 'timeoutMs' | 'maxResponseBytes' | 'authority'>;

/** grpc-timeout: at most 8 digits, so large values switch to a coarser unit. */
export function grpcTimeoutHeader(ms: number): string {
  const whole = Math.max(1, Math.ceil(ms));
  return whole < 1e8 ? `${whole}m` : `${Math.ceil(whole / 1000)}S`;
}

/** Runs one unary call; never rejects. */
export function unaryCall(session: ClientHttp2Session, req: UnaryRequest): Promise<CallResult> {
  return new Promise<CallResult>((resolve) => {
    let stream: ClientHttp2Stream;
    try {
      stream = session.request(req.headers, { endStream: false });
    } catch (err) {
      resolve(streamFailure(err));
      return;
    }
    new CallState(stream, req, resolve).begin(req.message, req.compressed);
  });
}

/**
 * The state of one in-flight call; a class so the per-call closures stay few and shapes stable.
 *
 * It never holds the message: the stream's listeners reach this object, and node keeps a closed
 * ClientHttp2Stream reachable until V8's next full collection (its native handle is a root for the young
 * generation's collections). A message held here would keep every request buffer of the batch alive that
 * long, and then external memory, not the heap, triggers the full collections: measured, 25 instead of 4
 * per 17 s on small requests, each throwing away optimized code that is then compiled again (a third
 * of the CPU per call). The write holds the message only until it is on the socket.
 */
class CallState {
  private readonly stream: ClientHttp2Stream;
  private readonly req: CallLimits;
  private readonly resolve: (r: CallResult) => void;
  private readonly chunks: Buffer[] = [];
  private received = 0;
  private headers: IncomingHttpHeaders | undefined;
  private trailers: IncomingHttpHeaders | undefined;
  private error: unknown;
  private local: CallResult | undefined;
  private timer: NodeJS.Timeout | undefined;
  private done = false;

  constructor(stream: ClientHttp2Stream, req: UnaryRequest, resolve: (r: CallResult) => void) {
    this.stream = stream;
    this.req = { timeoutMs: req.timeoutMs, maxResponseBytes: req.maxResponseBytes, authority: req.authority };
    this.resolve = resolve;
  }

  begin(message: Buffer | readonly Buffer[], compressed: boolean): void {
    const s = this.stream;
    s.on('response', (headers: IncomingHttpHeaders) => {
      this.headers = headers;
    });
    s.on('trailers', (trailers: IncomingHttpHeaders) => {
      this.trailers = trailers;
    });
    s.on('data', (chunk: Buffer) => {
      this.onData(chunk);
    });
    s.on('error', (err: unknown) => {
      this.error = err;
    });
    s.on('close', () => void this.finish());
    if (this.req.timeoutMs > 0) {
      this.timer = setTimeout(() => {
        this.abort({
          code: GrpcStatus.DEADLINE_EXCEEDED,
          message: `deadline exceeded: no answer within ${this.req.timeoutMs} ms`,
        });
      }, this.req.timeoutMs);
      this.timer.unref();
    }
    this.writeMessage(message, compressed);
  }

  /** The frame header with the total length, then the message's parts in order, each without a copy. */
  private writeMessage(message: Buffer | readonly Buffer[], compressed: boolean): void {
    const s = this.stream;
    if (Buffer.isBuffer(message)) {
      s.write(frameHeader(message.length, compressed));
      s.end(message);
      return;
    }
    let length = 0;
    for (const part of message) length += part.length;
    // Corked, the header and the parts (an edited request has several per resource entry) reach the
    // session as one writev; end() uncorks.
    s.cork();
    s.write(frameHeader(length, compressed));
    // The last part goes with END_STREAM (as the single-Buffer case does); none: end() alone.
    const last = message.length - 1;
    for (let i = 0; i < last; i++) s.write(message[i]);
    s.end(message[last]);
  }

  private onData(chunk: Buffer): void {
    this.received += chunk.length;
    if (this.received > this.req.maxResponseBytes + 5) {
      this.abort({
        code: GrpcStatus.RESOURCE_EXHAUSTED,
        message: `response larger than ${this.req.maxResponseBytes} bytes`,
      });
      return;
    }
    this.chunks.push(chunk);
  }

  private abort(result: CallResult): void {
    if (this.local !== undefined || this.done) return;
    this.local = result;
    this.stream.close(h2.NGHTTP2_CANCEL);
  }

  private async finish(): Promise<void> {
    if (this.done) return;
    this.done = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    const result = this.local ?? (await this.outcome());
    // A response chunk is a view of the session's whole socket read: not kept past the answer (see above).
    this.chunks.length = 0;
    this.resolve(result);
  }

  private async outcome(): Promise<CallResult> {
    const headers = this.headers;
    // Trailers-only answers carry grpc-status in the response headers.
    const status = this.trailers?.['grpc-status'] ?? headers?.['grpc-status'];
    if (status !== undefined) return this.statusResult(Number(status), this.trailers ?? headers ?? {});
    const httpStatus = Number(headers?.[':status'] ?? 0);
    if (headers !== undefined && httpStatus !== 200) return httpStatusFailure(httpStatus, this.req.authority);
    if (this.error !== undefined) return streamFailure(this.error);
    // Typed as number, but undefined until the stream is reset.
    const rst = this.stream.rstCode as number | undefined;
    if (rst !== undefined && rst !== h2.NGHTTP2_NO_ERROR) return rstStreamFailure(rst);
    return { code: GrpcStatus.INTERNAL, message: 'the server ended the call without a grpc-status' };
  }

  private async statusResult(code: number, meta: IncomingHttpHeaders): Promise<CallResult> {
    const rawMessage = meta['grpc-message'];
    const message = typeof rawMessage === 'string' ? decodeGrpcMessage(rawMessage) : '';
    if (code !== GrpcStatus.OK) return withRetryInfo(code, message, meta['grpc-status-details-bin']);
    return this.decodeResponse();
  }

  private async decodeResponse(): Promise<CallResult> {
    const body = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
    if (body.length === 0) return { code: GrpcStatus.OK, message: '', response: body };
    const unframed = unframeUnary(body, this.req.maxResponseBytes);
    if (!unframed.ok) return { code: GrpcStatus.INTERNAL, message: `malformed gRPC response body (${unframed.error})` };
    if (!unframed.compressed) return { code: GrpcStatus.OK, message: '', response: unframed.message };
    if (this.headers?.['grpc-encoding'] !== 'gzip')
      return { code: GrpcStatus.INTERNAL, message: 'compressed response with an unsupported grpc-encoding' };
    try {
      return { code: GrpcStatus.OK, message: '', response: await gunzipAsync(unframed.message) };
    } catch {
      return { code: GrpcStatus.INTERNAL, message: 'the gzip response could not be decompressed' };
    }
  }
}

function withRetryInfo(code: number, message: string, details: string | string[] | undefined): CallResult {
  if (typeof details !== 'string' || details === '') return { code, message };
  const retryAfterMs = decodeRetryAfterMs(Buffer.from(details, 'base64'));
  return retryAfterMs === undefined ? { code, message } : { code, message, retryAfterMs };
}
