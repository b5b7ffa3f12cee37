// Each edge's password and the gateway's htpasswd line for it. A password is taken from the spec, else
// from the Secret an earlier render wrote, else generated; a hash is reused while it still verifies the
// password (bcrypt salts each hash, so hashing again would change the file on every render).
import { randomBytes } from 'node:crypto';
import { verifySync } from '@node-rs/bcrypt';
import { htpasswdBcrypt } from '../util/htpasswd-bcrypt.ts';
import { NAMES } from './names.ts';
import { edgeClientId, edgeUser, oidcOf, type EdgeSpec, type K8sSpec } from './spec.ts';

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

/**
 * An edge with `auth: oidc` has no client secret: the provider issues it, so render cannot make one up.
 * The message names the edge and where the secret may come from, never a secret.
 */
export class MissingClientSecretError extends Error {
  /** The edge's cluster. */
  readonly cluster: string;
  constructor(index: number, cluster: string) {
    super(
      `edges[${index}] (cluster "${cluster}"): auth oidc needs the client secret the identity provider issued for this edge: ` +
        `set edges[${index}].client_secret, or keep the Secret ${NAMES.edgeSecret} an earlier render wrote under ${cluster}/`,
    );
    this.name = 'MissingClientSecretError';
    this.cluster = cluster;
  }
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
  if (oidcOf(spec) !== undefined) return spec.edges.map((edge, i) => clientCredential(edge, i, existing));
  return spec.edges.map((edge) => {
    const user = edgeUser(edge);
    const known = edge.password !== '' ? edge.password : existing.passwords.get(edge.cluster);
    const password = known ?? generate();
    const old = existing.hashes.get(user);
    const hash = old !== undefined && verifies(password, old) ? old : htpasswdBcrypt(password, cost);
    return { cluster: edge.cluster, user, password, hash, generated: known === undefined };
  });
}

// With oidc an edge's "password" is its client secret and its "user" the client id; no hash is kept.
function clientCredential(edge: EdgeSpec, index: number, existing: ExistingCredentials): EdgeCredential {
  const secret = edge.client_secret !== '' ? edge.client_secret : existing.passwords.get(edge.cluster);
  if (secret === undefined) throw new MissingClientSecretError(index, edge.cluster);
  return { cluster: edge.cluster, user: edgeClientId(edge), password: secret, hash: '', generated: false };
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
