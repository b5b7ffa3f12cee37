// What a verified token says about its bearer, as the request context carries it (Go's authData):
// `subject` (the `username_claim`, or `sub`), `membership` (the `groups_claim`, joined with `;` as
// from_context joins several values) and every other top-level claim with a scalar value under its
// own name, so that `from_context: auth.<claim>` works as in Go. The raw token is never put there.
import type { JWTPayload } from 'jose';

/** Which claims name the subject and its groups ('' = `sub` / none). */
export interface IdentityClaims {
  readonly usernameClaim: string;
  readonly groupsClaim: string;
}

/** The identity, or Go's message for a token that lacks what the config asks for. */
export type IdentityResult =
  | { readonly ok: true; readonly auth: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly message: string };

/** Builds the context's `auth.*` of a verified token. */
export function identityOf(claims: JWTPayload, names: IdentityClaims): IdentityResult {
  const subject = subjectOf(claims, names.usernameClaim);
  if (typeof subject !== 'string') return { ok: false, message: subject.message };
  const auth: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      auth[name] = String(value);
  }
  auth.subject = subject;
  if (names.groupsClaim !== '') {
    const groups = claims[names.groupsClaim];
    if (groups === undefined)
      return { ok: false, message: 'groups claim from the OIDC configuration not found on the token' };
    auth.membership = Array.isArray(groups) ? groups.map(text).join(';') : text(groups);
  }
  return { ok: true, auth: Object.freeze(auth) };
}

function subjectOf(claims: JWTPayload, usernameClaim: string): string | { message: string } {
  if (usernameClaim === '') return claims.sub ?? '';
  const value = claims[usernameClaim];
  if (value === undefined) return { message: 'username claim from the OIDC configuration not found on the token' };
  if (typeof value !== 'string') return { message: 'the username claim of the token is not a string' };
  return value;
}

// Go formats each group with %v; a non-scalar group is written as JSON.
function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
