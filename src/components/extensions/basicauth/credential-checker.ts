// Hot path (per request, not per item): a cached credential costs a base64 decode and one HMAC, ~2 µs
// (measured ad hoc; bench/auth/refusal-suite.ts measures the refusal side).
// basicauth's decision for one request, cheapest answer first (README "Throttling"): success cache →
// negative cache → same check in flight → throttle (reserve) → process-wide hash-work slot → hash.
import type { AuthResult, RequestHeaders } from '../../../contracts/auth.ts';
import type { Logger } from '../../../contracts/component.ts';
import { AttemptThrottle, type Reservation, type ThrottleSettings } from './attempt-throttle.ts';
import type { AuthMetrics, FailureReason } from './auth-metrics.ts';
import { authorizationHeader, decodeBasic, type BasicCredential } from './basic-header.ts';
import type { ClientResolver } from './client-address.ts';
import { CredentialCache } from './credential-cache.ts';
import type { HashWorkLimit } from './hash-work-limit.ts';
import type { HtpasswdTable } from './htpasswd.ts';
import { RateLimitedLog } from '../../../util/rate-limited-log.ts';
import * as refusals from './refusals.ts';

/** What the checker is built from. */
export interface CheckerParts {
  readonly throttle: ThrottleSettings;
  readonly clients: ClientResolver;
  readonly hashWork: HashWorkLimit;
  readonly cacheEntries: number;
  readonly logger: Logger;
  readonly now: () => number;
  readonly metrics: AuthMetrics;
}

type Failure = refusals.Refusal;

/** One check under way: what the caches and the throttle need once the hash has answered. */
interface Check {
  readonly credential: BasicCredential;
  readonly key: string;
  readonly client: string | undefined;
  readonly reservation: Reservation;
}

/** Decides requests against the installed htpasswd table. */
export class CredentialChecker {
  private readonly parts: CheckerParts;
  private readonly throttle: AttemptThrottle;
  private readonly log: RateLimitedLog;
  /** Verified credentials → the (shared, frozen) success result. */
  readonly successes: CredentialCache<AuthResult>;
  /** Credentials that failed → their refusal: a repeat costs no hash and does not count. */
  readonly failures: CredentialCache<Failure>;
  private readonly pending = new Map<string, Promise<AuthResult>>();
  private table: HtpasswdTable | undefined;
  private generation = 0;

  constructor(parts: CheckerParts) {
    this.parts = parts;
    this.throttle = new AttemptThrottle(parts.throttle, parts.now);
    this.log = new RateLimitedLog(parts.logger);
    this.successes = new CredentialCache(parts.cacheEntries);
    this.failures = new CredentialCache(parts.cacheEntries);
  }

  /** Installs a (re)loaded table; what was remembered about the previous one is forgotten. */
  install(table: HtpasswdTable): void {
    this.table = table;
    this.generation++;
    this.successes.clear();
    this.failures.clear();
  }

  /** Throttle records held (a gauge). */
  get throttleEntries(): number {
    return this.throttle.tracked;
  }

  /** Writes what the rate-limited log holds back and stops its timers (at shutdown). */
  close(): void {
    this.log.close();
  }

  /** Synchronous for every answer that needs no hash (and for the schemes hashed on the loop). */
  authenticate(headers: RequestHeaders, peerAddress: string | undefined): AuthResult | Promise<AuthResult> {
    const header = authorizationHeader(headers);
    if (header === undefined) return this.count('missing', refusals.MISSING);
    const credential = decodeBasic(header);
    if (typeof credential === 'string') return this.count('malformed', refusals.MALFORMED);
    const key = CredentialCache.keyOf(credential.username, credential.password);
    const remembered = this.remembered(key);
    if (remembered !== undefined) return remembered;
    const client = this.parts.clients.resolve(headers, peerAddress);
    const admission = this.throttle.admit(client, credential.username);
    if (!admission.ok) return this.count('throttled', refusals.throttled(admission.retryAfterMs));
    const result = this.withSlot({ credential, key, client, reservation: admission.reservation });
    if (!(result instanceof Promise)) return result;
    this.pending.set(key, result);
    void result.finally(() => this.pending.delete(key));
    return result;
  }

