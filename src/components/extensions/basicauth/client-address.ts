// Which client an authentication attempt is counted against: the connection's peer host, or — only
// when that peer is a trusted proxy (`throttle.trusted_proxies`) — the address the proxy forwards. A
// forwarded header from any other peer is ignored: anyone can write one.
import { BlockList, isIP } from 'node:net';
import type { RequestHeaders } from '../../../contracts/auth.ts';

/** Why a `trusted_proxies` entry is not a CIDR or address, or undefined when it is. */
export function cidrProblem(entry: string): string | undefined {
  return parseCidr(entry) === undefined
    ? `"${entry}" is not an IP address or CIDR range (e.g. 10.0.0.0/8, 127.0.0.1, fd00::/8)`
    : undefined;
}

interface Cidr {
  readonly address: string;
  readonly prefix: number;
  readonly family: 'ipv4' | 'ipv6';
}

function parseCidr(entry: string): Cidr | undefined {
  const [address = '', bits, extra] = entry.trim().split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return undefined;
  const max = version === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : Number(bits);
  if (!/^\d{1,3}$/.test(bits ?? String(max)) || prefix > max) return undefined;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** Resolves the client of a request from its peer and, behind a trusted proxy, its forwarded headers. */
export class ClientResolver {
  private readonly trusted = new BlockList();
  private readonly hasTrusted: boolean;

  /** `cidrs` must have passed validation (cidrProblem); an invalid entry is skipped. */
  constructor(cidrs: readonly string[]) {
    let any = false;
    for (const entry of cidrs) {
      const c = parseCidr(entry);
      if (c === undefined) continue;
      this.trusted.addSubnet(c.address, c.prefix, c.family);
      any = true;
    }
    this.hasTrusted = any;
  }

  /** The client's host (no port), or undefined when the peer is unknown. */
  resolve(headers: RequestHeaders, peerAddress: string | undefined): string | undefined {
    const peer = hostOf(peerAddress);
    if (!this.hasTrusted || peer === undefined || !this.isTrusted(peer)) return peer;
    const hops = forwardedHops(headers);
    // Right to left: each trusted proxy appended the address it saw; the first untrusted hop is the
    // client. Hops further left were written by that client and prove nothing.
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i];
      if (hop === undefined) continue;
      if (!this.isTrusted(hop)) return hop;
    }
    return hops[0] ?? peer;
  }

  private isTrusted(host: string): boolean {
    return this.trusted.check(host, isIP(host) === 6 ? 'ipv6' : 'ipv4');
  }
}

/**
 * The forwarded chain, oldest first: `Forwarded` (RFC 7239 `for=`) when present, else
 * `X-Forwarded-For`, else `X-Real-IP`. A hop that is not an IP address ends the chain there (it can
 * only have come from the client or a misconfigured proxy), so garbage never becomes a throttle key.
 */
function forwardedHops(headers: RequestHeaders): string[] {
  const forwarded = joined(headers['forwarded']);
  if (forwarded !== '') return validTail(forwardedFor(forwarded));
  const xff = joined(headers['x-forwarded-for']);
  if (xff !== '') return validTail(xff.split(','));
  return validTail([joined(headers['x-real-ip'])]);
}

function joined(value: string | readonly string[] | undefined): string {
  return value === undefined ? '' : typeof value === 'string' ? value : value.join(',');
}

function forwardedFor(value: string): string[] {
  const out: string[] = [];
  for (const element of value.split(',')) {
    const pair = element.split(';').find((p) => p.trim().toLowerCase().startsWith('for='));
    out.push(pair === undefined ? '' : pair.trim().slice(4).replace(/^"|"$/g, ''));
  }
  return out;
}

function validTail(raw: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = raw.length - 1; i >= 0; i--) {
    const host = hostOf((raw[i] ?? '').trim());
    if (host === undefined || isIP(host) === 0) break;
    out.unshift(host);
  }
  return out;
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
