// Each edge's password and the gateway's htpasswd line for it. A password is taken from the spec, else
// from the Secret an earlier render wrote, else generated; a hash is reused while it still verifies the
// password (bcrypt salts each hash, so hashing again would change the file on every render).
import { randomBytes } from 'node:crypto';
import { verifySync } from '@node-rs/bcrypt';
import { htpasswdBcrypt } from '../util/htpasswd-bcrypt.ts';
import { edgeUser, type K8sSpec } from './spec.ts';

/** The bcrypt cost of rendered hashes (`telegate passwd`'s default). */
export const HASH_COST = 10;

/** What an earlier render left: edge passwords by cluster, htpasswd hashes by user. */
export interface ExistingCredentials {
  readonly passwords: ReadonlyMap<string, string>;
  readonly hashes: ReadonlyMap<string, string>;
}

/** One edge's credentials. */
export interface EdgeCredential {
  readonly cluster: string;
  readonly user: string;
  readonly password: string;
  readonly hash: string;
  /** Made up by this render: `render` prints it once. */
  readonly generated: boolean;
}

/** Nothing from an earlier render. */
export const NO_EXISTING: ExistingCredentials = { passwords: new Map(), hashes: new Map() };

/** The credentials of every edge, in spec order. */
export function resolveCredentials(
  spec: K8sSpec,
  existing: ExistingCredentials,
  generate: () => string = generatePassword,
  cost: number = HASH_COST,
): EdgeCredential[] {
  return spec.edges.map((edge) => {
    const user = edgeUser(edge);
    const known = edge.password !== '' ? edge.password : existing.passwords.get(edge.cluster);
    const password = known ?? generate();
    const old = existing.hashes.get(user);
    const hash = old !== undefined && verifies(password, old) ? old : htpasswdBcrypt(password, cost);
    return { cluster: edge.cluster, user, password, hash, generated: known === undefined };
  });
}

/** 24 random bytes as base64url: 32 characters, 192 bits, no character that needs quoting. */
export function generatePassword(): string {
  return randomBytes(24).toString('base64url');
}

/** The htpasswd file of the gateway: one `user:hash` line per edge. */
export function htpasswdText(credentials: readonly EdgeCredential[]): string {
  return credentials.map((c) => `${c.user}:${c.hash}\n`).join('');
}

/** Whether `hash` (htpasswd `$2y$` or `$2b$`) is the bcrypt of `password`. */
export function verifies(password: string, hash: string): boolean {
  try {
    return verifySync(password, hash.replace(/^\$2y\$/, '$2b$'));
  } catch {
    return false;
  }
}
