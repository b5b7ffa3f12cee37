// The server-side `auth:` block, as Go's configauth.Config: the id of an authenticator extension that
// checks every request before its body is parsed (DESIGN.md §4). Parsed and validated here; wiring
// the authenticator into the servers comes with the authenticator extensions.
import Type, { type Static } from 'typebox';

/** `auth: { authenticator: <extension id> }`. */
export const AuthBlock = Type.Object(
  {
    authenticator: Type.String({
      description: 'Id of the authenticator extension (for example `basicauth/server`) that must accept each request.',
      pattern: '^[^\\s/]+(/[^\\s]+)?$',
      minLength: 1,
    }),
  },
  { description: 'Authenticate every request with an authenticator extension.', additionalProperties: false },
);

/** The parsed `auth:` block. */
export type AuthConfig = Static<typeof AuthBlock>;
