// The provider's signing keys, as a key resolver for jose's jwtVerify: discovered at start (retried
// with backoff while the provider is unreachable), re-read when a token names a key not held (key
// rotation) — at most once per cooldown, shared by every request waiting, so that tokens with forged
// `kid`s cannot make the collector hammer the provider. Keys already held keep working meanwhile.
import type { ConnectionOptions } from 'node:tls';
import { createLocalJWKSet, errors, type JWSHeaderParameters, type JWTVerifyGetKey, type LocalJWKSet } from 'jose';
import type { Logger } from '../../../contracts/component.ts';
import { errorMessage } from '../../../errors/thrown.ts';
import { discover, fetchJwks, providerTls, type ProviderEndpoints } from './provider-documents.ts';

/** Timing knobs (tests shorten them). */
export interface ProviderKeysTiming {
  /** Least time between two key set reads caused by unknown `kid`s. */
  readonly refreshCooldownMs: number;
  /** First and longest wait between attempts while the provider cannot be read. */
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
}

/** go-oidc re-reads at most once per unknown `kid` burst; jose's remote set waits 30 s between reads. */
export const DEFAULT_TIMING: ProviderKeysTiming = {
  refreshCooldownMs: 30_000,
  retryInitialMs: 1000,
  retryMaxMs: 60_000,
};

/** Counts what happened, for metrics. */
export interface ProviderKeysEvents {
  onRefresh(ok: boolean): void;
}

/** The key set of one issuer. */
export class ProviderKeys {
  private readonly issuer: string;
  private readonly caPath: string;
  private readonly logger: Logger;
  private readonly timing: ProviderKeysTiming;
  private readonly events: ProviderKeysEvents;
  private tls: ConnectionOptions | undefined;
  private endpoints: ProviderEndpoints | undefined;
  private keys: LocalJWKSet | undefined;
  private lastUnknownKeyReadMs = Number.NEGATIVE_INFINITY;
  private reading: Promise<boolean> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs: number;
  private nextRetryAtMs = 0;
  private stopped = false;
  private lastError = '';
  private markReady: () => void = () => undefined;
  /** Settles when keys are first read. */
  readonly ready: Promise<void> = new Promise((resolve) => {
    this.markReady = resolve;
  });

  constructor(issuer: string, caPath: string, logger: Logger, timing: ProviderKeysTiming, events: ProviderKeysEvents) {
    this.issuer = issuer;
    this.caPath = caPath;
    this.logger = logger;
    this.timing = timing;
    this.events = events;
    this.retryDelayMs = timing.retryInitialMs;
  }

  /** Whether keys have been read (tokens can be verified). */
  get isReady(): boolean {
    return this.keys !== undefined;
  }

  /** Until the next attempt to reach the provider, while it has never answered. */
  retryAfterMs(now = Date.now()): number {
    return Math.max(this.nextRetryAtMs - now, 1000);
  }

  /** One attempt at start; when it fails, retries in the background with backoff. Never rejects. */
  async start(): Promise<void> {
    this.stopped = false;
    if (!(await this.read())) this.scheduleRetry();
  }

  /** Stops retrying. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  /** The resolver jwtVerify asks; an unknown `kid` may cause one (rate-limited) re-read of the key set. */
  readonly resolve: JWTVerifyGetKey = async (header: JWSHeaderParameters, token) => {
    const keys = this.keys;
    if (keys === undefined) throw new errors.JWKSNoMatchingKey();
    try {
      return await keys(header, token);
    } catch (err) {
      if (!(err instanceof errors.JWKSNoMatchingKey) || !(await this.refreshForUnknownKey())) throw err;
      // A new set is in place: one more look.
      return (this.keys ?? keys)(header, token);
    }
  };

  private async refreshForUnknownKey(): Promise<boolean> {
    if (this.reading !== undefined) return this.reading;
    // Only reads caused by unknown kids count: a rotation just after start is still picked up.
    if (Date.now() - this.lastUnknownKeyReadMs < this.timing.refreshCooldownMs) return false;
    this.lastUnknownKeyReadMs = Date.now();
    return this.read();
  }

  // One read at a time; concurrent callers share it. True when a new key set is in place.
  private read(): Promise<boolean> {
    this.reading ??= this.readOnce().finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  private async readOnce(): Promise<boolean> {
    try {
      this.tls ??= await providerTls(this.caPath);
      this.endpoints ??= await discover(this.issuer, this.tls);
      const jwks = await fetchJwks(this.endpoints.jwksUri, this.tls);
      const first = this.keys === undefined;
      this.keys = createLocalJWKSet(jwks);
      this.events.onRefresh(true);
      this.markReady();
      if (first) this.logger.info('OpenID provider keys loaded', { issuer: this.issuer, keys: jwks.keys.length });
      else this.logger.debug('OpenID provider keys re-read', { issuer: this.issuer, keys: jwks.keys.length });
      return true;
    } catch (err) {
      this.events.onRefresh(false);
      this.lastError = errorMessage(err);
      // Before the first success, scheduleRetry says it (with the wait).
      if (this.keys !== undefined)
        this.logger.warn(`cannot re-read the keys of the OpenID provider ${this.issuer}: ${this.lastError}`, {
          issuer: this.issuer,
          keeping: 'the keys already held',
        });
      return false;
    }
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    const delayMs = this.retryDelayMs;
    this.retryDelayMs = Math.min(delayMs * 2, this.timing.retryMaxMs);
    this.nextRetryAtMs = Date.now() + delayMs;
    this.logger.warn(
      `the OpenID provider ${this.issuer} cannot be read (${this.lastError}); retrying in ${String(Math.ceil(delayMs / 1000))}s, requests are refused with a retry-after until then`,
      { issuer: this.issuer },
    );
    this.retryTimer = setTimeout(() => {
      void this.read().then((ok) => {
        if (!ok) this.scheduleRetry();
      });
    }, delayMs);
    this.retryTimer.unref();
  }
}
