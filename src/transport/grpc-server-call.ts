// Hot path: see bench/load (every gRPC call runs through here).
// One unary gRPC call on a node:http2 stream: check method, content-type, path and grpc-encoding the
// way grpc-go does, authenticate from the headers alone (the body is not read before an answer),
// read the bounded body and decompress it (grpc-server-message.ts), run the handler under grpc-timeout, reply.
import type { IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import { ERRORS } from '../errors/catalogue.ts';
import { GrpcStatus } from '../errors/grpc-status.ts';
import { grpcEncoding } from './compression.ts';
import type { BodyBudget } from './byte-budget.ts';
import { readMessage, reject } from './grpc-server-message.ts';
import { untilClosed } from './until-closed.ts';
import { GRPC_ACCEPT_ENCODING, parseGrpcTimeout, sendMessage, sendTrailersOnly } from './grpc-server-reply.ts';
import { errorMessage } from '../errors/thrown.ts';
import type { DeflatePiece } from '../contracts/payload.ts';

/** What a handler gets: the request message (decompressed), its headers and the peer. */
export interface GrpcCall {
  readonly path: string;
  readonly message: Buffer;
  /** The gzip message's deflate data as a piece, when it can be passed on as it is (Payload.deflatePieces). */
  readonly deflatePiece?: DeflatePiece | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly clientAddress: string | undefined;
  /** What the authenticator verified; undefined when the server has none. */
  readonly auth?: Readonly<Record<string, string>> | undefined;
  /** When the call started (performance.now()) and its grpc-timeout in ms (undefined without one). */
  readonly startedMs?: number;
  readonly timeoutMs?: number | undefined;
}

/** A call's authentication, decided from its headers before any byte of its body is read. */
export type GrpcAuthOutcome =
  | { readonly ok: true; readonly auth: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly code: number; readonly message: string; readonly retryAfterMs?: number | undefined };

/** Authenticates a call. It should not throw; a throw is answered with INTERNAL. */
export type GrpcAuthenticate = (
  headers: IncomingHttpHeaders,
  clientAddress: string | undefined,
) => GrpcAuthOutcome | Promise<GrpcAuthOutcome>;

/** A handler's answer: OK with a response message, or an error status (with RetryInfo when retryAfterMs is set). */
export type GrpcReply =
  | { readonly code: 0; readonly response: Buffer }
  | { readonly code: number; readonly message: string; readonly retryAfterMs?: number | undefined };

/** Serves one method. It never throws by contract; a throw is answered with INTERNAL anyway. */
export type GrpcHandler = (call: GrpcCall) => Promise<GrpcReply>;

/** A call refused before its body is read because its pipeline has no room (sent with RetryInfo). */
export interface GrpcRefusal {
  readonly code: number;
  readonly message: string;
  readonly retryAfterMs: number;
}

/** Lets calls in only when their method's pipeline has room (DESIGN.md §4b). */
export interface GrpcAdmit {
  /** True when the pipeline of `path` has room now: cheap, asked once per call. */
  hasRoom(path: string): boolean;
  /**
   * Waits for room, at most `deadlineMs` (the time left of the call's grpc-timeout, undefined without one)
   * and its own bound, or until `signal` aborts (the client left). `true` admits the call; a refusal
   * answers it, its body unread. Counting the refusal is its own job.
   */
  wait(path: string, deadlineMs: number | undefined, signal: AbortSignal): Promise<true | GrpcRefusal>;
}

/** Why a call was refused before reaching its handler (for counting and debug logs). */
export type GrpcRejectListener = (path: string, code: number, message: string) => void;

/** What the server gives each call. */
export interface CallContext {
  readonly methods: ReadonlyMap<string, GrpcHandler>;
  readonly services: ReadonlySet<string>;
  readonly maxRecvMsgBytes: number;
  readonly onReject: GrpcRejectListener;
  /** Runs after the method checks and before the body is read; refusals are its own to count. */
  readonly authenticate?: GrpcAuthenticate | undefined;
  /** Runs after authentication and before the body is read (DESIGN.md §4b). */
  readonly admit?: GrpcAdmit | undefined;
  /** The receiver's budget of request bytes held in memory; unbounded when absent. */
  readonly budget?: BodyBudget | undefined;
  /** How long a call's message may take to arrive once its body is read (slow clients); none when 0. */
  readonly readTimeoutMs?: number | undefined;
}

const GRPC_CONTENT_TYPE = /^application\/grpc(\+proto)?(;|$)/;
// setTimeout runs a longer delay after 1 ms: a grpc-timeout past this (about 24.8 days) is no deadline at all.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Serves `stream`; resolves when the reply is written (or the client has gone). */
export async function serveCall(
  stream: ServerHttp2Stream,
  headers: IncomingHttpHeaders,
  ctx: CallContext,
): Promise<void> {
  const path = headers[':path'] ?? '';
  const handler = precheck(stream, headers, path, ctx);
  if (handler === undefined) return;
  const timeoutMs = parseGrpcTimeout(headers['grpc-timeout']);
  const startedMs = performance.now();
  const timer =
    timeoutMs === undefined || timeoutMs > MAX_TIMER_MS
      ? undefined
      : setTimeout(() => {
          reject(stream, ctx, path, 'TG_DEADLINE_EXCEEDED', 'context deadline exceeded');
        }, timeoutMs);
  try {
    const clientAddress = peerOf(stream);
    let auth: Readonly<Record<string, string>> | undefined;
    if (ctx.authenticate !== undefined) {
      auth = await authenticateCall(stream, headers, clientAddress, ctx.authenticate);
      if (auth === undefined || stream.headersSent) return;
    }
    if (ctx.admit !== undefined && !ctx.admit.hasRoom(path)) {
      const left = timeoutMs === undefined ? undefined : startedMs + timeoutMs - performance.now();
      if (!(await waitForRoom(stream, path, left, ctx.admit))) return;
    }
    const deadlineAt = timeoutMs === undefined ? undefined : startedMs + timeoutMs;
    const read = await readMessage(stream, headers, path, ctx, deadlineAt);
    if (read === undefined || stream.headersSent) return;
    const { message, deflatePiece } = read;
    const reply = await runHandler(handler, {
      path,
      message,
      deflatePiece,
      headers,
      clientAddress,
      auth,
      startedMs,
      timeoutMs,
    });
    if (reply.code === GrpcStatus.OK && 'response' in reply) sendMessage(stream, reply.response);
    else if ('message' in reply) sendTrailersOnly(stream, reply.code, reply.message, reply.retryAfterMs);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/** The handler for this call, or undefined after answering an invalid call. */
function precheck(
  stream: ServerHttp2Stream,
  headers: IncomingHttpHeaders,
  path: string,
  ctx: CallContext,
): GrpcHandler | undefined {
  const method = headers[':method'];
  // Until method and content-type say this is a gRPC call, the refusal's HTTP status is the answer.
  if (method !== 'POST') {
    const message = `Received a HEADERS frame with :method "${method ?? ''}" which should be POST`;
    reject(stream, ctx, path, 'TG_METHOD_NOT_ALLOWED', message, undefined, true);
    return undefined;
  }
  const contentType = headers['content-type'] ?? '';
  if (!GRPC_CONTENT_TYPE.test(contentType)) {
    const message = `invalid gRPC request content-type "${contentType}"`;
    reject(stream, ctx, path, 'TG_OTLP_UNSUPPORTED_MEDIA_TYPE', message, undefined, true);
    return undefined;
  }
  const handler = ctx.methods.get(path);
  if (handler === undefined) {
    reject(stream, ctx, path, 'TG_UNIMPLEMENTED', unknownMethodMessage(path, ctx.services));
    return undefined;
  }
  const encoding = headers['grpc-encoding'];
  if (grpcEncoding(encoding) === undefined) {
    const message = `grpc: Decompressor is not installed for grpc-encoding "${String(encoding)}"`;
    reject(stream, ctx, path, 'TG_OTLP_UNSUPPORTED_ENCODING', message, {
      'grpc-accept-encoding': GRPC_ACCEPT_ENCODING,
    });
    return undefined;
  }
  return handler;
}

/** grpc-go's wording for an unregistered service or method. */
export function unknownMethodMessage(path: string, services: ReadonlySet<string>): string {
  const slash = path.lastIndexOf('/');
  const service = path.slice(1, Math.max(1, slash));
  const method = path.slice(slash + 1);
  if (slash <= 0 || !services.has(service)) return `unknown service ${service === '' ? path : service}`;
  return `unknown method ${method} for service ${service}`;
}

/**
 * The verified identity, or undefined after answering a refusal. The DATA frames stay unread: the
 * refusal resets the stream (NO_ERROR) so whatever the client sent is discarded, never parsed.
 */
async function authenticateCall(
  stream: ServerHttp2Stream,
  headers: IncomingHttpHeaders,
  clientAddress: string | undefined,
  authenticate: GrpcAuthenticate,
): Promise<Readonly<Record<string, string>> | undefined> {
  let outcome: GrpcAuthOutcome;
  try {
    outcome = await authenticate(headers, clientAddress);
  } catch {
    outcome = { ok: false, code: ERRORS.TG_AUTH_FAILED.grpc, message: 'internal error: the authenticator failed' };
  }
  if (outcome.ok) return outcome.auth;
  sendTrailersOnly(stream, outcome.code, outcome.message, outcome.retryAfterMs);
  return undefined;
}

/**
 * Whether the call may go on. While it waits nothing of its body is read, so HTTP/2 flow control holds the
 * client back; a refusal resets the stream (NO_ERROR) and what the client sent is discarded unparsed.
 */
async function waitForRoom(
  stream: ServerHttp2Stream,
  path: string,
  deadlineMs: number | undefined,
  admit: GrpcAdmit,
): Promise<boolean> {
  const outcome = await untilClosed(stream, (signal) => admit.wait(path, deadlineMs, signal));
  if (outcome === true) return !stream.destroyed && !stream.headersSent;
  sendTrailersOnly(stream, outcome.code, outcome.message, outcome.retryAfterMs);
  return false;
}

async function runHandler(handler: GrpcHandler, call: GrpcCall): Promise<GrpcReply> {
  try {
    return await handler(call);
  } catch (err) {
    return {
      code: ERRORS.TG_INTERNAL.grpc,
      message: `internal error: ${errorMessage(err)}`,
    };
  }
}

function peerOf(stream: ServerHttp2Stream): string | undefined {
  const socket = stream.session?.socket;
  const host = socket?.remoteAddress;
  if (host === undefined) return undefined;
  return host.includes(':') ? `[${host}]:${socket?.remotePort ?? 0}` : `${host}:${socket?.remotePort ?? 0}`;
}
