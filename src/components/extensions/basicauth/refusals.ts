// The answers basicauth refuses with, written for the client: they say what to fix and, for a
// credential, which user was refused — never the password, and never whether the user exists.
import type { AuthResult } from '../../../contracts/auth.ts';

/** A refusal. */
export type Refusal = Extract<AuthResult, { ok: false }>;

/** The WWW-Authenticate challenge of every refusal. */
export const CHALLENGE = 'Basic realm="telegate"';
const HELP = 'send an Authorization: Basic header holding base64 of user:password';
// A user name is the client's own input: quoted, and cut short so that a huge one does not bloat
// every answer (it is echoed to the client that sent it, and to nobody else).
const MAX_USER_CHARS = 64;

export const MISSING: Refusal = Object.freeze({
  ok: false,
  reason: 'unauthenticated',
  message: `no basic auth provided: ${HELP}`,
  challenge: CHALLENGE,
});

export const MALFORMED: Refusal = Object.freeze({
  ok: false,
  reason: 'unauthenticated',
  message: `invalid authorization format: ${HELP}`,
  challenge: CHALLENGE,
});

/** A user name as it may appear in an answer or a log line. */
export function quotedUser(username: string): string {
  return JSON.stringify(username.length > MAX_USER_CHARS ? `${username.slice(0, MAX_USER_CHARS)}…` : username);
}

/**
 * One answer for an unknown user and a wrong password (which one was wrong is not revealed, as Go
 * does), naming the user so that an operator reading the edge's log knows which credential to fix.
 */
export function invalidCredentials(username: string): Refusal {
  return Object.freeze({
    ok: false,
    reason: 'unauthenticated',
    message: `invalid credentials for user ${quotedUser(username)}: the user name or password is not accepted`,
    challenge: CHALLENGE,
  });
}

/** Refused before any check: the client is blocked, or has its maximum of checks in flight. */
export function throttled(retryAfterMs: number): Refusal {
  return {
    ok: false,
    reason: 'throttled',
    message: `too many failed logins from this client: retry in ${String(Math.ceil(retryAfterMs / 1000))}s`,
    challenge: CHALLENGE,
    retryAfterMs,
  };
}

/** Refused before any check: the process-wide bound on hash work was reached. */
export function busy(retryAfterMs: number): Refusal {
  return {
    ok: false,
    reason: 'throttled',
    message: `the server is busy checking other credentials: retry in ${String(Math.ceil(retryAfterMs / 1000))}s`,
    retryAfterMs,
  };
}
