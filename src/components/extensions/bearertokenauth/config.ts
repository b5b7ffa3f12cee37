// The `bearertokenauth` extension's config, key for key as Go's bearertokenauthextension.Config:
// `token` (or a list of accepted `tokens`, or a watched `filename`), the `scheme` put before it and
// the `header` that carries it; with Go's validation messages.
import Type, { type Static } from 'typebox';
import { SecretString } from '../../../config/blocks/primitives.ts';

/** The bearertokenauth config schema. */
export const BearerTokenAuthConfigSchema = Type.Object(
  {
    header: Type.String({
      default: 'Authorization',
      description: 'Header (gRPC metadata key) that carries the token.',
    }),
    scheme: Type.String({
      default: 'Bearer',
      description: 'Auth scheme written before the token (`<scheme> <token>`); empty sends the token alone.',
    }),
    token: Type.Optional(
      SecretString({ description: 'The token: sent by a client, the one accepted by a server. Never logged.' }),
    ),
    tokens: Type.Optional(
      Type.Array(SecretString({ description: 'One accepted token.' }), {
        description:
          'Tokens a server accepts (any of them); a client sends the first. Not together with `token`; wins over `filename`.',
      }),
    ),
    filename: Type.Optional(
      Type.String({
        description:
          'File holding the token (one per line for a server accepting several); re-read when it changes. Wins over `token`.',
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'Bearer token authentication: a client sends a static token, a server accepts requests carrying one.',
  },
);

/** The parsed config. */
export type BearerTokenAuthConfig = Static<typeof BearerTokenAuthConfigSchema>;

/** Go's Config.Validate, as [path, message]. */
export function validateBearerTokenAuthConfig(config: unknown): [string, string][] {
  const cfg = config as BearerTokenAuthConfig;
  const token = cfg.token?.reveal() ?? '';
  const tokens = cfg.tokens ?? [];
  const filename = cfg.filename ?? '';
  if (token === '' && tokens.length === 0 && filename === '') return [['', 'no bearer token provided']];
  if (token !== '' && tokens.length > 0) return [['', 'either tokens or token should be provided, not both']];
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(cfg.header)) {
    // Not in Go, where a bad name fails on the first request; here it is caught before start.
    return [['header', `"${cfg.header}" is not a valid header name`]];
  }
  return [];
}
