// Slows password guessing without punishing misconfiguration (DESIGN.md §4): only distinct failed
// credentials reach this (repeats are answered from the negative cache), counted per (client, user)
// with `max_failures` and per client over all users with `max_failures_per_client`. An attempt is
// reserved before its hash work starts and settled after, so concurrency cannot slip past a limit.

/** Throttle settings in milliseconds. */
export interface ThrottleSettings {
  readonly enabled: boolean;
  readonly maxFailures: number;
  readonly maxFailuresPerClient: number;
  readonly windowMs: number;
  readonly blockMs: number;
}

/** Where a limit applies: one user from one client, or one client over all users. */
export type ThrottleScope = 'user' | 'client';

// Per scope; the oldest record goes first when full. An attacker rotating user names evicts only
// user-scope records: the client-scope record (one per address) still bounds them.
const MAX_TRACKED = 10_000;
// Advice to a client refused because its own guesses are still being checked: they settle in about
// one bcrypt time, so a second is plenty.
const IN_FLIGHT_RETRY_MS = 1000;

interface ScopeRecord {
  windowStart: number;
  failures: number;
  inFlight: number;
  blockedUntil: number;
}

/** An attempt that may run its hash check; settle it exactly once. */
export interface Reservation {
  readonly records: readonly ScopeRecord[];
}

/** Either a reservation, or how long to wait (the attempt is refused before any hash work). */
export type Admission =
  { readonly ok: true; readonly reservation: Reservation } | { readonly ok: false; readonly retryAfterMs: number };

/** Counts attempts and failures per scope and says when a client is refused. */
export class AttemptThrottle {
  private readonly s: ThrottleSettings;
  private readonly now: () => number;
  private readonly users = new Map<string, ScopeRecord>();
  private readonly clients = new Map<string, ScopeRecord>();

  constructor(settings: ThrottleSettings, now: () => number = Date.now) {
    this.s = settings;
    this.now = now;
  }

  /** Reserves an attempt by `user` from `client`, or refuses it (blocked, or too many in flight). */
  admit(client: string | undefined, user: string): Admission {
    if (!this.s.enabled || client === undefined) return { ok: true, reservation: { records: [] } };
    const now = this.now();
    const u = this.record(this.users, `${client} ${user}`, now);
    const c = this.record(this.clients, client, now);
    const blocked = Math.max(u.blockedUntil, c.blockedUntil) - now;
    // A refusal during a block changes nothing: a client that keeps retrying does not extend it.
    if (blocked > 0) return { ok: false, retryAfterMs: blocked };
    if (u.failures + u.inFlight >= this.s.maxFailures || c.failures + c.inFlight >= this.s.maxFailuresPerClient)
      return { ok: false, retryAfterMs: IN_FLIGHT_RETRY_MS };
    u.inFlight++;
    c.inFlight++;
    return { ok: true, reservation: { records: [u, c] } };
  }

  /**
   * Settles a reservation: a failure counts in both scopes; a success clears the user scope's count.
   * Returns the scopes whose block this failure started.
   */
  settle(reservation: Reservation, failed: boolean): ThrottleScope[] {
    const [u, c] = reservation.records;
    if (u === undefined || c === undefined) return [];
    u.inFlight--;
    c.inFlight--;
    if (!failed) {
      u.failures = 0;
      return [];
    }
    const now = this.now();
    const started: ThrottleScope[] = [];
    if (this.fail(u, this.s.maxFailures, now)) started.push('user');
    if (this.fail(c, this.s.maxFailuresPerClient, now)) started.push('client');
    return started;
  }

  /** Gives a reservation back without counting anything (the check never ran). */
  cancel(reservation: Reservation): void {
    for (const r of reservation.records) r.inFlight--;
  }

  /** Records tracked per scope (a gauge). */
  get tracked(): number {
    return this.users.size + this.clients.size;
  }

  private fail(r: ScopeRecord, max: number, now: number): boolean {
    r.failures++;
    if (r.failures < max) return false;
    r.blockedUntil = now + this.s.blockMs;
    r.failures = 0;
    r.windowStart = now;
    return true;
  }

  private record(map: Map<string, ScopeRecord>, key: string, now: number): ScopeRecord {
    const r = map.get(key);
    if (r !== undefined) {
      // Failures older than the window are forgotten; attempts still in flight are not.
      if (now - r.windowStart >= this.s.windowMs) {
        r.windowStart = now;
        r.failures = 0;
      }
      return r;
    }
    if (map.size >= MAX_TRACKED) this.forgetOldest(map);
    const fresh: ScopeRecord = { windowStart: now, failures: 0, inFlight: 0, blockedUntil: 0 };
    map.set(key, fresh);
    return fresh;
  }

  private forgetOldest(map: Map<string, ScopeRecord>): void {
    const oldest = map.keys().next();
    if (oldest.done !== true) map.delete(oldest.value);
  }
}
