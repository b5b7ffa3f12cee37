// A secret from the config (password, token, key material, a header value): the value is held in a
// private field and only `reveal()` gives it, so printing, logging, JSON or inspecting a config — or
// an error that carries one — shows `[REDACTED]` (STYLE.md rule 8; Go's configopaque.String).
import { createHmac, randomBytes } from 'node:crypto';

/** What a secret prints as, everywhere. */
export const REDACTED = '[REDACTED]';

// Deep equality (assert.deepStrictEqual, util.isDeepStrictEqual) ignores private fields, so two
// Secrets would always compare equal. They carry an enumerable symbol-keyed fingerprint instead: an
// HMAC under a key made at process start, equal for equal values, useless to guess a value from.
const FINGERPRINT_KEY = randomBytes(32);
const FINGERPRINT: unique symbol = Symbol('secret fingerprint');

/** A string that never prints itself: `${secret}`, JSON.stringify and util.inspect give `[REDACTED]`. */
export class Secret {
  readonly #value: string;
  /** Makes deep equality compare values; not the value, nor a plain hash of it. */
  readonly [FINGERPRINT]: string;

  constructor(value: string) {
    this.#value = value;
    this[FINGERPRINT] = createHmac('sha256', FINGERPRINT_KEY).update(value).digest('base64url');
  }

  /** The value, for the one place that must use it (a header being sent, a key handed to node:tls). */
  reveal(): string {
    return this.#value;
  }

  /** Whether the value is empty (Go treats an empty configopaque.String as unset). */
  get isEmpty(): boolean {
    return this.#value === '';
  }

  /** `[REDACTED]`: template strings and concatenation. */
  toString(): string {
    return REDACTED;
  }

  /** `[REDACTED]`: JSON.stringify of a config or a log record. */
  toJSON(): string {
    return REDACTED;
  }

  /** `[REDACTED]`: console.log, util.inspect and util.format (`%o`, `%O`). */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return REDACTED;
  }
}

/** The value of a secret or of a plain string (a caller building options by hand may pass either). */
export function revealed(value: Secret | string | undefined): string {
  return value instanceof Secret ? value.reveal() : (value ?? '');
}
