// An htpasswd bcrypt hash as Apache's `htpasswd -B` writes it; shared by `telegate passwd` and the
// Secrets `telegate k8s render` writes.
import { hashSync } from '@node-rs/bcrypt';

/**
 * A bcrypt hash with the `$2y$` prefix, as Apache's htpasswd writes it. `$2y$` and `$2b$` are the
 * same algorithm; `$2y$` is the one Apache, go-htpasswd (Go's basicauth) and telegate all accept.
 */
export function htpasswdBcrypt(password: string, cost: number): string {
  return `$2y$${hashSync(password, cost).slice(4)}`;
}
