// Splits `host:port` endpoints as Go's net.SplitHostPort does (IPv6 in brackets), mapping the
// collector's `localhost` default to 127.0.0.1 so that we never bind an IPv6-only loopback by surprise.

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** Parses `host:port`, `[::1]:port` or `:port` (all interfaces); throws an Error with a clear message. */
export function parseHostPort(endpoint: string): HostPort {
  const m = /^(?:\[([^\]]*)\]|([^:[\]]*)):(\d{1,5})$/.exec(endpoint.trim());
  if (!m) throw new Error(`"${endpoint}" is not a host:port address`);
  const port = Number(m[3]);
  if (port > 65535) throw new Error(`"${endpoint}" has a port above 65535`);
  const host = m[1] ?? m[2] ?? '';
  return { host: host === 'localhost' ? '127.0.0.1' : host === '' ? '0.0.0.0' : host, port };
}

/** `host:port` for logs, with brackets for IPv6. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
