// SHA-crypt (`$5$` SHA-256, `$6$` SHA-512), written from Ulrich Drepper's published specification
// ("Unix crypt using SHA-256 and SHA-512", https://www.akkadia.org/drepper/SHA-crypt.txt) and checked
// against `openssl passwd -5 / -6` and `htpasswd -2 / -5` in the tests.
import { createHash } from 'node:crypto';
import { cryptBase64 } from './crypt-base64.ts';

/** SHA-crypt's two variants. */
export type ShaCryptAlgorithm = 'sha256' | 'sha512';

/** The spec's default, minimum and maximum round counts. */
export const SHA_CRYPT_ROUNDS = { default: 5000, min: 1000, max: 999_999_999 } as const;
const MAX_SALT = 16;

/**
 * Output byte order as the spec lists it: triples (s, s+n, s+2n) modulo 3n, where s advances by
 * 21 (SHA-256, n = 10) or 22 (SHA-512, n = 21), then the leftover bytes.
 */
function order(size: number): number[][] {
  const third = size === 32 ? 10 : 21;
  const step = size === 32 ? 21 : 22;
  const span = third * 3;
  const groups: number[][] = [];
  for (let g = 0; g < third; g++) {
    const start = (g * step) % span;
    groups.push([start, (start + third) % span, (start + 2 * third) % span]);
  }
  groups.push(size === 32 ? [31, 30] : [63]);
  return groups;
}
const ORDERS = { sha256: order(32), sha512: order(64) } as const;

/** The checksum part of a SHA-crypt hash (43 or 86 characters). `rounds` is clamped as the spec says. */
export function shaCrypt(algorithm: ShaCryptAlgorithm, password: Buffer, salt: string, rounds: number): string {
  const size = algorithm === 'sha256' ? 32 : 64;
  const s = Buffer.from(salt.slice(0, MAX_SALT), 'utf8');
  const b = hash(algorithm, password, s, password);
  const ctxA = createHash(algorithm).update(password).update(s);
  for (let left = password.length; left > 0; left -= size) ctxA.update(b.subarray(0, Math.min(left, size)));
  for (let i = password.length; i > 0; i >>>= 1) ctxA.update(i & 1 ? b : password);
  const a = ctxA.digest();
  const p = repeatTo(hash(algorithm, ...Array<Buffer>(password.length).fill(password)), password.length);
  const sRep = repeatTo(hash(algorithm, ...Array<Buffer>(16 + (a[0] ?? 0)).fill(s)), s.length);
  let c = a;
  const n = clampRounds(rounds);
  for (let round = 0; round < n; round++) {
    const h = createHash(algorithm);
    h.update(round & 1 ? p : c);
    if (round % 3 !== 0) h.update(sRep);
    if (round % 7 !== 0) h.update(p);
    h.update(round & 1 ? c : p);
    c = h.digest();
  }
  return cryptBase64(c, ORDERS[algorithm], size === 32 ? 3 : 2);
}

/** Rounds as the spec applies them: below the minimum → minimum, above the maximum → maximum. */
export function clampRounds(rounds: number): number {
  return Math.min(SHA_CRYPT_ROUNDS.max, Math.max(SHA_CRYPT_ROUNDS.min, Math.floor(rounds)));
}

function hash(algorithm: ShaCryptAlgorithm, ...parts: Buffer[]): Buffer {
  const h = createHash(algorithm);
  for (const part of parts) h.update(part);
  return h.digest();
}

/** `digest` repeated (and cut) to `length` bytes, the spec's P and S sequences. */
function repeatTo(digest: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += digest.length) digest.copy(out, i, 0, Math.min(digest.length, length - i));
  return out;
}
