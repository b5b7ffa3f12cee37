// Hot path: see bench/load (every gRPC call's message passes here).
// The message of one unary call: read it within the receiver's byte budget and body timeout, refuse it
// with the catalogue's status when it is too large, malformed, late or over budget, decompress it, and give
// its bytes back to the budget once it is handed on. Split from grpc-server-call.ts (one call's flow).
import type { IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import { ERRORS, type ErrorCode } from '../errors/catalogue.ts';
import { GrpcStatus } from '../errors/grpc-status.ts';
import { overBudgetMessage, type BodyBudget, type BudgetWait } from './byte-budget.ts';
import { decompress, grpcEncoding } from './compression.ts';
import { readUnaryBody, type BodyLimits, type BodyResult } from './grpc-server-body.ts';
import { sendTrailersOnly } from './grpc-server-reply.ts';
import type { DeflatePiece } from '../contracts/payload.ts';

/** What reading a message needs from the server. */
export interface MessageContext {
  readonly maxRecvMsgBytes: number;
  /** Hears every call refused before its handler (for counting and debug logs). */
  readonly onReject: (path: string, code: number, message: string) => void;
  /** The receiver's budget of request bytes held in memory; unbounded when absent. */
  readonly budget?: BodyBudget | undefined;
  /** How long a call's message may take to arrive once its body is read (slow clients); none when 0. */
  readonly readTimeoutMs?: number | undefined;
}

/** The request message, decompressed, and its gzip deflate data as a piece when it can be passed on (Payload.deflatePieces). */
export interface ReadMessage {
  readonly message: Buffer;
  readonly deflatePiece?: DeflatePiece | undefined;
}

/** Reads and decompresses the request message; undefined after answering a bad or gone call. */
export async function readMessage(
  stream: ServerHttp2Stream,
  headers: IncomingHttpHeaders,
  path: string,
  ctx: MessageContext,
  deadlineAt: number | undefined,
): Promise<ReadMessage | undefined> {
  const max = ctx.maxRecvMsgBytes;
  const body: BodyResult = await readUnaryBody(stream, max, bodyLimits(ctx, deadlineAt));
  if (!body.ok) {
    refuseBody(stream, ctx, path, body);
    return undefined;
  }
  try {
    return await decompressMessage(stream, headers, path, ctx, body);
  } finally {
    // The compressed message is dropped from here on: its bytes go back to the budget.
    if (body.heldBytes > 0) ctx.budget?.budget.release(body.heldBytes);
  }
}

function bodyLimits(ctx: MessageContext, deadlineAt: number | undefined): BodyLimits | undefined {
  const budget = ctx.budget;
  // A call whose own deadline comes first needs no body timer of ours: the deadline ends it (and its read).
  const timeoutMs = ctx.readTimeoutMs ?? 0;
  const readTimeoutMs =
    timeoutMs > 0 && (deadlineAt === undefined || deadlineAt - performance.now() > timeoutMs) ? timeoutMs : undefined;
  if (budget === undefined && readTimeoutMs === undefined) return undefined;
  const waitMs =
    budget === undefined || deadlineAt === undefined
      ? undefined
      : () => Math.min(budget.maxWaitMs, beforeDeadline(deadlineAt - performance.now()));
  return { budget, waitMs, readTimeoutMs };
}

/** The wait allowed before a deadline `ms` away: a tenth (20 ms to 1 s) is kept to answer with retry advice. */
function beforeDeadline(ms: number): number {
  return ms - Math.min(1000, Math.max(20, ms / 10));
}

function refuseBody(
  stream: ServerHttp2Stream,
  ctx: MessageContext,
  path: string,
  body: Exclude<BodyResult, { ok: true }>,
): void {
  const max = ctx.maxRecvMsgBytes;
  if (body.kind === 'too-large') {
    reject(
      stream,
      ctx,
      path,
      'TG_OTLP_TOO_LARGE',
      `grpc: received message larger than max (${body.declared} vs. ${max})`,
    );
  } else if (body.kind === 'protocol') {
    reject(stream, ctx, path, 'TG_GRPC_PROTOCOL', body.message);
  } else if (body.kind === 'timeout') {
    const ms = ctx.readTimeoutMs ?? 0;
    reject(stream, ctx, path, 'TG_BODY_TIMEOUT', `the request message did not arrive within ${ms} ms`);
  } else if (body.kind === 'over-budget') {
    refuseOverBudget(stream, ctx, body.outcome);
  } else if (!stream.headersSent) {
    ctx.onReject(path, GrpcStatus.CANCELLED, 'client went away before sending the whole request');
  }
}

/** Answers a call that found no room in the receiver's byte budget: UNAVAILABLE with RetryInfo, counted. */
function refuseOverBudget(stream: ServerHttp2Stream, ctx: MessageContext, outcome: BudgetWait): void {
  const budget = ctx.budget;
  if (budget === undefined || outcome === 'gone') return;
  budget.onRefused();
  const message = overBudgetMessage(outcome, budget.budget, budget.maxWaitMs);
  sendTrailersOnly(stream, ERRORS.TG_RECEIVER_OVER_BUDGET.grpc, message, budget.retryAfterMs);
}

async function decompressMessage(
  stream: ServerHttp2Stream,
  headers: IncomingHttpHeaders,
  path: string,
  ctx: MessageContext,
  body: Extract<BodyResult, { ok: true }>,
): Promise<ReadMessage | undefined> {
  if (!body.compressed) return { message: body.message };
  const max = ctx.maxRecvMsgBytes;
  const encoding = grpcEncoding(headers['grpc-encoding']);
  if (encoding === undefined || encoding === 'identity') {
    reject(stream, ctx, path, 'TG_GRPC_PROTOCOL', 'grpc: compressed flag set with identity or empty encoding');
    return undefined;
  }
  const out = await decompress(encoding, body.message, max);
  if (out.ok) return { message: out.bytes, deflatePiece: out.deflatePiece };
  if (out.error === 'too-large') {
    reject(
      stream,
      ctx,
      path,
      'TG_OTLP_TOO_LARGE',
      `grpc: received message after decompression larger than max (${max})`,
    );
  } else {
    reject(stream, ctx, path, 'TG_GRPC_PROTOCOL', `grpc: failed to decompress the received message: ${out.message}`);
  }
  return undefined;
}

/** Answers a refused call with the status the catalogue gives `error`; the HTTP status only when `isHttpAnswer`. */
export function reject(
  stream: ServerHttp2Stream,
  ctx: Pick<MessageContext, 'onReject'>,
  path: string,
  error: ErrorCode,
  message: string,
  extra?: Readonly<Record<string, string>>,
  isHttpAnswer = false,
): void {
  if (stream.destroyed || stream.headersSent) return;
  const spec = ERRORS[error];
  ctx.onReject(path, spec.grpc, message);
  sendTrailersOnly(stream, spec.grpc, message, undefined, extra, isHttpAnswer ? spec.http : undefined);
}
