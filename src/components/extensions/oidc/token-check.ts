// Verifying one JWT with jose: the signature with a provider key (asymmetric algorithms only, so that
// neither `none` nor an HMAC keyed with a public key can pass), `iss`, `aud`, `exp` (required) and
// `nbf` with a small clock skew; a failure becomes a reason from a fixed set, with a message that helps
// the client without revealing more than the token already says.
import { errors, jwtVerify, type JWSAlgorithm, type JWTPayload, type JWTVerifyGetKey } from 'jose';

/** RFC 7518 §3.1's asymmetric algorithms, as go-oidc accepts them; HS* and `none` are never accepted. */
export const ACCEPTED_ALGORITHMS: JWSAlgorithm[] = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

/** Tolerated difference between our clock and the provider's, for `exp` and `nbf`. */
export const CLOCK_SKEW_S = 30;

/** Why a token was refused (the `reason` label of telegate_auth_failures). */
export type TokenRefusal =
  | 'malformed'
  | 'algorithm'
  | 'unknown_key'
  | 'signature'
  | 'expired'
  | 'not_yet_valid'
  | 'issuer'
  | 'audience'
  | 'claims';

/** The client's message for each refusal. */
export const REFUSAL_MESSAGES: Readonly<Record<TokenRefusal, string>> = {
  malformed: 'the bearer token is not a signed JWT',
  algorithm: 'the token is signed with an algorithm that is not accepted (asymmetric algorithms only)',
  unknown_key: 'the token is signed by an unknown key',
  signature: 'the token signature is invalid',
  expired: 'the token has expired',
  not_yet_valid: 'the token is not valid yet',
  issuer: 'the token was issued by another issuer',
  audience: 'the token is for another audience',
  claims: 'the token lacks a required claim',
};

/** What the token must say. */
export interface TokenRules {
  readonly issuer: string;
  /** Undefined: any audience (`ignore_audience`). */
  readonly audience: string | undefined;
}

/** The verified claims, or why not. */
export type TokenCheck =
  { readonly ok: true; readonly claims: JWTPayload } | { readonly ok: false; readonly refusal: TokenRefusal };

/** Verifies `token`; never rejects: every failure is a refusal. */
export async function checkToken(token: string, keys: JWTVerifyGetKey, rules: TokenRules): Promise<TokenCheck> {
  try {
    const { payload } = await jwtVerify(token, keys, {
      algorithms: ACCEPTED_ALGORITHMS,
      issuer: rules.issuer,
      ...(rules.audience === undefined ? {} : { audience: rules.audience }),
      clockTolerance: CLOCK_SKEW_S,
      requiredClaims: ['exp'],
    });
    return { ok: true, claims: payload };
  } catch (err) {
    return { ok: false, refusal: refusalOf(err) };
  }
}

function refusalOf(err: unknown): TokenRefusal {
  if (err instanceof errors.JWTExpired) return 'expired';
  if (err instanceof errors.JWTClaimValidationFailed) return claimRefusal(err.claim, err.reason);
  if (err instanceof errors.JOSEAlgNotAllowed) return 'algorithm';
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) return 'unknown_key';
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'signature';
  // JWSInvalid, JWTInvalid, JOSENotSupported (an unknown alg name, `crit`), a bad key in the set…
  return 'malformed';
}

function claimRefusal(claim: string, reason: string): TokenRefusal {
  if (reason === 'missing') return 'claims';
  if (claim === 'iss') return 'issuer';
  if (claim === 'aud') return 'audience';
  if (claim === 'nbf') return 'not_yet_valid';
  return 'claims';
}
