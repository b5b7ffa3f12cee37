// `from_context`: a value from the request context, read as Go's attraction does: `client.address`,
// `metadata.<key>`, `auth.<attribute>`, and any other name looked up in the metadata.
import { isIP } from 'node:net';
import type { AnyValue } from '../../pdata/attributes.ts';
import type { RequestContext } from '../../contracts/payload.ts';

const METADATA_PREFIX = 'metadata.';
const AUTH_PREFIX = 'auth.';

/** The value of `key` in `ctx` (several metadata values joined with `;`), or undefined when absent. */
export function contextValue(ctx: RequestContext, key: string): AnyValue | undefined {
  // Go's clientutil.Address gives "" for an unknown peer, and that still counts as found.
  if (key === 'client.address') return { type: 'string', value: clientIp(ctx.clientAddress ?? '') };
  if (key.startsWith(AUTH_PREFIX)) {
    const v = ctx.auth?.[key.slice(AUTH_PREFIX.length)];
    return v === undefined ? undefined : { type: 'string', value: v };
  }
  const mdKey = key.startsWith(METADATA_PREFIX) ? key.slice(METADATA_PREFIX.length) : key;
  // Metadata keys are stored lower-cased; Go's client.Metadata.Get is case-insensitive.
  const vals = ctx.metadata?.get(mdKey.toLowerCase());
  if (vals === undefined || vals.length === 0) return undefined;
  return { type: 'string', value: vals.join(';') };
}

/** The IP of a `host:port` peer address, as Go's clientutil.Address reports it (no port). */
export function clientIp(address: string): string {
  if (isIP(address) !== 0) return address;
  if (address.startsWith('[')) {
    const close = address.indexOf(']');
    if (close > 0) return address.slice(1, close);
  }
  const colon = address.lastIndexOf(':');
  if (colon > 0 && isIP(address.slice(0, colon)) !== 0) return address.slice(0, colon);
  return address;
}
