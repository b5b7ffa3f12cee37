// A small HTTP/1.1 POST client for exporters: node:http / node:https with a keep-alive agent (one pool
// per client), a per-request deadline, the body written as the parts it already is, and the answer's
// body read to a bound (a server must not make an exporter hold megabytes of error text).
import http from 'node:http';
import https from 'node:https';
import type { ConnectionOptions } from 'node:tls';
import { errorMessage } from '../errors/thrown.ts';
import { CERT_CODES, certificateHint } from './tls-failure-hint.ts';

/** Go's otlphttp reads at most this much of an answer's body. */
export const MAX_ANSWER_BYTES = 64 * 1024;

/** The connection pool of a client (confighttp's knobs, as node:http's Agent takes them). */
export interface HttpClientOptions {
  /** TLS options for the next connection (https: URLs only); the transport's tlsOptionsLoader. */
  readonly tls?: () => Promise<ConnectionOptions>;
  readonly keepAlive: boolean;
  /** Connections per host, busy or idle; Infinity = no limit. */
  readonly maxSockets: number;
  /** Idle keep-alive connections kept per host. */
  readonly maxFreeSockets: number;
  /** An idle keep-alive connection is closed after this long; 0 = never. */
  readonly idleTimeoutMs: number;
}

/** A server's answer: status, the headers, and at most MAX_ANSWER_BYTES of its body. */
export interface HttpAnswer {
  readonly ok: true;
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/** No answer: the connection failed or the deadline passed. */
export interface HttpNoAnswer {
  readonly ok: false;
  readonly message: string;
  readonly timedOut: boolean;
}

/** Posts bodies over a keep-alive pool; close() ends its connections. */
export class HttpClient {
  private readonly options: HttpClientOptions;
  private readonly agent: http.Agent;
  private readonly secureAgent: https.Agent;

  constructor(options: HttpClientOptions) {
    this.options = options;
    const agentOptions = {
      keepAlive: options.keepAlive,
      maxSockets: options.maxSockets,
      maxFreeSockets: options.maxFreeSockets,
      // node:http closes a free socket when this socket timeout fires (busy ones use the request's deadline).
      ...(options.idleTimeoutMs > 0 ? { timeout: options.idleTimeoutMs } : {}),
    };
    this.agent = new http.Agent(agentOptions);
    this.secureAgent = new https.Agent(agentOptions);
  }

  /** POSTs `body` (one buffer or parts sent in order) to `url`; `timeoutMs` 0 waits forever. */
  async post(
    url: URL,
    body: Buffer | readonly Buffer[],
    headers: Readonly<Record<string, string>>,
    timeoutMs: number,
  ): Promise<HttpAnswer | HttpNoAnswer> {
    const isTls = url.protocol === 'https:';
    let tls: ConnectionOptions = {};
    if (isTls && this.options.tls !== undefined) {
      try {
        // HTTP/1.1 only: the shared loader offers h2 for gRPC.
        tls = { ...(await this.options.tls()), ALPNProtocols: ['http/1.1'] };
      } catch (err) {
        return { ok: false, message: errorMessage(err), timedOut: false };
      }
    }
    const parts = Buffer.isBuffer(body) ? [body] : body;
    const length = parts.reduce((n, p) => n + p.length, 0);
    const request = isTls
      ? https.request(url, { ...tls, method: 'POST', agent: this.secureAgent })
      : http.request(url, { method: 'POST', agent: this.agent });
    for (const [name, value] of Object.entries(headers)) request.setHeader(name, value);
    request.setHeader('content-length', length);
    return exchange(request, parts, timeoutMs);
  }

  /** Closes every pooled connection; requests in flight fail. */
  close(): void {
    this.agent.destroy();
    this.secureAgent.destroy();
  }
}

/**
 * Sends the parts and waits for the answer. No listener's closure reaches the parts: a request's listeners
 * outlive it until V8's next full collection, and parts held that long keep whole batches of request
 * buffers alive, so external memory drives full collections (see grpc-client-call.ts).
 */
function exchange(
  request: http.ClientRequest,
  parts: readonly Buffer[],
  timeoutMs: number,
): Promise<HttpAnswer | HttpNoAnswer> {
  const answer = answerOf(request, timeoutMs);
  if (parts.length > 1) request.cork(); // one writev for the parts; end() uncorks
  for (const part of parts) request.write(part);
  request.end();
  return answer;
}

function answerOf(request: http.ClientRequest, timeoutMs: number): Promise<HttpAnswer | HttpNoAnswer> {
  return new Promise((resolve) => {
    let timedOut = false;
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            request.destroy(new Error(`no answer within the timeout of ${String(timeoutMs)} ms`));
          }, timeoutMs)
        : undefined;
    const done = (result: HttpAnswer | HttpNoAnswer): void => {
      clearTimeout(timer);
      resolve(result);
    };
    request.on('error', (err) => {
      done({ ok: false, message: failureMessage(err), timedOut });
    });
    request.on('response', (response) => {
      readBounded(response, (bodyBytes) => {
        done({ ok: true, status: response.statusCode ?? 0, headers: response.headers, body: bodyBytes });
      });
      response.on('error', (err) => {
        done({ ok: false, message: errorMessage(err), timedOut });
      });
    });
  });
}

// Reads the whole body (so the connection can be reused) but keeps only its first MAX_ANSWER_BYTES.
function readBounded(response: http.IncomingMessage, onEnd: (body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  let kept = 0;
  response.on('data', (chunk: Buffer) => {
    if (kept >= MAX_ANSWER_BYTES) return;
    const part = chunk.length > MAX_ANSWER_BYTES - kept ? chunk.subarray(0, MAX_ANSWER_BYTES - kept) : chunk;
    chunks.push(part);
    kept += part.length;
  });
  response.on('end', () => {
    onEnd(chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks));
  });
}

// A refused server certificate gets the same cause-and-fix as the gRPC client gives.
function failureMessage(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const message = errorMessage(err);
  return CERT_CODES.has(code) ? `${message} (${code}); ${certificateHint(code, err)}` : message;
}
