// Loads a server `tls:` block into node:tls options for https / http2.createSecureServer: the key pair,
// client-certificate verification (client_ca_file / ca_file), version bounds and cipher suites.
// Certificates are read once at start; reload_interval is a later addition.
import { readFileSync } from 'node:fs';
import type { SecureVersion, TlsOptions } from 'node:tls';
import type { TlsServerConfig } from '../config/blocks/tls-server.ts';
import { TelegateError } from '../errors/catalogue.ts';

const VERSIONS: Record<string, SecureVersion> = {
  '1.0': 'TLSv1',
  '1.1': 'TLSv1.1',
  '1.2': 'TLSv1.2',
  '1.3': 'TLSv1.3',
};

// Go's configtls takes IANA names; OpenSSL (Node) names the TLS 1.2 suites differently.
const CIPHERS: Record<string, string> = {
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
};
// Go ignores cipher_suites for TLS 1.3; OpenSSL would disable 1.3 unless its suites stay listed.
const TLS13_SUITES = 'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256';

/** node:tls server options for `tls`; throws TG_START_FAILED (naming `owner`) when a file cannot be read. */
export function loadServerTls(tls: TlsServerConfig, owner: string): TlsOptions {
  if (tls.cert_file === undefined || tls.key_file === undefined) {
    throw new TelegateError('TG_START_FAILED', `${owner}: tls needs both cert_file and key_file`);
  }
  const opts: TlsOptions = {
    cert: readPem(tls.cert_file, 'cert_file', owner),
    key: readPem(tls.key_file, 'key_file', owner),
    minVersion: VERSIONS[tls.min_version ?? '1.2'] ?? 'TLSv1.2',
  };
  if (tls.max_version !== undefined) opts.maxVersion = VERSIONS[tls.max_version] ?? 'TLSv1.3';
  const clientCa = tls.client_ca_file ?? tls.ca_file;
  if (clientCa !== undefined) {
    opts.ca = readPem(clientCa, tls.client_ca_file !== undefined ? 'client_ca_file' : 'ca_file', owner);
    opts.requestCert = true;
    opts.rejectUnauthorized = true;
  }
  if (tls.cipher_suites !== undefined && tls.cipher_suites.length > 0)
    opts.ciphers = cipherList(tls.cipher_suites, owner);
  return opts;
}

function cipherList(names: readonly string[], owner: string): string {
  const mapped = names.map((name) => {
    const openssl = CIPHERS[name];
    if (openssl === undefined)
      throw new TelegateError(
        'TG_START_FAILED',
        `${owner}: unsupported TLS cipher suite "${name}"; supported: ${Object.keys(CIPHERS).join(', ')}`,
      );
    return openssl;
  });
  return [TLS13_SUITES, ...mapped].join(':');
}

function readPem(path: string, key: string, owner: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new TelegateError('TG_START_FAILED', `${owner}: cannot read tls.${key} ${path}: ${reason}`, { cause: err });
  }
}
