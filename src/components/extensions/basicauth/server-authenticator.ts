// Hot path (per request, not per item): a cached credential costs ~1.2 µs, mostly its SHA-256 (measured ad hoc; no bench file yet).
// The server side of basicauth: checks `Authorization: Basic` against htpasswd entries, caches what
// verified, throttles repeated failures per client host, and reloads the htpasswd file when it changes.
import { EventEmitter } from 'node:events';
import type { AuthResult, RequestHeaders, ServerAuthenticator } from '../../../contracts/auth.ts';
import type { CreateSettings, Logger } from '../../../contracts/component.ts';
import { TelegateError } from '../../../errors/catalogue.ts';
import { bindFailureCounters, type FailureCounters, type FailureReason } from './auth-metrics.ts';
import { authorizationHeader, decodeBasic } from './basic-header.ts';
import type { BasicAuthConfig } from './config.ts';
import { CredentialCache, DEFAULT_CACHE_ENTRIES } from './credential-cache.ts';
import { FailureThrottle, hostOf } from './failure-throttle.ts';
import { FileWatcher } from './file-watcher.ts';
import type { HtpasswdTable } from './htpasswd.ts';
import { loadHtpasswd, type HtpasswdLoad } from './htpasswd-loader.ts';
import type { BcryptVerify, PasswordVerifier } from './password-verifier.ts';
import { HtpasswdReloader } from './htpasswd-reloader.ts';

/** Test seams and tuning; production uses the defaults. */
export interface BasicAuthServerOptions {
  readonly bcryptVerify?: BcryptVerify;
  readonly now?: () => number;
  readonly pollMs?: number;
  readonly debounceMs?: number;
  readonly cacheEntries?: number;
}

/** The WWW-Authenticate challenge of every refusal. */
export const CHALLENGE = 'Basic realm="telegate"';
const HELP = 'send an Authorization: Basic header holding base64 of user:password';
const MESSAGES: Readonly<Record<Exclude<FailureReason, 'throttled'>, string>> = {
  missing: `no basic auth provided: ${HELP}`,
  malformed: `invalid authorization format: ${HELP}`,
  // One message for an unknown user and a wrong password: which one was wrong is not revealed.
  invalid_credentials: 'invalid credentials: the user name or password is not accepted',
};

type Failure = Extract<AuthResult, { ok: false }>;
const FAILURES: Readonly<Record<Exclude<FailureReason, 'throttled'>, Failure>> = {
  missing: { ok: false, reason: 'unauthenticated', message: MESSAGES.missing, challenge: CHALLENGE },
  malformed: { ok: false, reason: 'unauthenticated', message: MESSAGES.malformed, challenge: CHALLENGE },
  invalid_credentials: {
    ok: false,
    reason: 'unauthenticated',
    message: MESSAGES.invalid_credentials,
    challenge: CHALLENGE,
  },
};

/**
 * A `basicauth` extension configured with `htpasswd`. `events` emits `reloaded` (user count) and
 * `reload-failed` (message) after a change to the htpasswd file has been handled.
 */
export class BasicAuthServer implements ServerAuthenticator {
  readonly isServerAuthenticator = true as const;
  readonly events = new EventEmitter();
  private readonly id: string;
  private readonly config: BasicAuthConfig;
  private readonly logger: Logger;
  private readonly failures: FailureCounters;
  /** Verified credentials → the (shared, frozen) success result. */
  private readonly cache: CredentialCache<AuthResult>;
  private readonly throttle: FailureThrottle;
  private readonly options: BasicAuthServerOptions;
  private readonly pending = new Map<string, Promise<AuthResult>>();
  private table: HtpasswdTable | undefined;
  private generation = 0;
  private reloader: HtpasswdReloader | undefined;

  constructor(settings: CreateSettings, config: BasicAuthConfig, options: BasicAuthServerOptions = {}) {
    this.id = settings.id.id;
    this.config = config;
    this.logger = settings.logger;
    this.options = options;
    this.failures = bindFailureCounters(settings.telemetry, this.id);
    this.cache = new CredentialCache(options.cacheEntries ?? DEFAULT_CACHE_ENTRIES);
    const t = config.throttle;
    this.throttle = new FailureThrottle(
      { enabled: t.enabled, maxFailures: t.max_failures, windowMs: t.window, blockMs: t.block },
      options.now,
    );
  }

  /** Loads the htpasswd sources (a malformed line or a missing file fails the start) and starts watching. */
  async start(): Promise<void> {
    const { file, inline } = this.htpasswd();
    const loaded = await loadHtpasswd(file, inline, this.options.bcryptVerify);
    if (!loaded.ok) throw new TelegateError('TG_START_FAILED', `extension ${this.id}: ${loaded.message}`);
    this.install(loaded);
    if (file === '') return;
    this.reloader = new HtpasswdReloader({
      load: () => loadHtpasswd(file, inline, this.options.bcryptVerify),
      digest: loaded.fileDigest,
      onLoaded: (next) => {
        this.onReloaded(next);
      },
      onFailed: (message) => {
        this.onReloadFailed(message);
      },
    });
    const reloader = this.reloader;
    const timing = { pollMs: this.options.pollMs ?? 2000, debounceMs: this.options.debounceMs ?? 100 };
    reloader.watch(
      new FileWatcher(
        file,
        () => {
          reloader.trigger();
        },
        timing,
      ),
    );
  }

