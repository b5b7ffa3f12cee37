// Hot path: see bench/load (one reply per call).
// Writing gRPC replies on a node:http2 stream (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md):
// a success is HEADERS + one framed message + trailers; an error is a single "trailers-only" HEADERS
// frame carrying grpc-status, a percent-encoded grpc-message and, when retryable, RetryInfo details.
import { constants as h2, type ServerHttp2Stream } from 'node:http2';
import { ERRORS } from '../errors/catalogue.ts';
import { frameMessage } from './grpc-framing.ts';
import { encodeStatusDetails } from './grpc-status-details.ts';
import { grpcAcceptEncoding } from './compression.ts';

/** Encodings the server decodes, advertised in `grpc-accept-encoding` (zstd, snappy when this process has a codec). */
export const GRPC_ACCEPT_ENCODING = grpcAcceptEncoding();

const OK_TRAILERS = Object.freeze({ 'grpc-status': '0' });

/** Percent-encodes a status message as the gRPC spec requires (bytes outside 0x20–0x7E, and `%`). */
export function encodeGrpcMessage(message: string): string {
  // Fast path: most messages are plain ASCII without '%'.
  if (/^[\x20-\x24\x26-\x7e]*$/.test(message)) return message;
  let out = '';
  for (const byte of Buffer.from(message, 'utf8')) {
    out +=
      byte >= 0x20 && byte <= 0x7e && byte !== 0x25
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Decodes a percent-encoded grpc-message (for tests and clients). */
export function decodeGrpcMessage(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** An error as a trailers-only response; extra headers (e.g. grpc-accept-encoding) may be added. */
export function sendTrailersOnly(
  stream: ServerHttp2Stream,
  code: number,
  message: string,
  retryAfterMs?: number,
  extra?: Readonly<Record<string, string>>,
  httpStatus = 200,
): void {
  if (stream.destroyed || stream.closed || stream.headersSent) return;
  const headers: Record<string, string | number> = {
    ':status': httpStatus,
    'content-type': 'application/grpc',
    'grpc-status': String(code),
    'grpc-message': encodeGrpcMessage(message),
    ...extra,
  };
  if (retryAfterMs !== undefined) {
    // -bin metadata is base64; the spec asks senders to omit padding.
    headers['grpc-status-details-bin'] = encodeStatusDetails(code, message, retryAfterMs)
      .toString('base64')
      .replace(/=+$/, '');
  }
  stream.respond(headers, { endStream: true });
  closeUnreadStream(stream);
}

/** A successful unary reply carrying `response` (an already-encoded protobuf message). */
export function sendMessage(stream: ServerHttp2Stream, response: Buffer): void {
  // A client that reset the stream (went away) gets nothing.
  if (stream.destroyed || stream.closed || stream.headersSent) return;
  stream.respond(
    { ':status': 200, 'content-type': 'application/grpc', 'grpc-accept-encoding': GRPC_ACCEPT_ENCODING },
    { waitForTrailers: true },
  );
  stream.once('wantTrailers', () => {
    stream.sendTrailers(OK_TRAILERS);
  });
  stream.end(frameMessage(response, false));
}

/**
 * When we answer before the client finished sending (early reject), reset the stream with NO_ERROR
 * (RFC 9113 §8.1) so it stops sending and nothing unread stays buffered; the response goes first.
 */
function closeUnreadStream(stream: ServerHttp2Stream): void {
  if (!stream.readableEnded) stream.close(h2.NGHTTP2_NO_ERROR);
}

/** gRPC `grpc-timeout` (`<1-8 digits><H|M|S|m|u|n>`) in milliseconds; undefined when absent or invalid. */
export function parseGrpcTimeout(value: string | string[] | undefined): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d{1,8})([HMSmun])$/.exec(value);
  if (m === null) return undefined;
  const n = Number(m[1]);
  switch (m[2]) {
    case 'H':
      return n * 3_600_000;
    case 'M':
      return n * 60_000;
    case 'S':
      return n * 1000;
    case 'm':
      return n;
    case 'u':
      return Math.ceil(n / 1000);
    default:
      return Math.ceil(n / 1_000_000);
  }
}

/** UNAVAILABLE for calls that arrive while the server drains. */
export function sendShuttingDown(stream: ServerHttp2Stream): void {
  sendTrailersOnly(stream, ERRORS.TG_SHUTTING_DOWN.grpc, 'server is shutting down');
}
