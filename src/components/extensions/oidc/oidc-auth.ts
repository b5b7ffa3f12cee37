// Hot path: every authenticated request (a header read and a map lookup when the token is cached).
// The `oidc` extension, as Go contrib's oidcauthextension: a server authenticator accepting requests
// that carry `Bearer <JWT>` signed by the OpenID provider's published keys for the configured
// audience; the subject and groups go into the request context. Verified tokens are cached until expiry.
import type { AuthResult, RequestHeaders, ServerAuthenticator } from '../../../contracts/auth.ts';
import type { Counter, CreateSettings, Host } from '../../../contracts/component.ts';
import type { OidcConfig } from './config.ts';
import { identityOf, type IdentityClaims } from './identity.ts';
import { DEFAULT_TIMING, ProviderKeys, type ProviderKeysTiming } from './provider-keys.ts';
import { CLOCK_SKEW_S, REFUSAL_MESSAGES, checkToken, type TokenRefusal, type TokenRules } from './token-check.ts';
import { VerifiedTokens } from './verified-tokens.ts';

/** Every reason a request is refused (the `reason` label of telegate_auth_failures). */
export type OidcFailure = TokenRefusal | 'missing' | 'header' | 'provider_unavailable';

const FAILURES: readonly OidcFailure[] = [
  'missing',
  'header',
  'provider_unavailable',
  ...(Object.keys(REFUSAL_MESSAGES) as TokenRefusal[]),
];

const BEARER = 'bearer ';
// Distinct tokens being verified at once that later calls can join; beyond it each verifies alone.
const MAX_PENDING = 1000;

/** The extension instance. */
export class OidcAuth implements ServerAuthenticator {
  readonly isServerAuthenticator = true as const;
  /** The token is the credential: receivers keep this header out of the request metadata. */
  readonly credentialHeaders: readonly string[];

  private readonly attribute: string;
  private readonly rules: TokenRules;
  private readonly names: IdentityClaims;
  private readonly keys: ProviderKeys;
  private readonly verified = new VerifiedTokens();
  private readonly pending = new Map<string, Promise<AuthResult>>();
  private readonly signatureChecks: Counter;
  private readonly failures: Readonly<Record<OidcFailure, Counter>>;
  private readonly refusals: Readonly<Record<TokenRefusal | 'missing' | 'header', AuthResult>>;

  constructor(settings: CreateSettings, cfg: OidcConfig, timing: ProviderKeysTiming = DEFAULT_TIMING) {
    const id = settings.id.id;
    this.attribute = cfg.attribute.toLowerCase();
    this.credentialHeaders = Object.freeze([this.attribute]);
    this.rules = { issuer: cfg.issuer_url, audience: cfg.ignore_audience ? undefined : cfg.audience };
    this.names = { usernameClaim: cfg.username_claim, groupsClaim: cfg.groups_claim };
    const reads = (outcome: string): Counter =>
      settings.telemetry.counter('telegate_oidc_key_reads', 'Reads of the OpenID provider key set, by outcome.', {
        authenticator: id,
        outcome,
      });
    const [readOk, readFailed] = [reads('success'), reads('failure')];
    this.keys = new ProviderKeys(cfg.issuer_url, cfg.issuer_ca_path, settings.logger, timing, {
      onRefresh: (ok) => {
        (ok ? readOk : readFailed).add(1);
      },
    });
    this.failures = bindFailures(settings, id);
    this.signatureChecks = settings.telemetry.counter(
      'telegate_oidc_token_checks',
      'Tokens whose signature and claims an oidc authenticator checked (cache misses).',
      { authenticator: id },
    );
    settings.telemetry.observe(
      'telegate_oidc_verified_tokens',
      'Verified tokens held until they expire.',
      { authenticator: id },
      () => this.verified.size,
    );
    this.refusals = refusalsFor(cfg.attribute);
  }

  /** Reads the provider's keys (one attempt; then retried in the background). Never fails. */
  start(_host: Host): Promise<void> {
    return this.keys.start();
  }

  /** Stops retrying and forgets verified tokens. Idempotent, safe before start. */
  shutdown(): Promise<void> {
    this.keys.stop();
    this.verified.clear();
    return Promise.resolve();
  }

