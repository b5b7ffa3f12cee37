// The `oauth2client` extension, as Go contrib's oauth2clientauthextension: a client authenticator whose
// exporters send `Authorization: Bearer <token>`, the token obtained by the client-credentials grant,
// cached, renewed `expiry_buffer` before it expires, and fetched again (rate-limited) when the
// destination refuses it. Exporters ask synchronously, so fetching always happens ahead of them.
import type { ConnectionOptions } from 'node:tls';
import type { ClientAuthenticator } from '../../../contracts/auth.ts';
import type { Counter, CreateSettings, Host, Logger } from '../../../contracts/component.ts';
import { errorMessage } from '../../../errors/thrown.ts';
import { tlsOptionsLoader } from '../../../transport/grpc-client-tls.ts';
import { redactSecrets } from '../../../util/redact.ts';
import { readClientCredentials } from './client-credentials.ts';
import type { OAuth2ClientConfig } from './config.ts';
import { tokenGrant } from './token-grant.ts';
import { requestToken, type AccessToken, type ClientAuthStyle } from './token-request.ts';

/** Timing knobs (tests shorten them). */
export interface TokenTiming {
  /** First and longest wait between attempts while no token can be had. */
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
  /** Least time between two fetches caused by refusals, so a gateway that refuses every token is not a loop. */
  readonly renewCooldownMs: number;
}

export const DEFAULT_TOKEN_TIMING: TokenTiming = { retryInitialMs: 1000, retryMaxMs: 60_000, renewCooldownMs: 5000 };

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/** The extension instance. */
export class OAuth2ClientAuth implements ClientAuthenticator {
  readonly isClientAuthenticator = true as const;
  /** The client id names this collector in messages; '' when it is read from a file. */
  readonly identity: string;

  private readonly cfg: OAuth2ClientConfig;
  private readonly logger: Logger;
  private readonly timing: TokenTiming;
  private readonly tokenUrl: URL;
  private readonly tls: (() => Promise<ConnectionOptions>) | undefined;
  private readonly fetches: Readonly<Record<'success' | 'failure', Counter>>;
  private headers = NO_HEADERS;
  private style: ClientAuthStyle | undefined;
  private fetching: Promise<boolean> | undefined;
  private lastFetchMs = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private retryDelayMs: number;
  private running = false;
  private lastError = '';
  private readonly tokenWaiters: (() => void)[] = [];

  constructor(settings: CreateSettings, cfg: OAuth2ClientConfig, timing: TokenTiming = DEFAULT_TOKEN_TIMING) {
    this.cfg = cfg;
    this.logger = settings.logger;
    this.timing = timing;
    this.retryDelayMs = timing.retryInitialMs;
    this.identity = cfg.client_id_file === '' ? cfg.client_id : '';
    this.tokenUrl = new URL(cfg.token_url);
    this.tls =
      this.tokenUrl.protocol === 'https:'
        ? tlsOptionsLoader(cfg.tls, this.tokenUrl.hostname, settings.logger)
        : undefined;
    const counter = (outcome: string): Counter =>
      settings.telemetry.counter(
        'telegate_oauth2client_token_fetches',
        'Token requests of an oauth2client, by outcome.',
        {
          authenticator: settings.id.id,
          outcome,
        },
      );
    this.fetches = { success: counter('success'), failure: counter('failure') };
  }

  /** Fetches the first token (one attempt; then retried in the background with backoff). Never fails. */
  async start(_host: Host): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.fetch();
  }

  /** Stops renewing. Idempotent, safe before start. */
  shutdown(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    return Promise.resolve();
  }

  /** `authorization: Bearer <token>`, the same object until the token changes; empty before the first token. */
  requestHeaders(): Readonly<Record<string, string>> {
    return this.headers;
  }

  /**
   * The destination refused the token (it expired early, the provider revoked it): fetch a new one,
   * unless one was fetched within the cooldown. Resolves when done; requestHeaders() has the result.
   */
  async renewCredentials(): Promise<void> {
    if (this.fetching !== undefined || Date.now() - this.lastFetchMs >= this.timing.renewCooldownMs) await this.fetch();
  }

  /** Resolves at the next token obtained (tests wait on it). */
  nextToken(): Promise<void> {
    return new Promise((resolve) => this.tokenWaiters.push(resolve));
  }

  // One fetch at a time; concurrent callers share it. Schedules the next renewal or retry.
  private fetch(): Promise<boolean> {
    this.fetching ??= this.fetchOnce().finally(() => {
      this.fetching = undefined;
    });
    return this.fetching;
  }

  private async fetchOnce(): Promise<boolean> {
    this.lastFetchMs = Date.now();
    let secret = '';
    try {
      const credentials = await readClientCredentials(this.cfg);
      secret = credentials.clientSecret;
      const tls = this.tls === undefined ? undefined : await this.tls();
      const grant = tokenGrant(this.cfg, credentials, tls);
      const { token, style } = await requestToken(grant, this.style);
      this.style = style;
      this.accept(token);
      return true;
    } catch (err) {
      this.reject(redactSecrets(errorMessage(err), secret === '' ? [] : [secret]));
      return false;
    }
  }

  private accept(token: AccessToken): void {
    this.fetches.success.add(1);
    if (this.lastError !== '') this.logger.info('token obtained again', { token_url: this.tokenUrl.href });
    this.lastError = '';
    this.retryDelayMs = this.timing.retryInitialMs;
    this.headers = Object.freeze({ authorization: `Bearer ${token.value}` });
    for (const wake of this.tokenWaiters.splice(0)) wake();
    if (token.expiresInMs !== undefined) this.schedule(renewInMs(token.expiresInMs, this.cfg.expiry_buffer));
  }

  private reject(message: string): void {
    this.fetches.failure.add(1);
    const delayMs = this.retryDelayMs;
    this.retryDelayMs = Math.min(delayMs * 2, this.timing.retryMaxMs);
    // One line per distinct failure, not per retry.
    if (message !== this.lastError)
      this.logger.warn(`cannot obtain an OAuth2 token: ${message}; retrying with backoff`, {
        token_url: this.tokenUrl.href,
      });
    this.lastError = message;
    this.schedule(delayMs);
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    if (!this.running) return;
    this.timer = setTimeout(() => {
      void this.fetch();
    }, delayMs);
    this.timer.unref();
  }
}

/** When to renew a token valid for `lifetimeMs`: `bufferMs` before expiry, but no sooner than half its life. */
export function renewInMs(lifetimeMs: number, bufferMs: number): number {
  return lifetimeMs - Math.min(bufferMs, lifetimeMs / 2);
}
