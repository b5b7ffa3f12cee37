// The server side of basicauth: checks `Authorization: Basic` against htpasswd entries (the decision
// itself is credential-checker.ts: caches, throttle, hash-work bound), and reloads the htpasswd file
// when it changes.
import { EventEmitter } from 'node:events';
import type { AuthResult, RequestHeaders, ServerAuthenticator } from '../../../contracts/auth.ts';
import type { CreateSettings, Logger } from '../../../contracts/component.ts';
import { TelegateError } from '../../../errors/catalogue.ts';
import { bindAuthMetrics } from './auth-metrics.ts';
import { ClientResolver } from './client-address.ts';
import type { BasicAuthConfig } from './config.ts';
import { DEFAULT_CACHE_ENTRIES } from './credential-cache.ts';
import { CredentialChecker } from './credential-checker.ts';
import { FileWatcher } from './file-watcher.ts';
import { HASH_WORK, type HashWorkLimit } from './hash-work-limit.ts';
import type { HtpasswdTable } from './htpasswd.ts';
import { loadHtpasswd, type HtpasswdLoad } from './htpasswd-loader.ts';
import type { BcryptVerify } from './password-verifier.ts';
import { HtpasswdReloader } from './htpasswd-reloader.ts';

export { CHALLENGE } from './refusals.ts';

/** Test seams and tuning; production uses the defaults. */
export interface BasicAuthServerOptions {
  readonly bcryptVerify?: BcryptVerify;
  readonly now?: () => number;
  readonly pollMs?: number;
  readonly debounceMs?: number;
  readonly cacheEntries?: number;
  /** The bound on hash work; default the one shared by the whole process. */
  readonly hashWork?: HashWorkLimit;
}

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
  private readonly checker: CredentialChecker;
  private readonly options: BasicAuthServerOptions;
  private table: HtpasswdTable | undefined;
  private reloader: HtpasswdReloader | undefined;

  constructor(settings: CreateSettings, config: BasicAuthConfig, options: BasicAuthServerOptions = {}) {
    this.id = settings.id.id;
    this.config = config;
    this.logger = settings.logger;
    this.options = options;
    const t = config.throttle;
    const sizes = { success: () => this.checker.successes.size, failure: () => this.checker.failures.size };
    const metrics = bindAuthMetrics(settings.telemetry, this.id, {
      ...sizes,
      throttle: () => this.checker.throttleEntries,
    });
    this.checker = new CredentialChecker({
      throttle: {
        enabled: t.enabled,
        maxFailures: t.max_failures,
        maxFailuresPerClient: t.max_failures_per_client,
        windowMs: t.window,
        blockMs: t.block,
      },
      clients: new ClientResolver(t.trusted_proxies),
      hashWork: options.hashWork ?? HASH_WORK,
      cacheEntries: options.cacheEntries ?? DEFAULT_CACHE_ENTRIES,
      logger: settings.logger,
      now: options.now ?? Date.now,
      metrics,
    });
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
    this.checker.close();
    return Promise.resolve();
  }

  /** Checks a request's credentials; synchronous for every answer that needs no hash work. */
  authenticate(headers: RequestHeaders, clientAddress: string | undefined): AuthResult | Promise<AuthResult> {
    return this.checker.authenticate(headers, clientAddress);
  }

  /** Number of cached credentials (for tests). */
  get cachedCredentials(): number {
    return this.checker.successes.size;
  }

  private htpasswd(): { file: string; inline: string } {
    return { file: this.config.htpasswd?.file ?? '', inline: this.config.htpasswd?.inline.reveal() ?? '' };
  }

  private install(loaded: Extract<HtpasswdLoad, { ok: true }>): void {
    this.table = loaded.table;
    this.checker.install(loaded.table);
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
