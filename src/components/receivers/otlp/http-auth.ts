// Hot path: every OTLP/HTTP request of a protocol with `auth` (see bench/load).
// Authentication in front of the OTLP/HTTP handler, as Go's confighttp authInterceptor: before the
// path, method or body is looked at. A refusal is a google.rpc.Status in the request's format (401
// with WWW-Authenticate, 429 with Retry-After, 500); the body is drained up to a bound, never parsed.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { discardRest } from '../../../transport/http-server-body.ts';
import { writeStatus } from '../../../transport/http-server-response.ts';
import type { AuthCheck, AuthGate } from './auth-gate.ts';
import { clientAddressOf, formatOf, type OtlpHttpHandler } from './http-handler.ts';

/** How much of a refused body is read and dropped so the client can read the answer (Go's net/http: 256 KiB). */
export const REFUSED_BODY_DRAIN_BYTES = 256 * 1024;

/** Wraps `next` so that only authenticated requests reach it, with their identity. */
export function withHttpAuth(
  gate: AuthGate,
  next: OtlpHttpHandler,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const pending = gate.check(req.headers, clientAddressOf(req));
    const check = pending instanceof Promise ? await pending : pending;
    if (check.ok) return next(req, res, check.auth);
    refuse(req, res, check);
    return undefined;
  };
}

function refuse(req: IncomingMessage, res: ServerResponse, check: Exclude<AuthCheck, { ok: true }>): void {
  if (check.challenge !== undefined) res.setHeader('WWW-Authenticate', check.challenge);
  // A body larger than the drain bound is never read: the connection is closed after the answer.
  const declared = Number(req.headers['content-length'] ?? 0);
  if (!req.readableEnded && !(declared <= REFUSED_BODY_DRAIN_BYTES)) res.setHeader('Connection', 'close');
  // Go's otlpreceiver errorHandler: the Status in the request's format, JSON when it has none.
  const format = formatOf(req.headers['content-type']) ?? 'json';
  writeStatus(res, check.httpStatus, format, check.code, check.message, check.retryAfterMs);
  discardRest(req, REFUSED_BODY_DRAIN_BYTES);
}
