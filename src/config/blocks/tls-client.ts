// The client `tls` block, as Go's configtls.ClientConfig: TLS is on unless `insecure: true`; a CA, a
// client certificate (mTLS), version limits, cipher suites and curves are optional. Only the schema
// lives here: the parsed block is the plain TlsClientSettings of src/transport/grpc-client-tls.ts
// (which reads the files per connection), and its rules are src/transport/tls-rules.ts's.
import Type, { type Static } from 'typebox';
import { Duration, SecretString } from './primitives.ts';
import { Secret } from '../../util/secret.ts';
import type { TlsProblem } from '../../transport/tls-material.ts';
import type { TlsClientSettings } from '../../transport/grpc-client-tls.ts';
import { tlsClientProblems } from '../../transport/tls-rules.ts';

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
    cipher_suites: Type.Array(Type.String(), {
      default: [],
      description:
        'TLS 1.2 cipher suites by IANA name (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, …); empty means a safe default list. TLS 1.3 suites are always on.',
    }),
    include_insecure_cipher_suites: Type.Boolean({
      default: false,
      description: "Allow the insecure suites of Go's tls.InsecureCipherSuites() in cipher_suites.",
    }),
    curve_preferences: Type.Array(Type.String(), {
      default: [],
      description: 'ECDHE curves in preference order: X25519, P256, P384, P521; empty means the defaults.',
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
    ca_pem: new Secret(''),
    cert_file: '',
    cert_pem: new Secret(''),
    key_file: '',
    key_pem: new Secret(''),
    include_system_ca_certs_pool: false,
    server_name_override: '',
    min_version: '',
    max_version: '',
    cipher_suites: [],
    include_insecure_cipher_suites: false,
    curve_preferences: [],
    reload_interval: 0,
  };
}

/**
 * Go's configtls.Config.Validate rules, then — when TLS is on and those pass — the files read once
 * (readable, a CA holds certificates, the client certificate matches its key), as [path below `tls`, message].
 */
export function validateTlsClient(cfg: TlsClientConfig): TlsProblem[] {
  // The mapping to transport's plain options is the identity, checked here: a key renamed on one side fails to compile.
  const settings: TlsClientSettings = cfg;
  return tlsClientProblems(settings);
}
