// An HTTP/1.1 server (node:http, or node:https with `tls`) for components that take requests: CORS
// in front of the component's handler, requests in flight tracked, and a draining shutdown that
// answers new requests 503, lets those in flight finish (bounded), then closes every connection.
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TlsOptions } from 'node:tls';
import type { Logger } from '../contracts/component.ts';
import { ERRORS } from '../errors/catalogue.ts';
import { errorMessage } from '../errors/thrown.ts';
import { Cors, type CorsOptions } from './http-server-cors.ts';
import { listen, type ListenTarget } from './http-server-listen.ts';
import { attachServerTls, detachServerTls, tlsOptionsOf, type ServerTls } from './http-server-tls.ts';
import { writeStatus } from './http-server-response.ts';

const BAD_REQUEST = ERRORS.TG_HTTP_MALFORMED.http;
const INTERNAL = ERRORS.TG_INTERNAL;
// Node refuses a request line and headers over --max-http-header-size (16 KiB) before any handler runs:
// the client is told why, not given an empty 400 (a long search URL is the usual cause).
const HEADERS_TOO_LARGE_BODY = 'request line and headers are over 16 KiB: shorten the URL or the headers\n';
const HEADERS_TOO_LARGE_STATUS = ERRORS.TG_HTTP_HEADERS_TOO_LARGE.http;
const HEADERS_TOO_LARGE = [
  `HTTP/1.1 ${HEADERS_TOO_LARGE_STATUS} ${STATUS_CODES[HEADERS_TOO_LARGE_STATUS] ?? ''}`,
  'Content-Type: text/plain; charset=utf-8',
  `Content-Length: ${Buffer.byteLength(HEADERS_TOO_LARGE_BODY)}`,
  'Connection: close',
  '',
  HEADERS_TOO_LARGE_BODY,
].join('\r\n');

// read_header_timeout / read_timeout passed (a slow or stalled client): 408, as Node's default handler says.
const REQUEST_TIMEOUT_STATUS = ERRORS.TG_BODY_TIMEOUT.http;
const REQUEST_TIMEOUT = `HTTP/1.1 ${REQUEST_TIMEOUT_STATUS} ${STATUS_CODES[REQUEST_TIMEOUT_STATUS] ?? ''}\r\nConnection: close\r\n\r\n`;

/** Serves one request; must write the response. It should not throw (a throw is answered 500). */
export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Everything the server needs; built by a component from its config. */
export interface HttpServerOptions {
  /** Prefix for messages, e.g. `receivers.otlp`. */
  readonly owner: string;
  readonly target: ListenTarget;
  /** Key material and TLS settings (a ServerTls reloads them); plain HTTP when absent. */
  readonly tls?: TlsOptions | ServerTls | undefined;
  /** CORS is applied only when allowed origins are configured. */
  readonly cors?: CorsOptions | undefined;
  readonly handler: HttpHandler;
  readonly logger: Logger;
  /** How long shutdown waits for requests in flight. */
  readonly drainTimeoutMs?: number | undefined;
  /** Go's read_header_timeout: time to send the request line and headers (0 = read_timeout). */
  readonly readHeaderTimeoutMs?: number | undefined;
  /** Go's read_timeout: time to send a whole request (0 = no limit); Node's 5 min when absent. */
  readonly readTimeoutMs?: number | undefined;
}

// Node checks its header and request timeouts on this period (its default is 30 s, too coarse for short
// timeouts): a quarter of the shortest timeout, 100 ms to 30 s.
function checkingIntervalMs(timeouts: readonly number[]): number {
  const shortest = Math.min(...timeouts.filter((t) => t > 0), 120_000);
  return Math.min(30_000, Math.max(100, Math.floor(shortest / 4)));
}

