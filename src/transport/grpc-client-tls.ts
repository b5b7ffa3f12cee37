// Turns a client `tls` block into node:tls options for each new connection: CA (verifying the server),
// client certificate (mTLS), versions, cipher suites, curves and SNI. Files are read at the first
// connection and, with reload_interval set, re-read once the interval has passed.
import { checkServerIdentity, rootCertificates, type ConnectionOptions } from 'node:tls';
import { errorMessage } from '../errors/thrown.ts';
import type { Logger } from '../contracts/component.ts';
import { loadTlsMaterial, type TlsMaterial } from './tls-material.ts';
import { ecdhCurves, opensslCiphers, tlsVersion } from './tls-names.ts';
import type { TlsClientSwitch, TlsSettings } from './tls-rules.ts';

/** A client `tls` block as plain options: Go's configtls.ClientConfig keys (the parsed config block is one). */
export interface TlsClientSettings extends TlsSettings, TlsClientSwitch {
  readonly insecure_skip_verify: boolean;
  readonly include_system_ca_certs_pool: boolean;
  readonly server_name_override: string;
  readonly cipher_suites: readonly string[];
  readonly include_insecure_cipher_suites: boolean;
  readonly curve_preferences: readonly string[];
  readonly reload_interval: number;
}

// A client uses the CA and its own pair; client_ca_file is a server key.
const CLIENT_ROLES = ['ca', 'cert', 'key'] as const;

/** Go's configtls.ClientConfig defaults (TLS on, verified against the system roots) with `over` applied. */
export function tlsClientSettings(over: Partial<TlsClientSettings> = {}): TlsClientSettings {
  return {
    insecure: false,
    insecure_skip_verify: false,
    include_system_ca_certs_pool: false,
    server_name_override: '',
    cipher_suites: [],
    include_insecure_cipher_suites: false,
    curve_preferences: [],
    reload_interval: 0,
    ...over,
  };
}

/**
 * A function giving the TLS options for the next connection. A failed first load rejects (the
 * connection fails with that message); a failed reload keeps the previous options and logs a warning.
 */
export function tlsOptionsLoader(
  cfg: TlsClientSettings,
  serverHost: string,
  logger?: Logger,
): () => Promise<ConnectionOptions> {
  let cached: ConnectionOptions | undefined;
  let loadedAt = 0;
  let lastWarning = '';
  return async () => {
    const stale = cfg.reload_interval > 0 && Date.now() - loadedAt >= cfg.reload_interval;
    if (cached !== undefined && !stale) return cached;
    try {
      cached = await loadTlsOptions(cfg, serverHost);
      lastWarning = '';
    } catch (err) {
      if (cached === undefined) throw err;
      const message = errorMessage(err);
      if (message !== lastWarning)
        logger?.warn('TLS reload failed; still using the previous certificates', { error: message });
      lastWarning = message;
    }
    loadedAt = Date.now();
    return cached;
  };
}

/** Reads the files of a `tls` block into node:tls options; errors name the key and file that failed. */
export async function loadTlsOptions(cfg: TlsClientSettings, serverHost: string): Promise<ConnectionOptions> {
  const loaded = await loadTlsMaterial(cfg, CLIENT_ROLES);
  if (!loaded.ok) throw new Error(`failed to load TLS config: ${loaded.problems.map(([, m]) => m).join('; ')}`);
  return clientTlsOptions(cfg, loaded.material, serverHost);
}

/** node:tls connection options for `cfg` with `material` already read and checked. */
export function clientTlsOptions(cfg: TlsClientSettings, material: TlsMaterial, serverHost: string): ConnectionOptions {
  const options: ConnectionOptions = {
    rejectUnauthorized: !cfg.insecure_skip_verify,
    minVersion: tlsVersion(cfg.min_version, 'TLSv1.2') ?? 'TLSv1.2',
    ALPNProtocols: ['h2'],
  };
  const maxVersion = tlsVersion(cfg.max_version, 'TLSv1.3');
  if (maxVersion !== undefined) options.maxVersion = maxVersion;
  if (material.ca !== undefined)
    options.ca = cfg.include_system_ca_certs_pool ? [...rootCertificates, material.ca] : material.ca;
  if (material.cert !== undefined) options.cert = material.cert;
  if (material.key !== undefined) options.key = material.key;
  applyNames(cfg, options);
  const servername = cfg.server_name_override !== '' ? cfg.server_name_override : serverHost;
  // SNI must not be an IP address (RFC 6066 §3); node warns if it is.
  if (!/^[\d.]+$/.test(servername) && !servername.includes(':')) options.servername = servername;
  if (cfg.server_name_override !== '') options.checkServerIdentity = checkNameOverride(cfg.server_name_override);
  return options;
}

// Validation has already refused unknown names; here a bad one is a programmer error, so it throws.
function applyNames(cfg: TlsClientSettings, options: ConnectionOptions): void {
  if (cfg.cipher_suites.length > 0) {
    const ciphers = opensslCiphers(cfg.cipher_suites, cfg.include_insecure_cipher_suites);
    if (!ciphers.ok) throw new Error(`failed to load TLS config: ${ciphers.errors.join('; ')}`);
    options.ciphers = ciphers.value;
  }
  if (cfg.curve_preferences.length > 0) {
    const curves = ecdhCurves(cfg.curve_preferences);
    if (!curves.ok) throw new Error(`failed to load TLS config: ${curves.errors.join('; ')}`);
    options.ecdhCurve = curves.value;
  }
}

// Verify the certificate against the override name rather than the dialled host, as Go's ServerName does.
function checkNameOverride(name: string): NonNullable<ConnectionOptions['checkServerIdentity']> {
  return (_host, cert) => checkServerIdentity(name, cert);
}