  /** Settles once the provider's keys are held (tests wait on it). */
  whenReady(): Promise<void> {
    return this.keys.ready;
  }

  /** Synchronous for a token already verified; otherwise verifies it once. */
  authenticate(headers: RequestHeaders, _clientAddress: string | undefined): AuthResult | Promise<AuthResult> {
    const raw = headers[this.attribute];
    // Go uses the first value when there are several.
    const value = typeof raw === 'string' ? raw : raw?.[0];
    if (value === undefined || value === '') return this.refuse('missing');
    const token = bearerToken(value);
    if (token === undefined) return this.refuse('header');
    const nowMs = Date.now();
    const cached = this.verified.get(token, nowMs);
    if (cached !== undefined) return cached;
    // A burst of calls with a new token (an edge's in-flight exports) shares one signature check.
    const pending = this.pending.get(token);
    if (pending !== undefined) return pending;
    const verifying = this.verify(token).finally(() => this.pending.delete(token));
    if (this.pending.size < MAX_PENDING) this.pending.set(token, verifying);
    return verifying;
  }

  private async verify(token: string): Promise<AuthResult> {
    if (!this.keys.isReady) {
      this.failures.provider_unavailable.add(1);
      // Retryable (RESOURCE_EXHAUSTED / 429 with a delay): the client keeps its data for later.
      return {
        ok: false,
        reason: 'throttled',
        message: 'the OpenID provider has not been reached yet; retry later',
        retryAfterMs: this.keys.retryAfterMs(),
      };
    }
    this.signatureChecks.add(1);
    const check = await checkToken(token, this.keys.resolve, this.rules);
    if (!check.ok) return this.refuse(check.refusal);
    const identity = identityOf(check.claims, this.names);
    if (!identity.ok) {
      this.failures.claims.add(1);
      return refusal(identity.message);
    }
    const result: AuthResult = { ok: true, auth: identity.auth };
    // `exp` is required by checkToken; accepted while jose would accept it.
    this.verified.set(token, result, ((check.claims.exp ?? 0) + CLOCK_SKEW_S) * 1000);
    return result;
  }

  private refuse(why: TokenRefusal | 'missing' | 'header'): AuthResult {
    this.failures[why].add(1);
    return this.refusals[why];
  }
}

// `Bearer <token>`, the scheme case-insensitive (RFC 6750 §2.1, RFC 7235 §2.1); Go splits on the space.
function bearerToken(value: string): string | undefined {
  if (value.length <= BEARER.length || value.slice(0, BEARER.length).toLowerCase() !== BEARER) return undefined;
  const token = value.slice(BEARER.length);
  return token.includes(' ') ? undefined : token;
}

function refusal(message: string, error = 'invalid_token'): AuthResult {
  // RFC 6750 §3: the challenge names the error; the description is the same text the client gets.
  return Object.freeze({
    ok: false,
    reason: 'unauthenticated',
    message,
    challenge: `Bearer realm="telegate", error="${error}", error_description="${message}"`,
  });
}

function refusalsFor(attribute: string): Record<TokenRefusal | 'missing' | 'header', AuthResult> {
  const out = {
    missing: Object.freeze({
      ok: false,
      reason: 'unauthenticated',
      message: `missing or empty ${attribute} header: send "Bearer <token>"`,
      challenge: 'Bearer realm="telegate"',
    }),
    header: refusal(`invalid ${attribute} header format: expected "Bearer <token>"`, 'invalid_request'),
  } as Record<TokenRefusal | 'missing' | 'header', AuthResult>;
  for (const [why, message] of Object.entries(REFUSAL_MESSAGES)) out[why as TokenRefusal] = refusal(message);
  return out;
}

function bindFailures(settings: CreateSettings, authenticator: string): Record<OidcFailure, Counter> {
  const out = {} as Record<OidcFailure, Counter>;
  for (const reason of FAILURES)
    out[reason] = settings.telemetry.counter(
      'telegate_auth_failures',
      'Requests refused by an authenticator, by reason.',
      {
        authenticator,
        reason,
      },
    );
  return out;
}
