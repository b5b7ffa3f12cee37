// How the gRPC client turns transport failures into gRPC statuses, as grpc-go / grpc-js do: connection
// and TLS failures are UNAVAILABLE, HTTP statuses follow grpc's http-grpc-status-mapping.md, RST_STREAM
// codes follow grpc-js. Messages say what to do; they never include header values.
import { constants as h2 } from 'node:http2';
import { grpcStatusOfGrpcHttp } from '../errors/grpc-http-status.ts';
import { GrpcStatus } from '../errors/grpc-status.ts';
import { errorMessage } from '../errors/thrown.ts';
import { CERT_CODES, certificateHint } from './tls-failure-hint.ts';

/** A failed call or connection attempt as a gRPC status. */
export interface CallFailure {
  readonly code: number;
  readonly message: string;
}

/** Said when a TLS client meets a plaintext server (Go users hit this constantly). */
export const PLAINTEXT_SERVER_HINT = 'the server did not speak TLS; set tls.insecure: true for a plaintext endpoint';
/** Said when a plaintext client meets a server that closes the connection at once (usually a TLS server). */
export const TLS_SERVER_HINT =
  'the server closed the connection before answering over HTTP/2; if it expects TLS, remove tls.insecure (or use https://)';

// OpenSSL reasons seen when the peer's first bytes are not a TLS record (an HTTP/2 preface or GOAWAY).
const NOT_TLS = [
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
  'ERR_SSL_HTTP_REQUEST',
  'ERR_SSL_RECORD_LAYER_FAILURE',
];
function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** Maps a socket / TLS / HTTP/2 session error to UNAVAILABLE with a message naming the cause. */
export function connectionFailure(
  err: unknown,
  authority: string,
  usingTls: boolean,
  handshakeDone: boolean,
): CallFailure {
  const code = errorCode(err);
  const reason = `${errorMessage(err)}${code !== '' && !errorMessage(err).includes(code) ? ` (${code})` : ''}`;
  const unavailable = (message: string): CallFailure => ({ code: GrpcStatus.UNAVAILABLE, message });
  if (
    usingTls &&
    !handshakeDone &&
    (NOT_TLS.includes(code) || /wrong version number|packet length too long/i.test(reason))
  ) {
    return unavailable(`TLS handshake with ${authority} failed: ${PLAINTEXT_SERVER_HINT}`);
  }
  if (CERT_CODES.has(code)) {
    return unavailable(
      `TLS handshake with ${authority} failed: the server certificate was not accepted: ${reason}; ${certificateHint(code, err)}`,
    );
  }
  if (usingTls && !handshakeDone && (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS'))) {
    return unavailable(`TLS handshake with ${authority} failed: ${reason}`);
  }
  if (code === 'ECONNREFUSED')
    return unavailable(`connection refused by ${authority}: is the server running and listening there?`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return unavailable(`cannot resolve the host of ${authority}: ${reason}`);
  if (usingTls && !handshakeDone && (code === 'ECONNRESET' || code === 'ERR_HTTP2_SESSION_ERROR')) {
    return unavailable(`TLS handshake with ${authority} failed: the connection was reset; ${PLAINTEXT_SERVER_HINT}`);
  }
  if (
    !usingTls &&
    !handshakeDone &&
    (code === 'ECONNRESET' || code === 'ERR_HTTP2_SESSION_ERROR' || code === 'ERR_HTTP2_ERROR')
  ) {
    return unavailable(`connection to ${authority} failed: ${TLS_SERVER_HINT}`);
  }
  return unavailable(`connection to ${authority} failed: ${reason}`);
}

/** A non-200 HTTP answer without grpc-status, as grpc maps it. */
export function httpStatusFailure(status: number, authority: string): CallFailure {
  return {
    code: grpcStatusOfGrpcHttp(status),
    message: `${authority} answered HTTP status ${status} instead of a gRPC response (is this an OTLP/gRPC endpoint?)`,
  };
}

/** A stream reset by the peer (RST_STREAM) without a gRPC status, mapped as grpc-js does. */
export function rstStreamFailure(rstCode: number): CallFailure {
  switch (rstCode) {
    case h2.NGHTTP2_REFUSED_STREAM:
      return {
        code: GrpcStatus.UNAVAILABLE,
        message: 'the server refused the stream (RST_STREAM REFUSED_STREAM); it was not processed',
      };
    case h2.NGHTTP2_CANCEL:
      return { code: GrpcStatus.CANCELLED, message: 'the call was cancelled (RST_STREAM CANCEL)' };
    case h2.NGHTTP2_ENHANCE_YOUR_CALM:
      return {
        code: GrpcStatus.RESOURCE_EXHAUSTED,
        message: 'the server asked to slow down (RST_STREAM ENHANCE_YOUR_CALM)',
      };
    case h2.NGHTTP2_INADEQUATE_SECURITY:
      return {
        code: GrpcStatus.PERMISSION_DENIED,
        message: 'the server requires stronger transport security (RST_STREAM INADEQUATE_SECURITY)',
      };
    default:
      return { code: GrpcStatus.INTERNAL, message: `the server reset the stream (RST_STREAM code ${rstCode})` };
  }
}

/** A stream that ended through a session failure (GOAWAY, closed connection). */
export function streamFailure(err: unknown): CallFailure {
  const code = errorCode(err);
  if (code === 'ERR_HTTP2_GOAWAY_SESSION' || code === 'ERR_HTTP2_STREAM_CANCEL') {
    return { code: GrpcStatus.UNAVAILABLE, message: `the connection is going away (GOAWAY): ${errorMessage(err)}` };
  }
  return {
    code: GrpcStatus.UNAVAILABLE,
    message: `the connection failed during the call: ${errorMessage(err)}${code === '' ? '' : ` (${code})`}`,
  };
}

/** grpc-message is percent-encoded UTF-8 (PROTOCOL-HTTP2.md); bad escapes are kept as they are. */
export function decodeGrpcMessage(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
