// The token request an oauth2client sends, built from its config: one place, used by the extension and
// by `telegate doctor`, so that doctor asks the provider exactly what the exporter's authenticator asks.
import type { ConnectionOptions } from 'node:tls';
import type { ClientCredentials } from './client-credentials.ts';
import type { OAuth2ClientConfig } from './config.ts';
import type { TokenGrant } from './token-request.ts';

// Go's http.Client has no timeout unless set; a token request that hangs must not hold exports forever.
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * The grant for `cfg` with these credentials. `tls` are the options of the `tls` block (for an https
 * token URL); `maxTimeoutMs` caps the configured timeout (doctor's own deadline).
 */
export function tokenGrant(
  cfg: OAuth2ClientConfig,
  credentials: ClientCredentials,
  tls: ConnectionOptions | undefined,
  maxTimeoutMs = Number.POSITIVE_INFINITY,
): TokenGrant {
  const timeoutMs = cfg.timeout > 0 ? cfg.timeout : DEFAULT_TIMEOUT_MS;
  return {
    tokenUrl: new URL(cfg.token_url),
    ...credentials,
    scopes: cfg.scopes,
    params: cfg.endpoint_params,
    timeoutMs: Math.min(timeoutMs, maxTimeoutMs),
    // The token endpoint is plain HTTP/1.1 (json-request.ts).
    tls: tls === undefined ? {} : { ...tls, ALPNProtocols: ['http/1.1'] },
  };
}
