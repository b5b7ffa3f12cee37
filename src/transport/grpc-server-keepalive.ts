// Per-connection keepalive for the gRPC server, with grpc-go's semantics (keepalive.ServerParameters
// and EnforcementPolicy): ping idle clients and drop dead ones, GOAWAY idle or old connections, and
// GOAWAY (ENHANCE_YOUR_CALM, "too_many_pings") clients that ping more often than allowed.
import { constants as h2, type ServerHttp2Session } from 'node:http2';

/** Keepalive settings in milliseconds; undefined disables a limit. */
export interface KeepaliveOptions {
  readonly timeMs: number;
  readonly timeoutMs: number;
  readonly maxIdleMs?: number | undefined;
  readonly maxAgeMs?: number | undefined;
  readonly maxAgeGraceMs?: number | undefined;
  readonly minPingIntervalMs: number;
  readonly permitWithoutStream: boolean;
}

/** grpc-go's defaults. */
export const DEFAULT_KEEPALIVE: KeepaliveOptions = {
  timeMs: 2 * 3_600_000,
  timeoutMs: 20_000,
  minPingIntervalMs: 5 * 60_000,
  permitWithoutStream: false,
};

// grpc-go tolerates two early pings before it sends GOAWAY; without calls it allows one per 2 h.
const MAX_PING_STRIKES = 2;
const PING_INTERVAL_WITHOUT_STREAMS_MS = 2 * 3_600_000;

/** Watches one session; the server tells it when calls start and end. */
export class SessionKeepalive {
  private readonly session: ServerHttp2Session;
  private readonly opts: KeepaliveOptions;
  private readonly timers: NodeJS.Timeout[] = [];
  private idleTimer: NodeJS.Timeout | undefined;
  private active = 0;
  private lastActivity = Date.now();
  private lastPing = 0;
  private strikes = 0;

  constructor(session: ServerHttp2Session, opts: KeepaliveOptions) {
    this.session = session;
    this.opts = opts;
    session.on('ping', () => {
      this.onClientPing();
    });
    session.once('close', () => {
      this.stop();
    });
    this.schedulePings();
    this.scheduleAge();
    this.armIdle();
  }

  /** A call started on this session. */
  callStarted(): void {
    this.active++;
    this.lastActivity = Date.now();
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  /** A call ended; sending a reply also forgives earlier ping strikes, as grpc-go does. */
  callEnded(): void {
    this.active--;
    this.lastActivity = Date.now();
    this.strikes = 0;
    this.lastPing = 0;
    if (this.active === 0) this.armIdle();
  }

  /** Clears every timer (the session closed). */
  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.length = 0;
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private schedulePings(): void {
    const tick = (): void => {
      if (this.session.closed || this.session.destroyed) return;
      if (Date.now() - this.lastActivity >= this.opts.timeMs) this.ping();
      this.timers.push(setTimeout(tick, this.opts.timeMs).unref());
    };
    this.timers.push(setTimeout(tick, this.opts.timeMs).unref());
  }

  private ping(): void {
    const deadline = setTimeout(() => {
      this.session.destroy();
    }, this.opts.timeoutMs).unref();
    this.timers.push(deadline);
    const sent = this.session.ping((err) => {
      if (err === null) {
        clearTimeout(deadline);
        this.lastActivity = Date.now();
      }
    });
    if (!sent) clearTimeout(deadline);
  }

  private scheduleAge(): void {
    const age = this.opts.maxAgeMs;
    if (age === undefined || age <= 0) return;
    // ±10% jitter, as grpc-go, so that connections opened together are not all closed together.
    const jittered = age * (0.9 + Math.random() * 0.2);
    this.timers.push(
      setTimeout(() => {
        this.goaway(h2.NGHTTP2_NO_ERROR);
        const grace = this.opts.maxAgeGraceMs;
        if (grace !== undefined)
          this.timers.push(
            setTimeout(() => {
              this.session.destroy();
            }, grace).unref(),
          );
      }, jittered).unref(),
    );
  }

  private armIdle(): void {
    const idle = this.opts.maxIdleMs;
    if (idle === undefined || idle <= 0) return;
    this.idleTimer = setTimeout(() => {
      this.goaway(h2.NGHTTP2_NO_ERROR);
    }, idle).unref();
  }

  private onClientPing(): void {
    const now = Date.now();
    const minInterval =
      this.active === 0 && !this.opts.permitWithoutStream
        ? Math.max(PING_INTERVAL_WITHOUT_STREAMS_MS, this.opts.minPingIntervalMs)
        : this.opts.minPingIntervalMs;
    if (this.lastPing !== 0 && now - this.lastPing < minInterval) this.strikes++;
    this.lastPing = now;
    if (this.strikes > MAX_PING_STRIKES) this.goaway(h2.NGHTTP2_ENHANCE_YOUR_CALM, 'too_many_pings');
  }

  /** GOAWAY then a graceful close: calls in flight finish, new ones go elsewhere. */
  private goaway(code: number, debug?: string): void {
    if (this.session.closed || this.session.destroyed) return;
    // close() itself sends GOAWAY(NO_ERROR) naming the last processed stream; other codes go first.
    if (code !== h2.NGHTTP2_NO_ERROR)
      this.session.goaway(code, 0, debug === undefined ? undefined : Buffer.from(debug));
    this.session.close();
  }
}
