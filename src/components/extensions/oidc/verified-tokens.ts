// Hot path: every request with an already-verified token (see bench/load, the telegate-oidc row).
// Tokens whose signature and claims were checked, with the identity they carry, until they expire:
// a signature check is paid once per token, not once per request (DESIGN.md §4). Bounded: when full,
// the oldest entry goes first (tokens are refreshed before expiry, so the oldest is the stalest).
import type { AuthResult } from '../../../contracts/auth.ts';

/** Distinct live tokens held; a fleet of edges each refreshing hourly stays far below this. */
export const MAX_VERIFIED_TOKENS = 10_000;

interface Entry {
  readonly result: AuthResult;
  readonly untilMs: number;
}

/** Token → the answer given for it, until `untilMs`. */
export class VerifiedTokens {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;

  constructor(maxEntries = MAX_VERIFIED_TOKENS) {
    this.maxEntries = maxEntries;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached answer for `token`, if it is still valid at `nowMs`. */
  get(token: string, nowMs: number): AuthResult | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (nowMs < entry.untilMs) return entry.result;
    this.entries.delete(token);
    return undefined;
  }

  /** Remembers `result` for `token` until `untilMs`. */
  set(token: string, result: AuthResult, untilMs: number): void {
    if (this.entries.size >= this.maxEntries && !this.entries.has(token)) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(token, { result, untilMs });
  }

  clear(): void {
    this.entries.clear();
  }
}
