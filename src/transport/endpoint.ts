// Parses the `endpoint` of a gRPC exporter the way the Go collector's configgrpc accepts it:
// `host:port`, `[v6]:port`, `dns:///host:port`, `passthrough:///host:port`, `http://host:port`,
// `https://host:port` and `unix:///absolute/path`. Errors are config messages, reported by `validate`.

/** Where a gRPC client connects, and what the endpoint's scheme says about TLS. */
export type GrpcTarget =
  | {
      readonly transport: 'tcp';
      readonly host: string;
      readonly port: number;
      /** `host:port` (IPv6 in brackets), the HTTP/2 `:authority`. */
      readonly authority: string;
      /** `https://` forces TLS, `http://` forces plaintext, anything else follows `tls.insecure`. */
      readonly tls: TargetTls;
    }
  | { readonly transport: 'unix'; readonly path: string; readonly authority: string; readonly tls: TargetTls };

/** What the endpoint's scheme says about transport security. */
export type TargetTls = 'force' | 'plaintext' | 'from-config';

/** A parsed endpoint or the reason it is not one. */
export type ParsedEndpoint =
  { readonly ok: true; readonly target: GrpcTarget } | { readonly ok: false; readonly message: string };

// Resolver schemes grpc-go knows without extra registration; others (xds, …) need plugins we lack.
const RESOLVER_SCHEMES = new Set(['dns', 'passthrough']);

/** Parses a gRPC client `endpoint` (see the file comment for the accepted forms). */
export function parseGrpcEndpoint(endpoint: string): ParsedEndpoint {
  const trimmed = endpoint.trim();
  if (trimmed === '') return fail('requires a non-empty "endpoint"');
  if (trimmed.startsWith('unix:')) return parseUnix(trimmed);
  if (trimmed.startsWith('http://')) return parseHostPort(trimmed.slice('http://'.length), 'plaintext');
  if (trimmed.startsWith('https://')) return parseHostPort(trimmed.slice('https://'.length), 'force');
  const schemeEnd = trimmed.indexOf('://');
  if (schemeEnd < 0) return parseHostPort(trimmed, 'from-config');
  const scheme = trimmed.slice(0, schemeEnd);
  if (!RESOLVER_SCHEMES.has(scheme)) {
    return fail(
      `unsupported endpoint scheme "${scheme}://": use host:port, dns:///host:port, http://, https:// or unix:///path`,
    );
  }
  // scheme://[authority]/host:port — the authority (a DNS server for dns://) is not used: we use the system resolver.
  const rest = trimmed.slice(schemeEnd + 3);
  const slash = rest.indexOf('/');
  return parseHostPort(slash < 0 ? rest : rest.slice(slash + 1), 'from-config');
}

function parseUnix(endpoint: string): ParsedEndpoint {
  if (!endpoint.startsWith('unix://'))
    return fail(`unix socket endpoints are written unix:///absolute/path, got "${endpoint}"`);
  const path = endpoint.slice('unix://'.length);
  if (path === '') return fail('unix socket path cannot be empty');
  if (!path.startsWith('/')) return fail(`unix socket path must be absolute (unix:///path/to/socket), got "${path}"`);
  return { ok: true, target: { transport: 'unix', path, authority: 'localhost', tls: 'from-config' } };
}

function parseHostPort(address: string, tls: TargetTls): ParsedEndpoint {
  const split = splitHostPort(address);
  if (typeof split === 'string') return fail(`address ${address}: ${split}`);
  const [host, portText] = split;
  if (!/^\d+$/.test(portText)) return fail(`invalid port "${portText}"`);
  const port = Number(portText);
  if (port < 1 || port > 65535) return fail(`invalid port "${portText}": must be between 1 and 65535`);
  if (host === '') return fail(`address ${address}: missing host`);
  const authority = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return { ok: true, target: { transport: 'tcp', host, port, authority, tls } };
}

/** Go's net.SplitHostPort: returns [host, port] or the reason as Go words it. */
function splitHostPort(address: string): [string, string] | string {
  if (address.startsWith('[')) {
    const close = address.indexOf(']');
    if (close < 0) return "missing ']' in address";
    if (address[close + 1] !== ':')
      return close + 1 === address.length ? 'missing port in address' : 'unexpected characters after ]';
    return [address.slice(1, close), address.slice(close + 2)];
  }
  const colon = address.lastIndexOf(':');
  if (colon < 0) return 'missing port in address';
  if (address.indexOf(':') !== colon) return 'too many colons in address';
  return [address.slice(0, colon), address.slice(colon + 1)];
}

function fail(message: string): ParsedEndpoint {
  return { ok: false, message };
}
