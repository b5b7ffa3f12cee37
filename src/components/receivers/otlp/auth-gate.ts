// Hot path: every request of a protocol with `auth` (see bench/load).
// The receiver's side of a server authenticator (DESIGN.md §4): asks it about a request's headers
// and turns its answer into the status the client gets (UNAUTHENTICATED / 401 with a challenge,
// RESOURCE_EXHAUSTED / 429 with a delay, INTERNAL / 500 when it fails), counting each refusal.
import type { AuthResult, RequestHeaders, ServerAuthenticator } from '../../../contracts/auth.ts';
import type { Logger } from '../../../contracts/component.ts';
import { ERRORS, type ErrorCode } from '../../../errors/catalogue.ts';
import type { AuthCounters, Transport } from './counters.ts';
import { redactCredentials } from './credential-headers.ts';
import { errorMessage } from '../../../errors/thrown.ts';
import { RateLimitedLog } from '../../../util/rate-limited-log.ts';

/** The request may proceed with this verified identity, or is answered with the refusal. */
export type AuthCheck =
  | { readonly ok: true; readonly auth: Readonly<Record<string, string>> }
  | {
      readonly ok: false;
      readonly code: number;
      readonly httpStatus: number;
      readonly message: string;
      readonly challenge?: string | undefined;
      readonly retryAfterMs?: number | undefined;
    };

// A throttled answer without a delay still needs RetryInfo, or OTLP clients would drop the data.
const DEFAULT_THROTTLE_MS = 1000;

const FAILED: AuthCheck = Object.freeze({
  ok: false,
  ...statuses('TG_AUTH_FAILED'),
  message: 'internal error: the authenticator failed',
});

function statuses(error: ErrorCode): { readonly code: number; readonly httpStatus: number } {
  return { code: ERRORS[error].grpc, httpStatus: ERRORS[error].http };
}

/** One protocol's authentication step. */
export class AuthGate {
  private readonly authenticator: ServerAuthenticator;
  private readonly id: string;
  private readonly counters: AuthCounters;
  private readonly logger: Logger;
  private readonly transport: Transport;
  // An authenticator that keeps failing logs at most once per interval.
  private readonly failureLog: RateLimitedLog;

  constructor(
    authenticator: ServerAuthenticator,
    id: string,
    counters: AuthCounters,
    logger: Logger,
    transport: Transport,
  ) {
    this.authenticator = authenticator;
    this.id = id;
    this.counters = counters;
    this.logger = logger;
    this.transport = transport;
    this.failureLog = new RateLimitedLog(logger);
  }

  /** Writes a failure summary still held back; the gate stays usable. */
  close(): void {
    this.failureLog.close();
  }

  /** Asks the authenticator; synchronous when it answers synchronously (a cache hit). Never throws. */
  check(headers: RequestHeaders, clientAddress: string | undefined): AuthCheck | Promise<AuthCheck> {
    let result: AuthResult | Promise<AuthResult>;
    try {
      result = this.authenticator.authenticate(headers, clientAddress);
    } catch (err) {
      return this.failed(err, headers);
    }
    if (!isPromise(result)) return this.outcome(result, clientAddress);
    return result.then(
      (r) => this.outcome(r, clientAddress),
      (err: unknown) => this.failed(err, headers),
    );
  }

  private outcome(result: AuthResult, clientAddress: string | undefined): AuthCheck {
    if (result.ok) return result;
    const throttled = result.reason === 'throttled';
    (throttled ? this.counters.throttled : this.counters.unauthenticated).add(1);
    if (this.logger.isDebugEnabled()) {
      // The authenticator's message is written for the client and holds no secret.
      this.logger.debug('Refused an unauthenticated request', {
        transport: this.transport,
        authenticator: this.id,
        reason: result.message,
        client: clientAddress,
      });
    }
    if (throttled) {
      return {
        ok: false,
        ...statuses('TG_AUTH_THROTTLED'),
        message: result.message,
        retryAfterMs: result.retryAfterMs ?? DEFAULT_THROTTLE_MS,
      };
    }
    return {
      ok: false,
      ...statuses('TG_AUTH_UNAUTHENTICATED'),
      message: result.message,
      challenge: result.challenge,
    };
  }

  private failed(err: unknown, headers: RequestHeaders): AuthCheck {
    this.counters.failed.add(1);
    this.failureLog.log('error', 'The authenticator failed; the request was answered with an internal error', {
      transport: this.transport,
      authenticator: this.id,
      // An authenticator might echo what it was given: the credentials are cut out of its message.
      error: redactCredentials(errorMessage(err), headers, this.authenticator),
    });
    return FAILED;
  }
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown }).then === 'function';
}
