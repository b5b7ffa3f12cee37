// One OTLP/gRPC Export call made by hand over node:http2, keeping everything a diagnosis needs that a
// normal client throws away: the HTTP status, the content-type, the start of a non-gRPC body, and
// where a gRPC status came from. The connection is opened for the call and closed after it.
import { connect, constants as h2, type ClientHttp2Stream, type IncomingHttpHeaders } from 'node:http2';
import type { ConnectionOptions } from 'node:tls';
import { decodeGrpcMessage } from '../transport/grpc-client-errors.ts';
import { errorCode } from './error-code.ts';
import { grpcFrame } from './probe-body.ts';

// Enough of an error page to recognise it; never more.
const MAX_BODY_CHARS = 300;

/** What the server answered. */
export interface ProbeAnswer {
  readonly ok: true;
  readonly httpStatus: number;
  readonly contentType: string;
  /** From the headers (trailers-only) or the trailers; undefined when the answer was not gRPC. */
  readonly grpcStatus: number | undefined;
  readonly grpcMessage: string;
  /** The start of the body when it is not gRPC (an HTML error page, a text message). */
  readonly text: string;
  readonly headers: IncomingHttpHeaders;
}

/** No answer: the connection or the stream failed. */
export interface ProbeFailure {
  readonly ok: false;
  readonly code: string;
  readonly message: string;
}

/** What the call needs. `tls` undefined = plaintext (h2c with prior knowledge, as gRPC does). */
export interface GrpcProbe {
  readonly host: string;
  readonly port: number;
  readonly authority: string;
  /** The Export method's path (`/opentelemetry.proto.collector.trace.v1.TraceService/Export`). */
  readonly path: string;
  readonly tls: ConnectionOptions | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly message: Buffer;
  readonly timeoutMs: number;
}

/** Sends one Export call; never rejects. */
export function grpcExport(probe: GrpcProbe): Promise<ProbeAnswer | ProbeFailure> {
  return new Promise((resolve) => {
    const scheme = probe.tls === undefined ? 'http' : 'https';
    const session = connect(`${scheme}://${probe.authority}`, {
      ...(probe.tls ?? {}),
      host: probe.host,
      port: probe.port,
      ALPNProtocols: ['h2'],
    });
    let done = false;
    const finish = (result: ProbeAnswer | ProbeFailure): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      session.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => {
      finish({ ok: false, code: 'TIMEOUT', message: `no answer within ${probe.timeoutMs} ms` });
    }, probe.timeoutMs);
    session.on('error', (err: Error) => {
      finish({ ok: false, code: errorCode(err), message: err.message });
    });
    const stream = session.request({
      ...probe.headers,
      [h2.HTTP2_HEADER_METHOD]: 'POST',
      [h2.HTTP2_HEADER_PATH]: probe.path,
      'content-type': 'application/grpc',
      te: 'trailers',
      'user-agent': 'telegate-doctor',
    });
    collect(stream, finish);
    stream.end(grpcFrame(probe.message));
  });
}

function collect(stream: ClientHttp2Stream, finish: (r: ProbeAnswer | ProbeFailure) => void): void {
  let headers: IncomingHttpHeaders | undefined;
  let trailers: IncomingHttpHeaders = {};
  let text = '';
  stream.on('response', (h) => {
    headers = h;
  });
  stream.on('trailers', (t: IncomingHttpHeaders) => {
    trailers = t;
  });
  stream.on('data', (chunk: Buffer) => {
    if (text.length < MAX_BODY_CHARS) text += chunk.toString('latin1').slice(0, MAX_BODY_CHARS - text.length);
    // A non-gRPC answer says all it needs in its headers and first bytes; a proxy relaying a broken
    // backend may hold the rest open for seconds (nginx with an HTTP/0.9 reply), so do not wait for it.
    if (headers !== undefined && !isGrpc(headers)) finish(answerOf(headers, trailers, text));
  });
  stream.on('error', () => {
    // The session's error (or the close below) reports it.
  });
  stream.on('close', () => {
    if (headers !== undefined) finish(answerOf(headers, trailers, text));
    else
      finish({
        ok: false,
        code: 'RST_STREAM',
        message: `the server reset the call (RST_STREAM code ${stream.rstCode})`,
      });
  });
}

function isGrpc(headers: IncomingHttpHeaders): boolean {
  return (headers['content-type'] ?? '').startsWith('application/grpc') || headers['grpc-status'] !== undefined;
}

function answerOf(headers: IncomingHttpHeaders, trailers: IncomingHttpHeaders, text: string): ProbeAnswer {
  const status = trailers['grpc-status'] ?? headers['grpc-status'];
  const message = trailers['grpc-message'] ?? headers['grpc-message'];
  const contentType = headers['content-type'] ?? '';
  return {
    ok: true,
    httpStatus: Number(headers[h2.HTTP2_HEADER_STATUS] ?? 0),
    contentType,
    grpcStatus: status === undefined ? undefined : Number(status),
    grpcMessage: typeof message === 'string' ? decodeGrpcMessage(message) : '',
    text: contentType.startsWith('application/grpc') ? '' : text,
    headers,
  };
}
