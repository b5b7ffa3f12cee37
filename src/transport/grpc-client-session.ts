// The one HTTP/2 connection of a GrpcClient: opened lazily on the first call, shared by all concurrent
// calls, dropped when it fails, is closed or receives GOAWAY, and reopened after a backoff (grpc's
// connection backoff: ×1.6 with ±20 % jitter). During the backoff calls fail fast with the last error,
// or, with wait_for_ready, wait for the next attempt.
import { connect as h2connect, type ClientHttp2Session, type SecureClientSessionOptions } from 'node:http2';
import { connect as netConnect } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { GrpcStatus } from '../errors/grpc-status.ts';
import { connectionFailure, type CallFailure } from './grpc-client-errors.ts';
import {
  CONNECTION_WINDOW_BYTES,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_RECONNECT,
  STREAM_WINDOW_BYTES,
  type GrpcClientOptions,
} from './grpc-client-options.ts';
import { errorMessage } from '../errors/thrown.ts';

/** A usable session, or why there is none. */
export type Acquired =
  { readonly ok: true; readonly session: ClientHttp2Session } | { readonly ok: false; readonly failure: CallFailure };

/** Owns the client's HTTP/2 session and its reconnection. */
export class GrpcSession {
  private readonly options: GrpcClientOptions;
  private readonly authority: string;
  private session: ClientHttp2Session | undefined;
  private connecting: Promise<Acquired> | undefined;
  private failures = 0;
  private retryAtMs = 0;
  private lastFailure: CallFailure | undefined;
  private keepaliveTimer: NodeJS.Timeout | undefined;
  /** Calls currently using the session (for keepalive's permit_without_stream). */
  activeCalls = 0;

  constructor(options: GrpcClientOptions) {
    this.options = options;
    this.authority = options.target.authority;
  }

  /** Whether connections use TLS. */
  get usingTls(): boolean {
    return this.options.tls !== undefined;
  }

