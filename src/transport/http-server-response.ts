// Writing OTLP/HTTP responses (https://opentelemetry.io/docs/specs/otlp/#otlphttp-response): bodies in
// the request's format (protobuf or JSON), errors as google.rpc.Status, and Retry-After on 429/503
// when the server knows how long the client should wait (as Go's otlpreceiver does).
import type { ServerResponse } from 'node:http';
import { encodeStatusDetails, statusDetailsJson } from './grpc-status-details.ts';

/** The wire format of a request, and so of its response. */
export type BodyFormat = 'proto' | 'json';

/** Content-Type of each format. */
export const CONTENT_TYPES: Readonly<Record<BodyFormat, string>> = {
  proto: 'application/x-protobuf',
  json: 'application/json',
};

/** Writes a complete response. */
export function writeBody(
  res: ServerResponse,
  httpStatus: number,
  contentType: string,
  body: Buffer | string,
  extra?: Readonly<Record<string, string>>,
): void {
  if (res.headersSent) return;
  res.statusCode = httpStatus;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', typeof body === 'string' ? Buffer.byteLength(body) : body.length);
  if (extra !== undefined) for (const [k, v] of Object.entries(extra)) res.setHeader(k, v);
  res.end(body);
}

/** An error as google.rpc.Status in `format`, with Retry-After (whole seconds, rounded up) on 429/503. */
export function writeStatus(
  res: ServerResponse,
  httpStatus: number,
  format: BodyFormat,
  code: number,
  message: string,
  retryAfterMs?: number,
): void {
  const body =
    format === 'proto'
      ? encodeStatusDetails(code, message, retryAfterMs)
      : statusDetailsJson(code, message, retryAfterMs);
  // Go floors the delay to seconds; rounding up keeps a sub-second delay from becoming "retry now".
  const retry =
    retryAfterMs !== undefined && (httpStatus === 429 || httpStatus === 503)
      ? { 'Retry-After': String(Math.ceil(retryAfterMs / 1000)) }
      : undefined;
  writeBody(res, httpStatus, CONTENT_TYPES[format], body, retry);
}

/** A plain-text response (Go's otlpreceiver answers 404/405/415 this way). */
export function writeText(
  res: ServerResponse,
  httpStatus: number,
  text: string,
  extra?: Readonly<Record<string, string>>,
): void {
  writeBody(res, httpStatus, 'text/plain; charset=utf-8', text, extra);
}