  /** The answer already known for a credential, or the check of it under way; undefined when new. */
  private remembered(key: string): AuthResult | Promise<AuthResult> | undefined {
    // A known-good credential passes even from a blocked client: it costs no hash, so refusing it
    // would protect nothing and would lock healthy edges out behind a shared ingress.
    const known = this.successes.get(key);
    if (known !== undefined) return known;
    // A repeated wrong credential is a misconfiguration, not a guess: refused again, for free.
    const failed = this.failures.get(key);
    if (failed !== undefined) return this.count('repeat', failed);
    // The same new credential sent again while its check runs shares that check, and counts once.
    return this.pending.get(key)?.then((r) => (r.ok || r.reason === 'throttled' ? r : this.count('repeat', r)));
  }

  private withSlot(check: Check): AuthResult | Promise<AuthResult> {
    const slot = this.parts.hashWork.acquire();
    if (slot === true) return this.hash(check);
    if (slot === false) return this.busy(check);
    return slot.then((granted) => (granted ? this.hash(check) : this.busy(check)));
  }

  private busy(check: Check): AuthResult {
    this.throttle.cancel(check.reservation);
    return this.count('busy', refusals.busy(this.parts.hashWork.maxWaitMs));
  }

  /** Runs the hash check in a slot; releases the slot exactly once. */
  private hash(check: Check): AuthResult | Promise<AuthResult> {
    const table = this.table;
    const entry = table?.users.get(check.credential.username);
    // An unknown user is checked against the costliest entry anyway, and then refused, so that the time
    // a refusal takes does not tell whether the user exists.
    const verifier = entry ?? table?.dummy;
    const generation = this.generation;
    const done = (matched: boolean): AuthResult => {
      this.parts.hashWork.release();
      // A check that straddles a reload answers from the table it started with, but is not cached.
      return this.settle(check, matched && entry !== undefined, entry === undefined, generation === this.generation);
    };
    if (verifier === undefined) return done(false);
    this.parts.metrics.verifications.add(1);
    let outcome: boolean | Promise<boolean>;
    try {
      outcome = verifier.verify(check.credential.password);
    } catch {
      outcome = false;
    }
    return typeof outcome === 'boolean' ? done(outcome) : outcome.then(done, () => done(false));
  }

  private settle(check: Check, ok: boolean, unknownUser: boolean, cacheable: boolean): AuthResult {
    const { username } = check.credential;
    const started = this.throttle.settle(check.reservation, !ok);
    if (ok) {
      // Only `username`: Go's AuthData also has `raw` (the base64 credentials, i.e. the password), which
      // telegate withholds so that no processor or log can copy the password out of the payload context.
      const result: AuthResult = Object.freeze({ ok: true, auth: Object.freeze({ username }) });
      if (cacheable) this.successes.set(check.key, result);
      return result;
    }
    const reason: FailureReason = unknownUser ? 'unknown_user' : 'wrong_password';
    const refusal = refusals.invalidCredentials(username);
    if (cacheable) this.failures.set(check.key, refusal);
    const who = { user: refusals.quotedUser(username), client: check.client ?? 'unknown' };
    this.log.log('warn', 'authentication failed: a user was refused', { ...who, reason });
    for (const scope of started) {
      this.parts.metrics.blocks[scope].add(1);
      this.log.log(
        'warn',
        `authentication failures: blocking the ${scope === 'user' ? 'user from this client' : 'client'} for a while`,
        {
          ...(scope === 'user' ? who : { client: who.client }),
          block_ms: this.parts.throttle.blockMs,
        },
      );
    }
    return this.count(reason, refusal);
  }

  private count<T extends AuthResult>(reason: FailureReason, result: T): T {
    this.parts.metrics.failures[reason].add(1);
    return result;
  }
}
