// Turns a client `tls` block into node:tls options for each new connection, reading the CA and
// certificate files then; with reload_interval set, files are re-read once the interval has passed.
import { readFile } from 'node:fs/promises';
import { checkServerIdentity, rootCertificates, type ConnectionOptions, type SecureVersion } from 'node:tls';
import type { TlsClientConfig } from '../config/blocks/tls-client.ts';

const VERSIONS: Record<string, SecureVersion> = {
  '1.0': 'TLSv1',
  '1.1': 'TLSv1.1',
  '1.2': 'TLSv1.2',
  '1.3': 'TLSv1.3',
};

/** A function giving the TLS options for the next connection, with file reads cached per reload_interval. */
export function tlsOptionsLoader(cfg: TlsClientConfig, serverHost: string): () => Promise<ConnectionOptions> {
  let cached: ConnectionOptions | undefined;
  let loadedAt = 0;
  return async () => {
    const stale = cfg.reload_interval > 0 && Date.now() - loadedAt >= cfg.reload_interval;
    if (cached === undefined || stale) {
      cached = await loadTlsOptions(cfg, serverHost);
      loadedAt = Date.now();
    }
    return cached;
  };
}

/** Reads the files of a `tls` block into node:tls options; errors name the file that failed. */
export async function loadTlsOptions(cfg: TlsClientConfig, serverHost: string): Promise<ConnectionOptions> {
  const ca = await readPem(cfg.ca_file, cfg.ca_pem, 'ca_file');
  const cert = await readPem(cfg.cert_file, cfg.cert_pem, 'cert_file');
  const key = await readPem(cfg.key_file, cfg.key_pem, 'key_file');
  const options: ConnectionOptions = {
    rejectUnauthorized: !cfg.insecure_skip_verify,
    minVersion: VERSIONS[cfg.min_version] ?? 'TLSv1.2',
    ALPNProtocols: ['h2'],
  };
  const maxVersion = VERSIONS[cfg.max_version];
  if (maxVersion !== undefined) options.maxVersion = maxVersion;
  if (ca !== undefined) options.ca = cfg.include_system_ca_certs_pool ? [...rootCertificates, ca] : ca;
  if (cert !== undefined) options.cert = cert;
  if (key !== undefined) options.key = key;
  const servername = cfg.server_name_override !== '' ? cfg.server_name_override : serverHost;
  // SNI must not be an IP address (RFC 6066 §3); node warns if it is.
  if (!/^[\d.]+$/.test(servername) && !servername.includes(':')) options.servername = servername;
  if (cfg.server_name_override !== '') options.checkServerIdentity = checkNameOverride(cfg.server_name_override);
  return options;
}

async function readPem(file: string, pem: string, key: string): Promise<string | undefined> {
  if (pem !== '') return pem;
  if (file === '') return undefined;
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`failed to load TLS config: tls.${key} ${file}: ${(err as Error).message}`, { cause: err });
  }
}

// Verify the certificate against the override name rather than the dialled host, as Go's ServerName does.
function checkNameOverride(name: string): NonNullable<ConnectionOptions['checkServerIdentity']> {
  return (_host, cert) => checkServerIdentity(name, cert);
}
