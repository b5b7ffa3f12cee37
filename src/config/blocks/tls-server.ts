// The server-side `tls` block, keys as Go's configtls.ServerConfig. Only the schema lives here: the
// parsed block is the plain TlsServerSettings of src/transport/http-server-tls.ts, which loads and
// reloads it, and its rules are src/transport/tls-rules.ts's, asked at validate time and at start.
import Type, { type Static } from 'typebox';
import { Duration, SecretString } from './primitives.ts';
import type { TlsProblem } from '../../transport/tls-material.ts';
import type { TlsServerSettings } from '../../transport/http-server-tls.ts';
import { tlsServerProblems } from '../../transport/tls-rules.ts';

const text = (description: string) => Type.Optional(Type.String({ description }));
const secret = (description: string) => Type.Optional(SecretString({ description }));
const flag = (description: string) => Type.Optional(Type.Boolean({ description, default: false }));
const names = (description: string) => Type.Optional(Type.Array(Type.String(), { description }));

/** `tls:` of a server (gRPC or HTTP receiver). */
export const TlsServerBlock = Type.Object(
  {
    cert_file: text('Path to the PEM certificate (chain, leaf first) the server presents.'),
    cert_pem: secret('The certificate as an in-config PEM string (instead of cert_file).'),
    key_file: text('Path to the PEM private key of the certificate.'),
    key_pem: secret('The private key as an in-config PEM string (instead of key_file).'),
    client_ca_file: text(
      'Path to the PEM CA bundle client certificates must chain to; setting it requires and verifies client certificates (mTLS).',
    ),
    client_ca_file_reload: flag(
      'Re-read client_ca_file when it changes (checked every second, or every reload_interval if set).',
    ),
    ca_file: text(
      'Path to a PEM CA bundle. As in Go, a server checks it at start but does not use it: use client_ca_file for mTLS.',
    ),
    ca_pem: secret('CA bundle as an in-config PEM string (instead of ca_file); unused by a server, as ca_file.'),
    include_system_ca_certs_pool: flag("Also trust Node's bundled root CAs for client certificates."),
    min_version: text('Minimum TLS version accepted: 1.0, 1.1, 1.2 or 1.3; default 1.2.'),
    max_version: text('Maximum TLS version accepted: 1.0, 1.1, 1.2 or 1.3; default the newest (1.3).'),
    cipher_suites: names(
      'TLS 1.2 cipher suites by IANA name (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, …); empty means a safe default list. TLS 1.3 suites are always on.',
    ),
    include_insecure_cipher_suites: flag(
      "Allow the insecure suites of Go's tls.InsecureCipherSuites() in cipher_suites.",
    ),
    curve_preferences: names('ECDHE curves in preference order: X25519, P256, P384, P521; empty means the defaults.'),
    reload_interval: Type.Optional(
      Duration({
        description:
          'Re-read the certificate, key and client CA files this often; a changed pair is served to new connections without a restart. Unset: never.',
      }),
    ),
  },
  {
    description: 'TLS for this server; the server speaks plain text when the block is absent.',
    additionalProperties: false,
  },
);

/** The parsed `tls:` block (durations in ms). */
export type TlsServerConfig = Static<typeof TlsServerBlock>;

/**
 * Go's ServerConfig.Validate and Config.Validate, then (when those pass) the files read once: each
 * problem as [key below `tls` ('' for the block itself), message].
 */
export function validateTlsServer(cfg: TlsServerConfig): TlsProblem[] {
  // The mapping to transport's plain options is the identity, checked here: a key renamed on one side fails to compile.
  const settings: TlsServerSettings = cfg;
  return tlsServerProblems(settings);
}