  /** The current session, a connection attempt, or the failure that blocks one; `deadline` in epoch ms (0 = none). */
  async acquire(deadline: number): Promise<Acquired> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const live = this.session;
      if (live !== undefined && !live.closed && !live.destroyed) return { ok: true, session: live };
      if (this.connecting) return this.connecting;
      const waitMs = this.retryAtMs - Date.now();
      if (waitMs <= 0) break;
      const failure = this.lastFailure ?? { code: GrpcStatus.UNAVAILABLE, message: 'connection not ready' };
      if (this.options.waitForReady !== true) return { ok: false, failure };
      if (deadline !== 0 && Date.now() + waitMs >= deadline) return { ok: false, failure };
      await sleep(waitMs);
    }
    this.connecting = this.connect(deadline).finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /** Closes the session gracefully (in-flight streams finish), then destroys it after `graceMs`. */
  close(graceMs: number): Promise<void> {
    this.stopKeepalive();
    const s = this.session;
    this.session = undefined;
    this.retryAtMs = Number.MAX_SAFE_INTEGER;
    this.lastFailure = { code: GrpcStatus.UNAVAILABLE, message: 'the client is shut down' };
    if (s === undefined || s.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        s.destroy();
      }, graceMs);
      timer.unref();
      s.close(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private async connect(deadline: number): Promise<Acquired> {
    let tlsOptions: ConnectionOptions | undefined;
    try {
      tlsOptions = this.options.tls ? await this.options.tls() : undefined;
    } catch (err) {
      return this.fail({ code: GrpcStatus.UNAVAILABLE, message: errorMessage(err) });
    }
    const timeoutMs =
      deadline === 0
        ? (this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS)
        : Math.max(1, deadline - Date.now());
    const session = this.open(tlsOptions);
    const outcome = await waitForConnect(session, timeoutMs);
    if (outcome !== undefined) {
      session.destroy();
      return this.fail(connectionFailure(outcome, this.authority, tlsOptions !== undefined, false));
    }
    this.adopt(session);
    return { ok: true, session };
  }

  private open(tlsOptions: ConnectionOptions | undefined): ClientHttp2Session {
    const target = this.options.target;
    const options: SecureClientSessionOptions = {
      ...tlsOptions,
      settings: { initialWindowSize: STREAM_WINDOW_BYTES, enablePush: false },
      // Node's default (10 MB) rejects streams once many large requests are in flight.
      maxSessionMemory: 64,
    };
    if (target.transport === 'unix') options.createConnection = () => netConnect(target.path);
    const scheme = tlsOptions === undefined ? 'http' : 'https';
    const host = target.transport === 'tcp' ? target.authority : 'localhost';
    return h2connect(`${scheme}://${host}`, options);
  }

  private adopt(session: ClientHttp2Session): void {
    this.failures = 0;
    this.retryAtMs = 0;
    this.session = session;
    session.setLocalWindowSize(CONNECTION_WINDOW_BYTES);
    const drop = (): void => {
      if (this.session === session) this.session = undefined;
    };
    // After GOAWAY no new streams may start on this session: the next call opens a new one.
    session.on('goaway', drop);
    session.on('close', drop);
    session.on('error', (err: unknown) => {
      drop();
      this.lastFailure = connectionFailure(err, this.authority, this.usingTls, true);
    });
    this.startKeepalive(session);
  }

  private fail(failure: CallFailure): Acquired {
    this.failures++;
    const reconnect = this.options.reconnect ?? DEFAULT_RECONNECT;
    const base = Math.min(reconnect.maxMs, reconnect.initialMs * 1.6 ** (this.failures - 1));
    this.retryAtMs = Date.now() + base * (0.8 + Math.random() * 0.4);
    this.lastFailure = failure;
    return { ok: false, failure };
  }

  private startKeepalive(session: ClientHttp2Session): void {
    const ka = this.options.keepalive;
    this.stopKeepalive();
    if (ka === undefined || ka.timeMs <= 0) return;
    this.keepaliveTimer = setInterval(() => {
      if (session.destroyed || (this.activeCalls === 0 && !ka.permitWithoutStream)) return;
      const timeout = setTimeout(() => {
        session.destroy(new Error('keepalive ping was not answered in time'));
      }, ka.timeoutMs);
      timeout.unref();
      session.ping(() => {
        clearTimeout(timeout);
      });
    }, ka.timeMs);
    this.keepaliveTimer.unref();
  }

  private stopKeepalive(): void {
    if (this.keepaliveTimer !== undefined) clearInterval(this.keepaliveTimer);
    this.keepaliveTimer = undefined;
  }
}

/**
 * Resolves undefined once the server's first SETTINGS frame arrived (grpc-go's READY: the peer really
 * speaks HTTP/2), or with the error. A plaintext client meeting a TLS server fails here, not later.
 */
function waitForConnect(session: ClientHttp2Session, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve) => {
    let settled = false;
    const timer = setTimeout(() => {
      finish(Object.assign(new Error(`no connection within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    timer.unref();
    const onError = (err: unknown): void => {
      finish(err);
    };
    const onClose = (): void => {
      finish(Object.assign(new Error('the connection closed during setup'), { code: 'ECONNRESET' }));
    };
    const onSettings = (): void => {
      finish(undefined);
    };
    function finish(result: unknown): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // The socket's listener stays: session.socket is a proxy that throws once the session has
      // let go of it, and a late call of the once-listener is a no-op.
      session.off('error', onError).off('close', onClose).off('remoteSettings', onSettings);
      // Errors after a failed setup must not become unhandled 'error' events.
      if (result !== undefined) session.on('error', () => undefined);
      resolve(result);
    }
    session.once('remoteSettings', onSettings).once('error', onError).once('close', onClose);
    // A TLS 1.3 server refusing the client certificate alerts after the handshake; the session
    // reports it on no event of its own, only its socket does.
    (session.socket as typeof session.socket | undefined)?.once('error', onError);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
