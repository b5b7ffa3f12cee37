// Slows password guessing: a client address with `max_failures` failed verifications within `window`
// is refused for `block` without any verification. Bounded: at most MAX_TRACKED addresses are tracked,
// the oldest forgotten first. Keyed by host without port (each connection has its own port).

/** Throttle settings in milliseconds. */
export interface ThrottleSettings {
  readonly enabled: boolean;
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly blockMs: number;
}

const MAX_TRACKED = 10_000;

interface HostRecord {
  windowStart: number;
  failures: number;
  blockedUntil: number;
}

/** Counts failures per client host and says when a host is blocked. */
export class FailureThrottle {
  private readonly settings: ThrottleSettings;
  private readonly now: () => number;
  private readonly hosts = new Map<string, HostRecord>();

  constructor(settings: ThrottleSettings, now: () => number = Date.now) {
    this.settings = settings;
    this.now = now;
  }

  /** Milliseconds until `host` may try again, or 0 when it is not blocked. */
  retryAfterMs(host: string | undefined): number {
    if (!this.settings.enabled || host === undefined) return 0;
    const r = this.hosts.get(host);
    if (r === undefined) return 0;
    const left = r.blockedUntil - this.now();
    return left > 0 ? left : 0;
  }

  /** Records a failed verification; returns true when this failure starts a block. */
  fail(host: string | undefined): boolean {
    if (!this.settings.enabled || host === undefined) return false;
    const now = this.now();
    let r = this.hosts.get(host);
    if (r === undefined || now - r.windowStart >= this.settings.windowMs) {
      this.hosts.delete(host);
      if (this.hosts.size >= MAX_TRACKED) this.forgetOldest();
      r = { windowStart: now, failures: 0, blockedUntil: r?.blockedUntil ?? 0 };
      this.hosts.set(host, r);
    }
    r.failures++;
    if (r.failures < this.settings.maxFailures) return false;
    r.blockedUntil = now + this.settings.blockMs;
    r.failures = 0;
    r.windowStart = now;
    return true;
  }

  /** Number of hosts tracked (for tests and a gauge). */
  get tracked(): number {
    return this.hosts.size;
  }

  private forgetOldest(): void {
    const oldest = this.hosts.keys().next();
    if (oldest.done !== true) this.hosts.delete(oldest.value);
  }
}

/** The host part of `host:port`, `[v6]:port` or a bare address; IPv4-mapped IPv6 as plain IPv4. */
export function hostOf(address: string | undefined): string | undefined {
  if (address === undefined || address === '') return undefined;
  let host = address;
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    host = end > 0 ? host.slice(1, end) : host;
  } else {
    const colon = host.indexOf(':');
    // One colon: IPv4 or a name with a port. More: a bare IPv6 address, kept whole.
    if (colon >= 0 && colon === host.lastIndexOf(':')) host = host.slice(0, colon);
  }
  return host.toLowerCase().startsWith('::ffff:') && host.includes('.') ? host.slice(7) : host;
}
