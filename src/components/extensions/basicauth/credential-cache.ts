// Hot path: every authenticated request looks its credential up here (see server-authenticator.ts).
// Remembers credentials that verified, keyed by the SHA-256 of the whole Authorization value, so an
// expensive hash (bcrypt) runs once per distinct credential. Bounded, least recently used out first;
// cleared whenever the htpasswd content changes.
import { createHash } from 'node:crypto';

/** Default bound on remembered credentials. */
export const DEFAULT_CACHE_ENTRIES = 10_000;

/**
 * The cache. Keys are digests, never the header: a memory dump shows no password. Looking a digest
 * up in a Map is not constant-time, but timing can only reveal bits of a SHA-256 digest of the
 * credential, from which nothing about the credential itself can be learnt (preimage resistance).
 */
export class CredentialCache<T> {
  private readonly maxEntries: number;
  private readonly entries = new Map<string, T>();

  constructor(maxEntries = DEFAULT_CACHE_ENTRIES) {
    this.maxEntries = maxEntries;
  }

  /** The cache key of an Authorization header value. */
  static keyOf(header: string): string {
    return createHash('sha256').update(header).digest('base64');
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

  /** Remembers a verified credential, dropping the least recently used one when full. */
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
