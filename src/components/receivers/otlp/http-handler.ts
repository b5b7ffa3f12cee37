// Hot path: see bench/load (every OTLP/HTTP request).
// OTLP/HTTP (https://opentelemetry.io/docs/specs/otlp/#otlphttp) as Go's otlpreceiver serves it: POST
// on the signal paths, protobuf or JSON by Content-Type, optional gzip/zlib/deflate, bounded bodies,
// and answers (Export*ServiceResponse or google.rpc.Status) in the request's own format.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DeflatePiece, RequestContext } from '../../../contracts/payload.ts';
import { ERRORS } from '../../../errors/catalogue.ts';
import { decompress, parseEncoding, unsupportedEncodingMessage } from '../../../transport/compression.ts';
import { overBudgetMessage, type BodyBudget } from '../../../transport/byte-budget.ts';
import { discardRest, readBody, type BodyRead } from '../../../transport/http-server-body.ts';
import { untilClosed } from '../../../transport/until-closed.ts';
import {
  CONTENT_TYPES,
  writeBody,
  writeStatus,
  writeText,
  type BodyFormat,
} from '../../../transport/http-server-response.ts';
import { waitAgain, type Backpressure } from './backpressure.ts';
import type { RequestCounters } from './counters.ts';
import type { ExportResult, SignalExport } from './export.ts';
import { encodeExportResponse, exportResponseJson, jsonToProtobuf } from './responses.ts';
import { errorMessage } from '../../../errors/thrown.ts';

/** What the handler needs from the receiver. */
export interface OtlpHttpOptions {
  /** URL path → the signal's export. */
  readonly routes: ReadonlyMap<string, SignalExport>;
  readonly maxBodyBytes: number;
  /** `compression_algorithms` as configured ("" = none). */
  readonly compressionAlgorithms: readonly string[];
  readonly includeMetadata: boolean;
  /** Headers never copied into metadata (credentials). */
  readonly credentialHeaders: ReadonlySet<string>;
  readonly requests: RequestCounters;
  /** Waits for room in a full pipeline before the body is read (DESIGN.md §4b); never waits when absent. */
  readonly backpressure?: Backpressure | undefined;
  /** The receiver's budget of request bytes held in memory; unbounded when absent. */
  readonly budget?: BodyBudget | undefined;
}

/** Serves one request; `auth` is the identity an authenticator verified, when the protocol has one. */
export type OtlpHttpHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  auth?: Readonly<Record<string, string>>,
) => Promise<void>;

const UNSUPPORTED_MEDIA = `${ERRORS.TG_OTLP_UNSUPPORTED_MEDIA_TYPE.http} unsupported media type, supported: [${CONTENT_TYPES.json}, ${CONTENT_TYPES.proto}]`;

const NOT_FOUND = ERRORS.TG_UNIMPLEMENTED.http;
const NOT_ALLOWED = ERRORS.TG_METHOD_NOT_ALLOWED.http;
const ALLOW = Object.freeze({ Allow: 'POST' });

/** Serves OTLP/HTTP requests; returns the HttpHandler for the transport's HttpServer. */
export function otlpHttpHandler(opts: OtlpHttpOptions): OtlpHttpHandler {
  const accepted = new Set(opts.compressionAlgorithms.map((a) => (a === '' ? 'identity' : a)));
  accepted.add('identity');
  return async (req, res, auth) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const exp = opts.routes.get(q < 0 ? url : url.slice(0, q));
    if (exp === undefined) return invalid(opts, req, res, NOT_FOUND, `${NOT_FOUND} page not found`);
    if (req.method !== 'POST')
      return invalid(opts, req, res, NOT_ALLOWED, `${NOT_ALLOWED} method not allowed, supported: [POST]`, ALLOW);
    const format = formatOf(req.headers['content-type']);
    if (format === undefined)
      return invalid(opts, req, res, ERRORS.TG_OTLP_UNSUPPORTED_MEDIA_TYPE.http, UNSUPPORTED_MEDIA);
    const bp = opts.backpressure;
    const startedMs = performance.now();
    if (bp !== undefined && !bp.hasRoom(exp.room) && !(await waitForRoom(req, res, format, exp, bp, opts.maxBodyBytes)))
      return;
    const request = await requestBytes(req, res, format, exp, accepted, opts);
    if (request === undefined) return;
    const result = await exp.export(
      request.bytes,
      requestContext(req, opts.includeMetadata ? opts.credentialHeaders : undefined, auth),
      bp === undefined ? undefined : waitAgain(bp, exp.room, startedMs, undefined),
      request.deflatePiece,
    );
    respond(res, format, exp, result);
  };
}