/** Node's slowloris bounds from Go's keys: headersTimeout may not exceed requestTimeout. */
export function nodeTimeouts(opts: Pick<HttpServerOptions, 'readHeaderTimeoutMs' | 'readTimeoutMs'>): {
  headersTimeout?: number;
  requestTimeout?: number;
  connectionsCheckingInterval?: number;
} {
  const request = opts.readTimeoutMs;
  if (request === undefined && opts.readHeaderTimeoutMs === undefined) return {};
  let headers =
    opts.readHeaderTimeoutMs !== undefined && opts.readHeaderTimeoutMs > 0 ? opts.readHeaderTimeoutMs : request;
  if (headers !== undefined && request !== undefined && request > 0) headers = Math.min(headers, request);
  return {
    ...(headers === undefined ? {} : { headersTimeout: headers }),
    ...(request === undefined ? {} : { requestTimeout: request }),
    connectionsCheckingInterval: checkingIntervalMs([headers ?? 0, request ?? 0]),
  };
}

/** One listening HTTP endpoint. */
export class HttpServer {
  private readonly opts: HttpServerOptions;
  private readonly cors: Cors | undefined;
  private server: Server | undefined;
  private draining = false;
  private readonly inFlight = new Set<ServerResponse>();
  private idle: (() => void) | undefined;
  private stopping: Promise<void> | undefined;

  constructor(opts: HttpServerOptions) {
    this.opts = opts;
    this.cors = opts.cors !== undefined && opts.cors.allowedOrigins.length > 0 ? new Cors(opts.cors) : undefined;
    if (
      opts.cors !== undefined &&
      opts.cors.allowedOrigins.length === 0 &&
      (opts.cors.allowedHeaders ?? []).length > 0
    ) {
      opts.logger.warn(
        'The CORS configuration specifies allowed headers but no allowed origins, and is therefore ignored.',
      );
    }
  }

  /** Binds and serves; resolves with the bound address (`127.0.0.1:4318`). */
  async start(): Promise<string> {
    const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
      this.onRequest(req, res);
    };
    const tls = tlsOptionsOf(this.opts.tls);
    const timeouts = nodeTimeouts(this.opts);
    const server = tls ? createHttpsServer({ ...tls, ...timeouts }, onRequest) : createServer(timeouts, onRequest);
    attachServerTls(this.opts.tls, server);
    this.server = server;
    server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
      this.opts.logger.debug('HTTP client error', { error: err.message });
      if (!socket.writable || err.code === 'ECONNRESET') socket.destroy();
      else if (err.code === 'HPE_HEADER_OVERFLOW') socket.end(HEADERS_TOO_LARGE);
      else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') socket.end(REQUEST_TIMEOUT);
      else socket.end(`HTTP/1.1 ${BAD_REQUEST} ${STATUS_CODES[BAD_REQUEST] ?? ''}\r\nConnection: close\r\n\r\n`);
    });
    return listen(server, this.opts.target, this.opts.owner);
  }

  /** Stops accepting, drains requests in flight (bounded), then closes every connection. Idempotent. */
  shutdown(): Promise<void> {
    this.stopping ??= this.stop();
    return this.stopping;
  }

  private async stop(): Promise<void> {
    this.draining = true;
    detachServerTls(this.opts.tls);
    const server = this.server;
    if (server === undefined) return;
    // Replies still to come tell their clients not to reuse the connection.
    for (const res of this.inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
    const closed = new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
    server.closeIdleConnections();
    await this.drained(this.opts.drainTimeoutMs ?? 5000);
    server.closeAllConnections();
    await closed;
  }

  private drained(timeoutMs: number): Promise<void> {
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.idle = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    if (this.cors !== undefined && this.cors.handle(req, res)) return;
    if (this.draining) {
      res.setHeader('Connection', 'close');
      const format = (req.headers['content-type'] ?? '').startsWith('application/x-protobuf') ? 'proto' : 'json';
      const { http, grpc } = ERRORS.TG_SHUTTING_DOWN;
      writeStatus(res, http, format, grpc, 'server is shutting down');
      return;
    }
    this.inFlight.add(res);
    this.opts
      .handler(req, res)
      .catch((err: unknown) => {
        this.opts.logger.debug('HTTP handler failed', { error: errorMessage(err) });
        if (!res.headersSent) writeStatus(res, INTERNAL.http, 'json', INTERNAL.grpc, 'internal error');
        else res.destroy();
      })
      .finally(() => {
        this.inFlight.delete(res);
        if (this.inFlight.size === 0 && this.idle !== undefined) this.idle();
      });
  }
}
