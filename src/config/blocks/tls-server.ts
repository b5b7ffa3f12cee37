// The server-side `tls` block, keys as Go's configtls.ServerConfig. Certificates are loaded at start
// by src/transport/http-server-tls.ts; reload and client-CA reload come later.
import Type, { type Static } from 'typebox';
import { Duration } from './primitives.ts';

/** A TLS version as Go's configtls spells it. */
const TlsVersion = (description: string) =>
  Type.Union([Type.Literal('1.0'), Type.Literal('1.1'), Type.Literal('1.2'), Type.Literal('1.3')], { description });

/** `tls:` of a server (gRPC or HTTP receiver). */
export const TlsServerBlock = Type.Object(
  {
    cert_file: Type.Optional(Type.String({ description: 'Path to the PEM certificate (chain) the server presents.' })),
    key_file: Type.Optional(Type.String({ description: 'Path to the PEM private key of cert_file.' })),
    ca_file: Type.Optional(
      Type.String({
        description: 'Path to a PEM CA bundle; for a server it verifies client certificates (like client_ca_file).',
      }),
    ),
    client_ca_file: Type.Optional(
      Type.String({
        description:
          'Path to the PEM CA bundle that client certificates must chain to; setting it requires and verifies client certificates (mTLS).',
      }),
    ),
    min_version: Type.Optional(TlsVersion('Minimum TLS version accepted (1.0–1.3); default 1.2.')),
    max_version: Type.Optional(
      TlsVersion('Maximum TLS version accepted (1.0–1.3); default: the newest Node supports.'),
    ),
    reload_interval: Type.Optional(
      Duration({ description: 'How often to reload the certificate files; not reloaded when unset.' }),
    ),
    cipher_suites: Type.Optional(
      Type.Array(Type.String(), {
        description: 'TLS 1.2 cipher suites by Go/IANA name; empty means a safe default list.',
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
