// Writing API answers: JSON with its content type, gzip when the client accepts it and the body is
// large enough to gain, and Jaeger's error envelope.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { JaegerResponse } from '../jaeger/model.ts';

const gzipAsync = promisify(gzip);
/** Bodies smaller than this go uncompressed. */
const GZIP_MIN_BYTES = 1024;

/** Writes `body` as JSON with `status`. */
export async function writeJson(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: unknown,
): Promise<void> {
  let data = Buffer.from(JSON.stringify(body), 'utf8');
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Vary', 'Accept-Encoding');
  if (data.length >= GZIP_MIN_BYTES && /\bgzip\b/i.test(req.headers['accept-encoding'] ?? '')) {
    data = await gzipAsync(data);
    res.setHeader('Content-Encoding', 'gzip');
  }
  res.setHeader('Content-Length', data.length);
  res.end(req.method === 'HEAD' ? undefined : data);
}

/** Jaeger's `{data, total, limit, offset, errors}` for a successful answer. */
export function envelope<T>(data: T, total: number): JaegerResponse<T> {
  return { data, total, limit: 0, offset: 0, errors: null };
}

/** Jaeger's error body: `{data:null,total:0,limit:0,offset:0,errors:[{code,msg}]}`. */
export function errorEnvelope(code: number, msg: string): JaegerResponse<null> {
  return { data: null, total: 0, limit: 0, offset: 0, errors: [{ code, msg }] };
}

// The message of each error answer, for the error log written once the request is done.
const errorMessages = new WeakMap<ServerResponse, string>();

/** The message an error answer was given (undefined for a success). */
export function errorMessageOf(res: ServerResponse): string | undefined {
  return errorMessages.get(res);
}

/** Writes an error answer's `body`, remembering `msg` for the error log. */
export function writeErrorBody(
  req: IncomingMessage,
  res: ServerResponse,
  code: number,
  msg: string,
  body: unknown,
): Promise<void> {
  errorMessages.set(res, msg);
  return writeJson(req, res, code, body);
}

/** Answers with Jaeger's error body. */
export function writeError(req: IncomingMessage, res: ServerResponse, code: number, msg: string): Promise<void> {
  return writeErrorBody(req, res, code, msg, errorEnvelope(code, msg));
}

/** A bad query parameter: answered 400 with its message. */
export class ParamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParamError';
  }
}

/** A percent-encoded path segment, decoded; a malformed escape is a bad request, not a server error. */
export function pathSegment(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new ParamError(`malformed path segment ${JSON.stringify(text)}`);
  }
}
