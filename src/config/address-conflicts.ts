// The "two servers on one address" check: every server the config would start (used receivers,
// enabled extensions, the telemetry metrics server) must bind a distinct host:port. A wildcard host
// (0.0.0.0, ::, empty) overlaps every host; `localhost` overlaps 127.0.0.1 and ::1; port 0 never conflicts.
import type { Source } from './node.ts';
import type { IssueList } from './issues.ts';

/** A server address written (or defaulted) in the config. */
export interface Listener {
  readonly path: string;
  readonly source: Source | undefined;
  readonly endpoint: string;
  /** How to name it when it is not a written value (`the collector's metrics server (default)`). */
  readonly label?: string;
}

interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** Splits `host:port`, `[v6]:port` or `:port`; undefined for anything else (e.g. a unix socket). */
export function splitHostPort(endpoint: string): HostPort | undefined {
  const m = /^(?:\[([^\]]*)\]|([^:[\]]*)):(\d{1,5})$/.exec(endpoint.trim());
  if (m === null) return undefined;
  const port = Number(m[3]);
  return port > 65535 ? undefined : { host: (m[1] ?? m[2] ?? '').toLowerCase(), port };
}

const WILDCARDS = new Set(['', '0.0.0.0', '::', '[::]']);
const LOOPBACKS = new Set(['127.0.0.1', '::1']);

/** Whether two hosts can collide on one port. */
export function hostsOverlap(a: string, b: string): boolean {
  if (a === b || WILDCARDS.has(a) || WILDCARDS.has(b)) return true;
  return (a === 'localhost' && LOOPBACKS.has(b)) || (b === 'localhost' && LOOPBACKS.has(a));
}

/** Reports each listener that overlaps an earlier one. */
export function reportAddressConflicts(listeners: readonly Listener[], issues: IssueList): void {
  const seen: { listener: Listener; at: HostPort }[] = [];
  for (const listener of listeners) {
    const at = splitHostPort(listener.endpoint);
    if (at === undefined || at.port === 0) continue;
    const clash = seen.find((s) => s.at.port === at.port && hostsOverlap(s.at.host, at.host));
    if (clash !== undefined) {
      const other = clash.listener;
      const where =
        other.label ??
        (other.source === undefined || other.source.line === 0
          ? other.path
          : `${other.path} (line ${other.source.line})`);
      issues.error({
        path: listener.path,
        source: listener.source,
        message: `${listener.endpoint} overlaps ${other.endpoint} of ${where}: two servers cannot listen on the same address`,
        hint: 'Give one of them another port (or a distinct, non-wildcard host).',
        code: 'TG_CONFIG_ADDRESS_CONFLICT',
      });
    }
    seen.push({ listener, at });
  }
}