  /** Stops watching; idempotent and safe before start. */
  shutdown(): Promise<void> {
    this.reloader?.stop();
    this.reloader = undefined;
    return Promise.resolve();
  }

  /** Checks a request's credentials; synchronous for a cache hit or any refusal before hashing. */
  authenticate(headers: RequestHeaders, clientAddress: string | undefined): AuthResult | Promise<AuthResult> {
    const host = hostOf(clientAddress);
    const waitMs = this.throttle.retryAfterMs(host);
    if (waitMs > 0) return this.throttled(waitMs);
    const header = authorizationHeader(headers);
    if (header === undefined) return this.refuse('missing');
    const key = CredentialCache.keyOf(header);
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const inFlight = this.pending.get(key);
    if (inFlight !== undefined) return inFlight.then((r) => this.countFailure(r, host));
    const credential = decodeBasic(header);
    if (typeof credential === 'string') return this.refuse('malformed');
    const table = this.table;
    const entry = table?.users.get(credential.username);
    // An unknown user is checked against the costliest entry anyway, and then refused, so that the time
    // a refusal takes does not tell whether the user exists.
    const verifier: PasswordVerifier | undefined = entry ?? table?.dummy;
    const outcome = verifier?.verify(credential.password) ?? false;
    const generation = this.generation;
    // A check that straddles a reload answers from the table it started with, but is not cached.
    const settle = (matched: boolean): AuthResult =>
      this.settle(
        matched && entry !== undefined,
        generation === this.generation ? key : undefined,
        credential.username,
        host,
      );
    if (typeof outcome === 'boolean') return settle(outcome);
    const result = outcome.then(settle, () => settle(false));
    this.pending.set(key, result);
    void result.finally(() => this.pending.delete(key));
    return result;
  }

  /** Number of cached credentials (for tests). */
  get cachedCredentials(): number {
    return this.cache.size;
  }

  private settle(ok: boolean, cacheKey: string | undefined, username: string, host: string | undefined): AuthResult {
    if (!ok) return this.countFailure(FAILURES.invalid_credentials, host);
    // Only `username`: Go's AuthData also has `raw` (the base64 credentials, i.e. the password), which
    // telegate withholds so that no processor or log can copy the password out of the payload context.
    const result: AuthResult = Object.freeze({ ok: true, auth: Object.freeze({ username }) });
    if (cacheKey !== undefined) this.cache.set(cacheKey, result);
    return result;
  }

  /** Counts a failed verification against the host; a waiter on a shared check counts as its own attempt. */
  private countFailure(result: AuthResult, host: string | undefined): AuthResult {
    if (result.ok) return result;
    this.failures.invalid_credentials.add(1);
    if (this.throttle.fail(host)) {
      const t = this.config.throttle;
      this.logger.warn('authentication failures from one client address: refusing it for a while', {
        client: host,
        failures: t.max_failures,
        block_ms: t.block,
      });
    }
    return result;
  }

  private refuse(reason: 'missing' | 'malformed'): AuthResult {
    this.failures[reason].add(1);
    return FAILURES[reason];
  }

  private throttled(retryAfterMs: number): AuthResult {
    this.failures.throttled.add(1);
    const seconds = Math.ceil(retryAfterMs / 1000);
    return {
      ok: false,
      reason: 'throttled',
      message: `too many failed authentications from this address: retry in ${seconds}s`,
      challenge: CHALLENGE,
      retryAfterMs,
    };
  }

  private htpasswd(): { file: string; inline: string } {
    return { file: this.config.htpasswd?.file ?? '', inline: this.config.htpasswd?.inline.reveal() ?? '' };
  }

  private install(loaded: Extract<HtpasswdLoad, { ok: true }>): void {
    this.table = loaded.table;
    this.generation++;
    this.cache.clear();
    const { users, plainUsers, desLikeUsers } = loaded.table;
    if (users.size === 0) this.logger.warn('htpasswd has no users: every request will be refused');
    if (plainUsers > 0)
      this.logger.warn('htpasswd stores plain-text passwords; store bcrypt hashes instead (telegate passwd USER)', {
        plain_users: plainUsers,
      });
    if (desLikeUsers > 0)
      this.logger.warn(
        'htpasswd entries look like DES crypt hashes (htpasswd -d), which are not supported: they are read as plain-text passwords',
        { users: desLikeUsers },
      );
  }

  private onReloaded(loaded: Extract<HtpasswdLoad, { ok: true }>): void {
    this.install(loaded);
    this.logger.info('htpasswd reloaded', { file: this.htpasswd().file, users: loaded.table.users.size });
    this.events.emit('reloaded', loaded.table.users.size);
  }

  private onReloadFailed(message: string): void {
    this.logger.error('htpasswd reload failed; keeping the users loaded before', {
      error: message,
      users: this.table?.users.size ?? 0,
    });
    this.events.emit('reload-failed', message);
  }
}
