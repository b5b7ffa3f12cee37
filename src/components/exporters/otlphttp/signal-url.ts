// Where each signal is sent (Go's composeSignalURL): the per-signal URL as given, else `endpoint`
// + `/v1/<signal>` (OTLP spec "OTLP/HTTP Request"). A URL must carry its scheme: `https://` means TLS,
// `http://` plaintext — a bare host:port is refused at validate rather than failing every request.
import type { Signal } from '../../../contracts/signal.ts';

/** Why `url` cannot be sent to, or undefined when it can. */
export function urlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not a URL; write it with its scheme, e.g. http://collector:4318`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return `"${url}" has no http:// or https:// scheme; write e.g. http://${url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')}`;
  if (parsed.hostname === '') return `"${url}" names no host`;
  return undefined;
}

/** The URL `signal` is posted to; the config must have passed validation. */
export function signalUrl(endpoint: string, signalEndpoint: string, signal: Signal): URL {
  if (signalEndpoint !== '') return new URL(signalEndpoint);
  return new URL(endpoint.endsWith('/') ? `${endpoint}v1/${signal}` : `${endpoint}/v1/${signal}`);
}
