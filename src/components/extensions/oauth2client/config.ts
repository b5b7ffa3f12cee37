// The `oauth2client` extension's config, key for key as Go contrib's oauth2clientauthextension: the
// client credentials (inline or read from files), the token endpoint with its scopes, extra parameters,
// timeout and `tls` block, and how long before expiry a token is renewed; with Go's messages.
import Type, { type Static } from 'typebox';
import { Duration, SecretString } from '../../../config/blocks/primitives.ts';
import { TlsClientBlock, validateTlsClient } from '../../../config/blocks/tls-client.ts';

/** The oauth2client config schema. */
export const OAuth2ClientConfigSchema = Type.Object(
  {
    client_id: Type.String({
      default: '',
      description: 'The client identifier issued by the provider (RFC 6749 §2.2).',
    }),
    client_id_file: Type.String({
      default: '',
      description: 'File holding the client id, read at each token request; wins over `client_id`.',
    }),
    client_secret: SecretString({
      default: '',
      description: 'The client secret (RFC 6749 §2.3.1). A secret: never logged.',
    }),
    client_secret_file: Type.String({
      default: '',
      description:
        'File holding the client secret, read at each token request (a rotated secret is picked up); wins over `client_secret`.',
    }),
    token_url: Type.String({ default: '', description: 'The token endpoint (RFC 6749 §3.2).' }),
    scopes: Type.Array(Type.String(), { default: [], description: 'Scopes requested (RFC 6749 §3.3).' }),
    endpoint_params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]), {
      default: {},
      description: 'Extra form parameters of the token request, e.g. `audience: telegate-gateway`.',
    }),
    timeout: Duration({
      default: '0s',
      description: 'Deadline of a token request; 0 means telegate’s bound of 30 s (Go: none).',
    }),
    expiry_buffer: Duration({
      default: '5m',
      description:
        'Renew a token this long before it expires (at most half its lifetime, so short-lived tokens are not fetched on every call).',
    }),
    tls: TlsClientBlock,
  },
  {
    additionalProperties: false,
    description:
      'OAuth2 client credentials for exporters: a token is fetched, cached, renewed before expiry and sent as `Authorization: Bearer`.',
  },
);

/** The parsed config (durations in milliseconds). */
export type OAuth2ClientConfig = Static<typeof OAuth2ClientConfigSchema>;

/** Go's Config.Validate, as [path, message]; then the `tls` block's rules for an https token URL. */
export function validateOAuth2ClientConfig(config: unknown): [string, string][] {
  const cfg = config as OAuth2ClientConfig;
  if (cfg.client_id === '' && cfg.client_id_file === '')
    return [['', 'no ClientID provided in the OAuth2 exporter configuration']];
  if (cfg.client_secret.isEmpty && cfg.client_secret_file === '')
    return [['', 'no ClientSecret provided in OAuth Client Credentials configuration']];
  if (cfg.token_url === '') return [['', 'no TokenURL provided in OAuth Client Credentials configuration']];
  if (!URL.canParse(cfg.token_url) || !/^https?:$/.test(new URL(cfg.token_url).protocol))
    return [['token_url', `"${cfg.token_url}" is not an http(s) URL`]];
  if (new URL(cfg.token_url).protocol !== 'https:') return [];
  return validateTlsClient(cfg.tls).map(([path, message]) => [`tls.${path}`, message]);
}
