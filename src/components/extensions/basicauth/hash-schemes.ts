// Recognises the password hash of an htpasswd entry, in go-htpasswd's order (MD5-crypt/apr1, {SHA},
// bcrypt, {SSHA}, SHA-crypt, then plain text for anything else), and builds its verifier. Unlike
// go-htpasswd, a hash with a known prefix but a malformed body is an error rather than a dead entry.
import { createHash } from 'node:crypto';
import { verify as bcryptVerifyNative } from '@node-rs/bcrypt';
import { decodeBase64Strict } from './base64-strict.ts';
import { md5Crypt, type Md5Magic } from './md5-crypt.ts';
import { SHA_CRYPT_ROUNDS, clampRounds, shaCrypt, type ShaCryptAlgorithm } from './sha-crypt.ts';
import { equalBytes, type BcryptVerify, type PasswordVerifier } from './password-verifier.ts';

/** A parsed hash, or why it could not be parsed (never quoting the hash: it may be a plain password). */
export type ParsedHash =
  { readonly ok: true; readonly verifier: PasswordVerifier } | { readonly ok: false; readonly message: string };

/** The default bcrypt check: @node-rs/bcrypt on the libuv thread pool. */
export const defaultBcryptVerify: BcryptVerify = (password, hash) => bcryptVerifyNative(password, hash);

/** Measured cost of one check in µs on the reference machine (see PasswordVerifier.cost). */
const COST_US = { md5: 5000, shaCryptPerRound: 2.5, bcryptPerRound: 60 } as const;
const CRYPT_CHARS = '[./0-9A-Za-z]';
const BCRYPT = new RegExp(`^\\$2[abxy]\\$(\\d\\d)\\$${CRYPT_CHARS}{53}$`);
const MD5_BODY = new RegExp(`^([^$]*)\\$(${CRYPT_CHARS}{22})$`);
const SHA_CRYPT_BODY = new RegExp(`^(?:rounds=(\\d+)\\$)?((?!rounds=)[^$]*)\\$(${CRYPT_CHARS}+)$`);

/** Parses the part of an htpasswd line after the first ':'. */
export function parseHash(encoded: string, bcryptVerify: BcryptVerify = defaultBcryptVerify): ParsedHash {
  if (encoded.startsWith('$apr1$')) return md5Entry(encoded, '$apr1$');
  if (encoded.startsWith('$1$')) return md5Entry(encoded, '$1$');
  if (encoded.startsWith('{SHA}')) return shaEntry(encoded.slice(5));
  if (/^\$2[abxy]\$/.test(encoded)) return bcryptEntry(encoded, bcryptVerify);
  if (encoded.startsWith('{SSHA}')) return sshaEntry(encoded.slice(6));
  if (encoded.startsWith('$5$')) return shaCryptEntry(encoded.slice(3), 'sha256');
  if (encoded.startsWith('$6$')) return shaCryptEntry(encoded.slice(3), 'sha512');
  return plainEntry(encoded);
}

function md5Entry(encoded: string, magic: Md5Magic): ParsedHash {
  const m = MD5_BODY.exec(encoded.slice(magic.length));
  if (!m) return { ok: false, message: `malformed ${magic} MD5 hash: expected ${magic}SALT$ and 22 characters` };
  const salt = m[1] ?? '';
  const stored = Buffer.from(m[2] ?? '');
  const scheme = magic === '$1$' ? 'md5-crypt' : 'apr1';
  return ok({ scheme, cost: COST_US.md5, verify: (pw) => equalBytes(Buffer.from(md5Crypt(pw, salt, magic)), stored) });
}

function shaEntry(b64: string): ParsedHash {
  const stored = decodeBase64Strict(b64);
  if (stored?.length !== 20) return { ok: false, message: 'malformed {SHA} hash: expected base64 of 20 bytes' };
  return ok({ scheme: 'sha1', cost: 1, verify: (pw) => equalBytes(sha1(pw), stored) });
}

function sshaEntry(b64: string): ParsedHash {
  const decoded = decodeBase64Strict(b64);
  if (decoded === undefined || decoded.length < 20)
    return {
      ok: false,
      message: 'malformed {SSHA} hash: expected base64 of a 20-byte SHA-1 digest followed by the salt',
    };
  const digest = decoded.subarray(0, 20);
  const salt = decoded.subarray(20);
  return ok({ scheme: 'ssha', cost: 1, verify: (pw) => equalBytes(sha1(pw, salt), digest) });
}

function bcryptEntry(encoded: string, bcryptVerify: BcryptVerify): ParsedHash {
  const cost = Number(BCRYPT.exec(encoded)?.[1] ?? NaN);
  if (!(cost >= 4 && cost <= 31))
    return { ok: false, message: 'malformed bcrypt hash: expected $2y$NN$ (cost 04 to 31) and 53 characters' };
  return ok({ scheme: 'bcrypt', cost: 2 ** cost * COST_US.bcryptPerRound, verify: (pw) => bcryptVerify(pw, encoded) });
}

function shaCryptEntry(body: string, algorithm: ShaCryptAlgorithm): ParsedHash {
  const prefix = algorithm === 'sha256' ? '$5$' : '$6$';
  const length = algorithm === 'sha256' ? 43 : 86;
  const m = SHA_CRYPT_BODY.exec(body);
  if (m?.[3]?.length !== length)
    return {
      ok: false,
      message: `malformed ${prefix} SHA-crypt hash: expected ${prefix}[rounds=N$]SALT$ and ${length} characters`,
    };
  const rounds = m[1] === undefined ? SHA_CRYPT_ROUNDS.default : clampRounds(Number(m[1]));
  const salt = m[2] ?? '';
  const stored = Buffer.from(m[3]);
  return ok({
    scheme: algorithm === 'sha256' ? 'sha256-crypt' : 'sha512-crypt',
    cost: rounds * COST_US.shaCryptPerRound,
    verify: (pw) => equalBytes(Buffer.from(shaCrypt(algorithm, pw, salt, rounds)), stored),
  });
}

/** go-htpasswd's plain scheme: the password itself, or (as nginx writes it) `{PLAIN}` and the password. */
function plainEntry(encoded: string): ParsedHash {
  const stored = Buffer.from(encoded, 'utf8');
  const tagged = Buffer.from('{PLAIN}');
  return ok({
    scheme: 'plain',
    cost: 1,
    verify: (pw) => equalBytes(pw, stored) || equalBytes(Buffer.concat([tagged, pw]), stored),
  });
}

function sha1(...parts: Buffer[]): Buffer {
  const h = createHash('sha1');
  for (const p of parts) h.update(p);
  return h.digest();
}

function ok(verifier: PasswordVerifier): ParsedHash {
  return { ok: true, verifier };
}
