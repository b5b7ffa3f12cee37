// Which request headers carry credentials, so that they never travel further than the authenticator:
// they are left out of the payload context's metadata (`include_metadata`) and cut out of log
// messages. Go copies them into metadata; telegate does not, on purpose (README).
import type { RequestHeaders } from '../../../contracts/auth.ts';
import { redactSecrets } from '../../../util/redact.ts';

const ALWAYS: readonly string[] = ['authorization', 'proxy-authorization'];

/**
 * The credential headers: `authorization`, `proxy-authorization`, and those an authenticator says it
 * reads (an optional `credentialHeaders` list, as bearertokenauth's custom `header`).
 */
export function credentialHeaderNames(authenticator?: object): ReadonlySet<string> {
  const names = new Set(ALWAYS);
  const extra = (authenticator as { credentialHeaders?: unknown } | undefined)?.credentialHeaders;
  if (Array.isArray(extra)) for (const n of extra) if (typeof n === 'string') names.add(n.toLowerCase());
  return names;
}

/** `message` with every credential header value (and what follows its scheme) replaced by `[REDACTED]`. */
export function redactCredentials(message: string, headers: RequestHeaders, authenticator?: object): string {
  const values = [...credentialHeaderNames(authenticator)].flatMap((name) => headers[name] ?? []);
  return redactSecrets(message, values);
}