/**
 * Waits for room before the body is read: meanwhile TCP flow control holds the client back. A refusal is
 * answered 503 with Retry-After, and the unread body is dropped unparsed. False when the request was answered.
 */
async function waitForRoom(
  req: IncomingMessage,
  res: ServerResponse,
  format: BodyFormat,
  exp: SignalExport,
  bp: Backpressure,
  maxBytes: number,
): Promise<boolean> {
  const admission = await untilClosed(res, (signal) => bp.admit(exp.room, undefined, signal));
  if (admission === true) return true;
  writeStatus(res, admission.httpStatus, format, admission.code, admission.message, admission.retryAfterMs);
  discardRest(req, maxBytes);
  return false;
}

/** Go answers a wrong path, method or media type in plain text, before any body is read. */
function invalid(
  opts: OtlpHttpOptions,
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  text: string,
  extra?: Readonly<Record<string, string>>,
): Promise<void> {
  opts.requests.invalid.add(1);
  writeText(res, status, text, extra);
  discardRest(req, opts.maxBodyBytes);
  return Promise.resolve();
}

/** `application/x-protobuf` or `application/json` (parameters such as charset allowed), else undefined. */
export function formatOf(contentType: string | undefined): BodyFormat | undefined {
  if (contentType === undefined) return undefined;
  const semi = contentType.indexOf(';');
  const type = (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  return type === CONTENT_TYPES.proto ? 'proto' : type === CONTENT_TYPES.json ? 'json' : undefined;
}

/** A request as protobuf bytes, and its gzip deflate data as a piece when it can be passed on (Payload.deflatePieces). */
interface RequestBytes {
  readonly bytes: Buffer;
  readonly deflatePiece?: DeflatePiece | undefined;
}

/** The request as protobuf bytes, or undefined after answering why not. */
async function requestBytes(
  req: IncomingMessage,
  res: ServerResponse,
  format: BodyFormat,
  exp: SignalExport,
  accepted: ReadonlySet<string>,
  opts: OtlpHttpOptions,
): Promise<RequestBytes | undefined> {
  const maxBytes = opts.maxBodyBytes;
  // Only error paths need the context (for the debug log), so it is built lazily.
  const context = (): RequestContext => requestContext(req, undefined, undefined);
  const header = req.headers['content-encoding'] ?? '';
  const encoding = parseEncoding(header);
  if (encoding === undefined || !accepted.has(encoding === 'identity' ? 'identity' : header.trim().toLowerCase())) {
    refuse(
      res,
      format,
      exp.invalid(
        unsupportedEncodingMessage(
          header,
          [...accepted].filter((a) => parseEncoding(a) !== undefined),
        ),
        context(),
        'TG_OTLP_UNSUPPORTED_ENCODING',
      ),
    );
    discardRest(req, maxBytes);
    return undefined;
  }
  const read = await readBody(req, maxBytes, opts.budget);
  if (!read.ok) {
    refuseBody(req, res, format, exp, opts, read);
    return undefined;
  }
  try {
    return await decodeBody(res, format, exp, encoding, read.body, maxBytes, context);
  } finally {
    // The request bytes (compressed or not) are dropped or converted from here on: back to the budget.
    if (read.heldBytes > 0) opts.budget?.budget.release(read.heldBytes);
  }
}

function refuseBody(
  req: IncomingMessage,
  res: ServerResponse,
  format: BodyFormat,
  exp: SignalExport,
  opts: OtlpHttpOptions,
  read: Exclude<BodyRead, { ok: true }>,
): void {
  const maxBytes = opts.maxBodyBytes;
  if (read.error === 'too-large') {
    const message = `request body is larger than max_request_body_size (${maxBytes} bytes)`;
    refuse(res, format, exp.invalid(message, requestContext(req, undefined, undefined), 'TG_OTLP_TOO_LARGE'));
    discardRest(req, maxBytes);
  } else if (read.error === 'over-budget' && read.outcome !== 'gone' && opts.budget !== undefined) {
    const budget = opts.budget;
    budget.onRefused();
    const { http, grpc } = ERRORS.TG_RECEIVER_OVER_BUDGET;
    const message = overBudgetMessage(read.outcome, budget.budget, budget.maxWaitMs);
    writeStatus(res, http, format, grpc, message, budget.retryAfterMs);
    discardRest(req, maxBytes);
  }
}

async function decodeBody(
  res: ServerResponse,
  format: BodyFormat,
  exp: SignalExport,
  encoding: NonNullable<ReturnType<typeof parseEncoding>>,
  body: Buffer,
  maxBytes: number,
  context: () => RequestContext,
): Promise<RequestBytes | undefined> {
  const out = await decompress(encoding, body, maxBytes);
  if (!out.ok) {
    refuse(
      res,
      format,
      exp.invalid(out.message, context(), out.error === 'too-large' ? 'TG_OTLP_TOO_LARGE' : 'TG_OTLP_BAD_ENCODING'),
    );
    return undefined;
  }
  if (format === 'proto') return { bytes: out.bytes, deflatePiece: out.deflatePiece };
  try {
    return { bytes: jsonToProtobuf(exp.signal, out.bytes) };
  } catch (err) {
    refuse(res, format, exp.invalid(`invalid OTLP/JSON: ${errorMessage(err)}`, context(), 'TG_OTLP_MALFORMED'));
    return undefined;
  }
}

function refuse(res: ServerResponse, format: BodyFormat, result: ExportResult): void {
  if (!result.ok) writeStatus(res, result.httpStatus, format, result.code, result.message);
}

function respond(res: ServerResponse, format: BodyFormat, exp: SignalExport, result: ExportResult): void {
  if (!result.ok) {
    writeStatus(res, result.httpStatus, format, result.code, result.message, result.retryAfterMs);
    return;
  }
  const body =
    format === 'proto'
      ? encodeExportResponse(exp.signal, result.partial)
      : exportResponseJson(exp.signal, result.partial);
  writeBody(res, 200, CONTENT_TYPES[format], body);
}

/** The client's `host:port` as the context carries it. */
export function clientAddressOf(req: IncomingMessage): string | undefined {
  const socket = req.socket;
  const host = socket.remoteAddress;
  if (host === undefined) return undefined;
  return host.includes(':') ? `[${host}]:${socket.remotePort ?? 0}` : `${host}:${socket.remotePort ?? 0}`;
}

/** The payload context; metadata (credential headers left out) only when `dropFromMetadata` is given. */
function requestContext(
  req: IncomingMessage,
  dropFromMetadata: ReadonlySet<string> | undefined,
  auth: Readonly<Record<string, string>> | undefined,
): RequestContext {
  const clientAddress = clientAddressOf(req);
  const metadata =
    dropFromMetadata === undefined
      ? undefined
      : new Map<string, readonly string[]>(
          Object.entries(req.headersDistinct).filter(
            (e): e is [string, string[]] => e[1] !== undefined && !dropFromMetadata.has(e[0]),
          ),
        );
  return {
    ...(clientAddress === undefined ? {} : { clientAddress }),
    ...(auth === undefined ? {} : { auth }),
    ...(metadata === undefined ? {} : { metadata }),
  };
}
