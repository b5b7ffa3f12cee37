// The client `tls` block, as Go's configtls.ClientConfig: TLS is on unless `insecure: true`; a CA, a
// client certificate (mTLS) and version limits are optional. Files are read when a connection is made
// (src/transport/grpc-client-tls.ts), re-read after `reload_interval`.
import Type, { type Static } from 'typebox';
import { Duration, SecretString } from './primitives.ts';

/** TLS versions Go's configtls accepts for min_version / max_version. */
export const TLS_VERSIONS = ['1.0', '1.1', '1.2', '1.3'] as const;

/** The `tls` block of a client (exporter) config. */
export const TlsClientBlock = Type.Object(
  {
    insecure: Type.Boolean({
      default: false,
      description: 'Disable transport security (plaintext). With a CA configured, TLS is still used.',
    }),
    insecure_skip_verify: Type.Boolean({
      default: false,
      description: 'Use TLS but do not verify the server certificate.',
    }),
    ca_file: Type.String({
      default: '',
      description: 'Path to a CA certificate (PEM) that verifies the server; empty uses the system roots.',
    }),
    ca_pem: SecretString({
      default: '',
      description: 'CA certificate as an in-config PEM string (instead of ca_file).',
    }),
    cert_file: Type.String({ default: '', description: 'Path to the client certificate (PEM) for mutual TLS.' }),
    cert_pem: SecretString({
      default: '',
      description: 'Client certificate as an in-config PEM string (instead of cert_file).',
    }),
    key_file: Type.String({ default: '', description: 'Path to the client private key (PEM) for mutual TLS.' }),
    key_pem: SecretString({
      default: '',
      description: 'Client private key as an in-config PEM string (instead of key_file).',
    }),
    include_system_ca_certs_pool: Type.Boolean({
      default: false,
      description: 'Trust the system CAs in addition to ca_file / ca_pem.',
    }),
    server_name_override: Type.String({
      default: '',
      description: 'Server name sent in SNI and checked against the certificate (default: the endpoint host).',
    }),
    min_version: Type.String({ default: '', description: 'Minimum TLS version: 1.0, 1.1, 1.2 or 1.3 (default 1.2).' }),
    max_version: Type.String({
      default: '',
      description: 'Maximum TLS version: 1.0, 1.1, 1.2 or 1.3 (default: the highest supported).',
    }),
    reload_interval: Duration({
      default: '0s',
      description: 'Re-read the certificate files for new connections after this long; 0 never reloads.',
    }),
  },
  { default: {}, additionalProperties: false, description: 'Client TLS settings; TLS is on unless insecure is true.' },
);

/** The parsed client `tls` block (durations in milliseconds). */
export type TlsClientConfig = Static<typeof TlsClientBlock>;

/** The defaults, as the schema gives them after parsing. */
export function defaultTlsClientConfig(): TlsClientConfig {
  return {
    insecure: false,
    insecure_skip_verify: false,
    ca_file: '',
    ca_pem: '',
    cert_file: '',
    cert_pem: '',
    key_file: '',
    key_pem: '',
    include_system_ca_certs_pool: false,
    server_name_override: '',
    min_version: '',
    max_version: '',
    reload_interval: 0,
  };
}

/** Whether the config asks for TLS (Go: `insecure` with a CA still means TLS). */
export function tlsClientEnabled(cfg: TlsClientConfig): boolean {
  return !cfg.insecure || cfg.ca_file !== '' || cfg.ca_pem !== '';
}

/** Cross-field rules of Go's configtls.Config.Validate, as [path below `tls`, message]. */
export function validateTlsClient(cfg: TlsClientConfig): [string, string][] {
  const problems: [string, string][] = [];
  if (cfg.ca_file !== '' && cfg.ca_pem !== '')
    problems.push(['ca_file', 'provide either a CA file or the PEM-encoded string, but not both']);
  if (cfg.cert_file !== '' && cfg.cert_pem !== '')
    problems.push(['cert_file', 'provide either certificate file or PEM, but not both']);
  if (cfg.key_file !== '' && cfg.key_pem !== '')
    problems.push(['key_file', 'provide either key file or PEM, but not both']);
  const hasCert = cfg.cert_file !== '' || cfg.cert_pem !== '';
  const hasKey = cfg.key_file !== '' || cfg.key_pem !== '';
  if (hasCert !== hasKey)
    problems.push([
      hasCert ? 'key_file' : 'cert_file',
      'TLS configuration must include both certificate and key (cert_file/cert_pem and key_file/key_pem)',
    ]);
  const min = versionIndex(cfg.min_version);
  const max = versionIndex(cfg.max_version);
  if (min === undefined)
    problems.push([
      'min_version',
      `invalid TLS min_version: unsupported TLS version: "${cfg.min_version}"; use 1.0, 1.1, 1.2 or 1.3`,
    ]);
  if (max === undefined)
    problems.push([
      'max_version',
      `invalid TLS max_version: unsupported TLS version: "${cfg.max_version}"; use 1.0, 1.1, 1.2 or 1.3`,
    ]);
  if (min !== undefined && max !== undefined && cfg.max_version !== '' && max < min) {
    problems.push(['max_version', 'invalid TLS configuration: min_version cannot be greater than max_version']);
  }
  if (cfg.reload_interval < 0) problems.push(['reload_interval', 'reload_interval must not be negative']);
  return problems;
}

// '' means the default (1.2 for min, the highest for max); index 2 is 1.2.
function versionIndex(v: string): number | undefined {
  if (v === '') return 2;
  const i = (TLS_VERSIONS as readonly string[]).indexOf(v);
  return i < 0 ? undefined : i;
}
