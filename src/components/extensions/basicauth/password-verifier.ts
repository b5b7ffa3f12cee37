// What an htpasswd entry becomes once parsed: a verifier for one stored password hash. Comparisons of
// derived values are constant-time so that a response's timing says nothing about how close a guess was.
import { createHash, timingSafeEqual } from 'node:crypto';

/** The hash schemes an htpasswd entry may use (those github.com/tg123/go-htpasswd accepts). */
export type HashScheme = 'bcrypt' | 'md5-crypt' | 'apr1' | 'sha256-crypt' | 'sha512-crypt' | 'sha1' | 'ssha' | 'plain';

/** Checks a password against one stored hash. */
export interface PasswordVerifier {
  readonly scheme: HashScheme;
  /** Rough cost of one check in µs, to pick the entry unknown users are checked against. */
  readonly cost: number;
  /** bcrypt answers asynchronously (it runs on the libuv pool); the other schemes synchronously. */
  verify(password: Buffer): boolean | Promise<boolean>;
}

/** bcrypt's check, injectable so that tests can count calls. */
export type BcryptVerify = (password: Buffer, hash: string) => Promise<boolean>;

/**
 * Constant-time equality of two byte strings of any length: their SHA-256 digests are compared with
 * timingSafeEqual (which needs equal lengths), so neither content nor length leaks through timing.
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}
