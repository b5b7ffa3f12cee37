// A unary-only gRPC server on node:http2 (no grpc-js: perf-lab.md §1 measured it cheaper), with the
// large HTTP/2 windows that matter most for OTLP's big messages, keepalive, and a draining shutdown:
// stop accepting, GOAWAY every connection, let calls in flight finish (bounded), then close.
import {
  createSecureServer,
  createServer,
  type Http2SecureServer,
  type Http2Server,
  type SecureServerOptions,
  type ServerHttp2Session,
} from 'node:http2';
import type { Socket } from 'node:net';
import type { Logger } from '../contracts/component.ts';
import {
  serveCall,
  type CallContext,
  type GrpcAdmit,
  type GrpcAuthenticate,
  type GrpcHandler,
  type GrpcRejectListener,
} from './grpc-server-call.ts';
import type { BodyBudget } from './byte-budget.ts';
import { DEFAULT_KEEPALIVE, SessionKeepalive, type KeepaliveOptions } from './grpc-server-keepalive.ts';
import { sendShuttingDown } from './grpc-server-reply.ts';
import { listen, type ListenTarget } from './http-server-listen.ts';
import { attachServerTls, detachServerTls, tlsOptionsOf, type ServerTls } from './http-server-tls.ts';
import { errorMessage } from '../errors/thrown.ts';

export type {
  GrpcAdmit,
  GrpcAuthenticate,
  GrpcAuthOutcome,
  GrpcCall,
  GrpcHandler,
  GrpcReply,
  GrpcRefusal,
  GrpcRejectListener,
} from './grpc-server-call.ts';

// perf-lab.md §1: a 16 MiB connection window and 4 MiB stream window halve CPU per span for ~300 KB
// requests compared with HTTP/2's 64 KiB default.
const CONNECTION_WINDOW_BYTES = 16 * 1024 * 1024;
const STREAM_WINDOW_BYTES = 4 * 1024 * 1024;
// nghttp2 accounts buffered frames against this (MB); the default 10 is below one full connection window.
const MAX_SESSION_MEMORY_MB = 64;
const UNLIMITED_STREAMS = 2 ** 32 - 1;

/** Everything the server needs; built by a component from its config. */
export interface GrpcServerOptions {
  /** Prefix for messages, e.g. `receivers.otlp`. */
  readonly owner: string;
  readonly target: ListenTarget;
  /** Key material and TLS settings (a ServerTls reloads them); plain-text HTTP/2 (h2c) when absent. */
  readonly tls?: SecureServerOptions | ServerTls | undefined;
  /** Full method path (`/pkg.Service/Method`) → handler. */
  readonly methods: ReadonlyMap<string, GrpcHandler>;
  readonly maxRecvMsgBytes: number;
  /** 0 = unlimited. */
  readonly maxConcurrentStreams: number;
  readonly keepalive?: KeepaliveOptions | undefined;
  readonly logger: Logger;
  /** Called for each call refused before reaching a handler. */
  readonly onReject?: GrpcRejectListener | undefined;
  /** Authenticates each call from its headers before its body is read; none when absent. */
  readonly authenticate?: GrpcAuthenticate | undefined;
  /** Waits for room in the pipeline before a call's body is read (DESIGN.md §4b); always admitted when absent. */
  readonly admit?: GrpcAdmit | undefined;
  /** The receiver's budget of request bytes held in memory (shared with its other servers); none when absent. */
  readonly budget?: BodyBudget | undefined;
  /** How long a call's message may take to arrive (slow clients); none when absent or 0. */
  readonly readTimeoutMs?: number | undefined;
  /** How long shutdown waits for calls in flight before cutting connections (default 5 s). */
  readonly drainTimeoutMs?: number | undefined;
}

/** One listening gRPC endpoint. */
export class GrpcServer {
  private readonly opts: GrpcServerOptions;
  private readonly ctx: CallContext;
  private readonly sessions = new Map<ServerHttp2Session, SessionKeepalive>();
  private server: Http2Server | Http2SecureServer | undefined;
  private draining = false;
  private readonly sockets = new Set<Socket>();
  private stopping: Promise<void> | undefined;

  constructor(opts: GrpcServerOptions) {
    this.opts = opts;
    const services = new Set([...opts.methods.keys()].map((p) => p.slice(1, p.lastIndexOf('/'))));
    this.ctx = {
      methods: opts.methods,
      services,
      maxRecvMsgBytes: opts.maxRecvMsgBytes,
      onReject: opts.onReject ?? (() => undefined),
      authenticate: opts.authenticate,
      admit: opts.admit,
      budget: opts.budget,
      readTimeoutMs: opts.readTimeoutMs,
    };
  }

  /** Binds and serves; resolves with the bound address (`127.0.0.1:4317`). */
  async start(): Promise<string> {
    const settings = {
      initialWindowSize: STREAM_WINDOW_BYTES,
      maxConcurrentStreams: this.opts.maxConcurrentStreams > 0 ? this.opts.maxConcurrentStreams : UNLIMITED_STREAMS,
    };
    const base = { settings, maxSessionMemory: MAX_SESSION_MEMORY_MB };
    const tls = tlsOptionsOf(this.opts.tls);
    const server = tls ? createSecureServer({ ...tls, ...base, allowHTTP1: false }) : createServer(base);
    this.server = server;
    attachServerTls(this.opts.tls, server);
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.on('session', (session: ServerHttp2Session) => {
      this.onSession(session);
    });
    server.on('stream', (stream, headers) => {
      stream.on('error', (err) => {
        this.opts.logger.debug('gRPC stream error', { error: err.message });
      });
      if (this.draining) {
        sendShuttingDown(stream);
        return;
      }
      const keepalive = this.sessions.get(stream.session as ServerHttp2Session);
      keepalive?.callStarted();
      stream.once('close', () => {
        keepalive?.callEnded();
      });
      serveCall(stream, headers, this.ctx).catch((err: unknown) => {
        // Only a stream torn down mid-write gets here; the client is gone, nothing to answer.
        this.opts.logger.debug('gRPC call ended abnormally', {
          error: errorMessage(err),
        });
      });
    });
    server.on('sessionError', (err) => {
      this.opts.logger.debug('gRPC connection error', { error: err.message });
    });
    return listen(server, this.opts.target, this.opts.owner);
  }

  /** Stops accepting, drains calls in flight (bounded), then closes every connection. Idempotent. */
  shutdown(): Promise<void> {
    this.stopping ??= this.stop();
    return this.stopping;
  }

  private async stop(): Promise<void> {
    const server = this.server;
    this.draining = true;
    detachServerTls(this.opts.tls);
    if (server === undefined) return;
    // server.close() resolves once every connection is gone; session.close() sends GOAWAY and lets
    // each connection end by itself once its calls (replies and trailers included) are flushed.
    const closed = new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
    for (const session of this.sessions.keys()) session.close();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.opts.drainTimeoutMs ?? 5000)));
    await Promise.race([closed, deadline]);
    clearTimeout(timer);
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private onSession(session: ServerHttp2Session): void {
    session.setLocalWindowSize(CONNECTION_WINDOW_BYTES);
    session.on('error', (err: Error) => {
      this.opts.logger.debug('gRPC connection error', { error: err.message });
    });
    this.sessions.set(session, new SessionKeepalive(session, this.opts.keepalive ?? DEFAULT_KEEPALIVE));
    session.once('close', () => this.sessions.delete(session));
    if (this.draining) session.close();
  }
}
