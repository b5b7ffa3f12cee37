// Hot path: every authenticated request (a SHA-256 of the presented header, one digest comparison per
// accepted token). The `bearertokenauth` extension, as Go's bearertokenauthextension: a server accepts
// a request whose header equals `<scheme> <token>` for one of its tokens; a client sends the first.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AuthResult, ClientAuthenticator, RequestHeaders, ServerAuthenticator } from '../../../contracts/auth.ts';
import type { CreateSettings, Host, Logger } from '../../../contracts/component.ts';
import { TelegateError } from '../../../errors/catalogue.ts';
import type { BearerTokenAuthConfig } from './config.ts';
import { readTokenFile, TokenFileWatcher } from './token-file.ts';
import { errorMessage } from '../../../errors/thrown.ts';

const NO_IDENTITY: Readonly<Record<string, string>> = Object.freeze({});

/** The extension instance: both a server and a client authenticator. */
export class BearerTokenAuth implements ServerAuthenticator, ClientAuthenticator {
  readonly isServerAuthenticator = true;
  readonly isClientAuthenticator = true;
  /** A bearer token names nobody. */
  readonly identity = '';
  /** Headers that carry this authenticator's secret (lower-case); receivers keep them out of metadata. */
  readonly credentialHeaders: readonly string[];

  private readonly id: string;
  private readonly header: string;
  private readonly scheme: string;
  private readonly filename: string | undefined;
  private readonly logger: Logger;
  private readonly missing: AuthResult;
  private readonly mismatch: AuthResult;
  private digests: readonly Buffer[] = [];
  private headers: Readonly<Record<string, string>> = Object.freeze({});
  private watcher: TokenFileWatcher | undefined;
  private started = false;
  private readonly reloadWaiters: (() => void)[] = [];

  constructor(settings: CreateSettings, cfg: BearerTokenAuthConfig) {
    this.id = settings.id.id;
    this.logger = settings.logger;
    this.header = cfg.header.toLowerCase();
    this.credentialHeaders = Object.freeze([this.header]);
    this.scheme = cfg.scheme;
    const challenge = `${cfg.scheme === '' ? 'Bearer' : cfg.scheme} realm="telegate"`;
    this.missing = refusal(`missing or empty authorization header: ${cfg.header}`, challenge);
    this.mismatch = refusal('provided authorization does not match expected scheme or token', challenge);
    const tokens = cfg.tokens ?? [];
    // Go: `tokens` wins over `filename`, which wins over `token`.
    if (tokens.length > 0) {
      if (cfg.filename !== undefined) this.logger.warn('tokens are specified; filename is ignored');
      this.setTokens(tokens.map((t) => t.reveal()));
    } else if (cfg.filename !== undefined && cfg.filename !== '') {
      if (cfg.token !== undefined && !cfg.token.isEmpty)
        this.logger.warn('a filename is specified. Configured token(s) is ignored!');
      this.filename = cfg.filename;
    } else {
      this.setTokens([cfg.token?.reveal() ?? '']);
    }
  }

  /** Reads and starts watching `filename`, if configured. */
  start(_host: Host): Promise<void> {
    if (this.started || this.filename === undefined) return Promise.resolve();
    const filename = this.filename;
    let content: string;
    try {
      content = readTokenFile(filename);
    } catch (err) {
      const message = errorMessage(err);
      return Promise.reject(new TelegateError('TG_START_FAILED', `extension ${this.id}: ${message}`, { cause: err }));
    }
    this.setTokens(splitLines(content));
    this.watcher = new TokenFileWatcher(filename, content, this.logger, (value) => {
      this.setTokens(splitLines(value));
      for (const wake of this.reloadWaiters.splice(0)) wake();
    });
    this.watcher.start();
    this.started = true;
    return Promise.resolve();
  }

  /** Stops watching the file. Idempotent, safe before start. */
  async shutdown(): Promise<void> {
    const watcher = this.watcher;
    this.watcher = undefined;
    this.started = false;
    await watcher?.close();
  }

  /** Server side: the request's header must equal `<scheme> <token>` for one accepted token. */
  authenticate(headers: RequestHeaders, _clientAddress: string | undefined): AuthResult {
    const raw = headers[this.header];
    const value = typeof raw === 'string' ? raw : raw?.[0];
    if (value === undefined) return this.missing;
    const presented = sha256(value);
    // Every digest is compared, matched or not, so the time taken does not tell which one matched.
    let matched = false;
    for (const digest of this.digests) matched = timingSafeEqual(digest, presented) || matched;
    return matched ? { ok: true, auth: NO_IDENTITY } : this.mismatch;
  }

  /** Client side: `<header>: <scheme> <first token>`; the same object until the token changes. */
  requestHeaders(): Readonly<Record<string, string>> {
    return this.headers;
  }

  /** Resolves at the next change of the tokens read from `filename` (tests wait on it). */
  nextReload(): Promise<void> {
    return new Promise((resolve) => this.reloadWaiters.push(resolve));
  }

  private setTokens(tokens: readonly string[]): void {
    const values = tokens.map((t) => (this.scheme === '' ? t : `${this.scheme} ${t}`));
    this.digests = values.map(sha256);
    this.headers = Object.freeze({ [this.header]: values[0] ?? '' });
  }
}

function refusal(message: string, challenge: string): AuthResult {
  return Object.freeze({ ok: false, reason: 'unauthenticated', message, challenge });
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

// One token per line; blank lines are skipped (Go would accept a bare "Bearer " for them).
function splitLines(content: string): string[] {
  return content
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}
