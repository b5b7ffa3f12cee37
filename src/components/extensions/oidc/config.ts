// The `oidc` extension's config, key for key as Go contrib's oidcauthextension (its single-provider
// form): the issuer and its CA, the audience tokens must be for, the claims naming the subject and
// its groups, and the header carrying the token; with Go's validation messages.
import Type, { type Static } from 'typebox';

/** The oidc config schema. */
export const OidcConfigSchema = Type.Object(
  {
    issuer_url: Type.String({
      default: '',
      description:
        'Base URL of the OpenID provider; its `/.well-known/openid-configuration` is read at start and tokens must carry it as `iss`.',
    }),
    issuer_ca_path: Type.String({
      default: '',
      description: 'PEM file of the CA that signed the provider’s TLS certificate; empty: the system roots.',
    }),
    audience: Type.String({
      default: '',
      description: 'The `aud` a token must carry (the client id of this collector at the provider).',
    }),
    ignore_audience: Type.Boolean({
      default: false,
      description: 'Accept tokens whatever their `aud` (then `audience` may be empty).',
    }),
    username_claim: Type.String({
      default: '',
      description: 'Claim whose (string) value is the subject (`auth.subject`); empty: `sub`.',
    }),
    groups_claim: Type.String({
      default: '',
      description:
        'Claim holding the subject’s groups (`auth.membership`, joined with `;`); a token without it is refused.',
    }),
    attribute: Type.String({
      default: 'authorization',
      description: 'Header (gRPC metadata key) carrying `Bearer <token>`.',
    }),
  },
  {
    additionalProperties: false,
    description:
      'OpenID Connect: receivers accept requests carrying a JWT signed by the provider’s published keys, for this audience.',
  },
);

/** The parsed config. */
export type OidcConfig = Static<typeof OidcConfigSchema>;

/** Go's Config.Validate, as [path, message]. */
export function validateOidcConfig(config: unknown): [string, string][] {
  const cfg = config as OidcConfig;
  if (cfg.audience === '' && !cfg.ignore_audience) return [['', 'no Audience provided for the OIDC configuration']];
  if (cfg.issuer_url === '') return [['', 'no IssuerURL provided for the OIDC configuration']];
  if (!URL.canParse(cfg.issuer_url) || !/^https?:$/.test(new URL(cfg.issuer_url).protocol)) {
    // Not in Go, where discovery fails at start; here it is caught before.
    return [['issuer_url', `"${cfg.issuer_url}" is not an http(s) URL`]];
  }
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(cfg.attribute))
    return [['attribute', `"${cfg.attribute}" is not a valid header name`]];
  return [];
}
