// MD5-crypt (`$1$`, Poul-Henning Kamp's FreeBSD crypt) and Apache's `$apr1$`, which is the same
// algorithm with another magic string. Written from the published algorithm (FreeBSD crypt-md5.c,
// APR apr_md5.c); checked against `openssl passwd -1 / -apr1` and `htpasswd -m` in the tests.
import { createHash } from 'node:crypto';
import { cryptBase64 } from './crypt-base64.ts';

/** The two magic prefixes of MD5-crypt. */
export type Md5Magic = '$1$' | '$apr1$';

const ROUNDS = 1000;
const MAX_SALT = 8;
/** Byte order of the final encoding: five triples, then byte 11 alone in two characters. */
const ORDER = [[0, 6, 12], [1, 7, 13], [2, 8, 14], [3, 9, 15], [4, 10, 5], [11]] as const;

/** The 22-character checksum of `password` with `salt` (at most 8 characters are used). */
export function md5Crypt(password: Buffer, salt: string, magic: Md5Magic): string {
  const saltBytes = Buffer.from(salt.slice(0, MAX_SALT), 'utf8');
  const alternate = md5(password, saltBytes, password);
  const ctx = createHash('md5').update(password).update(magic).update(saltBytes);
  for (let left = password.length; left > 0; left -= 16) ctx.update(alternate.subarray(0, Math.min(left, 16)));
  // For each bit of the length, low first: a zero byte for a 1 bit, the first password byte for a 0 bit.
  for (let i = password.length; i > 0; i >>>= 1) ctx.update(i & 1 ? ZERO : password.subarray(0, 1));
  let digest = ctx.digest();
  for (let round = 0; round < ROUNDS; round++) {
    const h = createHash('md5');
    h.update(round & 1 ? password : digest);
    if (round % 3 !== 0) h.update(saltBytes);
    if (round % 7 !== 0) h.update(password);
    h.update(round & 1 ? digest : password);
    digest = h.digest();
  }
  return cryptBase64(digest, ORDER, 2);
}

const ZERO = Buffer.alloc(1);

function md5(...parts: Buffer[]): Buffer {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return h.digest();
}
