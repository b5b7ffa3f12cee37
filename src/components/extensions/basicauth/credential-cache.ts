// Hot path: every authenticated request looks its credential up here (see server-authenticator.ts).
// Remembers the outcome of credentials that were checked — the success cache and the negative cache
// — keyed by an HMAC of user and password under a per-process random key, so an expensive hash
// (bcrypt) runs once per distinct credential. Bounded, least recently used out first; cleared
// whenever the htpasswd content changes.
import { createHmac, randomBytes } from 'node:crypto';

/** Default bound on remembered credentials. */
export const DEFAULT_CACHE_ENTRIES = 10_000;

// Per process: a key read from a memory dump or guessed from timing is worthless after a restart,
// and without it a digest cannot even be tested against a password list offline.
const SECRET = randomBytes(32);

/**
 * The cache. Keys are HMACs, never the header: a memory dump shows no password. Looking a key up in
 * a Map is not constant-time, but timing can only reveal bits of an HMAC under a secret key, from
 * which nothing about the credential itself can be learnt.
 */
export class CredentialCache<T> {
  private readonly maxEntries: number;
  private readonly entries = new Map<string, T>();

  constructor(maxEntries = DEFAULT_CACHE_ENTRIES) {
    this.maxEntries = maxEntries;
  }

  /** The cache key of a credential (a user name cannot hold ':', so `user:password` is unambiguous). */
  static keyOf(username: string, password: Uint8Array): string {
    return createHmac('sha256', SECRET).update(username).update(':').update(password).digest('base64');
  }

  /** What was stored for `key`, refreshing its recency; undefined on a miss. */
  get(key: string): T | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    // Map keeps insertion order: re-inserting makes this the most recently used entry.
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** Remembers a checked credential, dropping the least recently used one when full. */
  set(key: string, value: T): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(key, value);
  }

  /** Forgets everything (the htpasswd changed). */
  clear(): void {
    this.entries.clear();
  }

  /** Number of remembered credentials. */
  get size(): number {
    return this.entries.size;
  }
}
