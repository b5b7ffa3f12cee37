// Turning a collector `endpoint` (+ `transport`) into a listen call, shared by the HTTP and gRPC
// servers: `localhost` binds 127.0.0.1 (as the Go collector's default is meant to stay local), `:port`
// binds every interface, and a failed bind becomes a TelegateError naming the endpoint.
import type { Server } from 'node:net';
import { TelegateError } from '../errors/catalogue.ts';

/** Where to listen: a TCP host/port or a unix socket path. `display` is what messages show. */
export type ListenTarget =
  | { readonly kind: 'tcp'; readonly host: string | undefined; readonly port: number; readonly display: string }
  | { readonly kind: 'unix'; readonly path: string; readonly display: string };

/** Parses `endpoint` for `transport` (tcp, tcp4, tcp6, unix); returns an error message when invalid. */
export function parseEndpoint(endpoint: string, transport = 'tcp'): ListenTarget | string {
  if (transport === 'unix') {
    return endpoint === '' ? 'unix socket path cannot be empty' : { kind: 'unix', path: endpoint, display: endpoint };
  }
  const colon = endpoint.lastIndexOf(':');
  if (colon < 0) return `endpoint "${endpoint}" has no port (expected host:port)`;
  const portText = endpoint.slice(colon + 1);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) return `invalid port "${portText}" in endpoint "${endpoint}"`;
  let host = endpoint.slice(0, colon);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  else if (host.includes(':')) return `endpoint "${endpoint}" must bracket an IPv6 address: [${host}]:${portText}`;
  const bindHost = resolveHost(host, transport);
  return {
    kind: 'tcp',
    host: bindHost,
    port,
    display: `${formatHost(bindHost ?? (transport === 'tcp6' ? '::' : '0.0.0.0'))}:${port}`,
  };
}

function resolveHost(host: string, transport: string): string | undefined {
  if (host === 'localhost') return transport === 'tcp6' ? '::1' : '127.0.0.1';
  if (host === '') return transport === 'tcp4' ? '0.0.0.0' : transport === 'tcp6' ? '::' : undefined;
  return host;
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** The address a listening server is bound to, as `host:port` (IPv6 bracketed) or the socket path. */
export function boundAddress(server: Server): string {
  const addr = server.address();
  if (addr === null) return '';
  if (typeof addr === 'string') return addr;
  return `${formatHost(addr.address)}:${addr.port}`;
}

/**
 * Listens on `target`; resolves with the bound address. `owner` prefixes error messages
 * (`receivers.otlp: cannot listen on 127.0.0.1:4317: address already in use`).
 */
export function listen(server: Server, target: ListenTarget, owner: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      reject(
        new TelegateError('TG_START_FAILED', `${owner}: cannot listen on ${target.display}: ${describe(err)}`, {
          cause: err,
        }),
      );
    };
    server.once('error', onError);
    const onListening = (): void => {
      server.off('error', onError);
      resolve(boundAddress(server));
    };
    if (target.kind === 'unix') server.listen({ path: target.path }, onListening);
    else server.listen({ host: target.host, port: target.port, ipv6Only: false }, onListening);
  });
}

function describe(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'EADDRINUSE':
      return 'address already in use';
    case 'EACCES':
      return 'permission denied (ports below 1024 need privileges)';
    case 'EADDRNOTAVAIL':
      return 'address not available on this host';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host name does not resolve';
    default:
      return err.message;
  }
}
