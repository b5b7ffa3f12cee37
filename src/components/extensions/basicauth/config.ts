// The basicauth extension's config: Go's keys (`htpasswd.file/inline` for a server, `client_auth`
// for a client) and validation messages (contrib extension/basicauthextension/config.go), plus
// telegate's own `throttle` block for the server.
import Type, { type Static } from 'typebox';
import { Duration, OptionalBlock, SecretString } from '../../../config/blocks/primitives.ts';
import { cidrProblem } from './client-address.ts';
import { htpasswdProblems } from './htpasswd-loader.ts';

const HtpasswdBlock = Type.Object(
  {
    file: Type.String({ default: '', description: 'Path to an htpasswd file; watched and reloaded when it changes.' }),
    inline: SecretString({
      default: '',
      description:
        'htpasswd content written in the config, one `user:hash` per line; read after `file`, so its users take precedence. A secret: never logged.',
    }),
  },
  {
    additionalProperties: false,
    description: 'Makes this a server authenticator checking requests against htpasswd entries.',
  },
);

const ClientAuthBlock = Type.Object(
  {
    username: Type.String({ default: '', description: 'User name sent with every request.' }),
    password: SecretString({ default: '', description: 'Password sent with every request (a secret: never logged).' }),
  },
  {
    additionalProperties: false,
    description: 'Makes this a client authenticator adding Basic credentials to requests.',
  },
);

const ThrottleBlock = Type.Object(
  {
    enabled: Type.Boolean({
      default: true,
      description: 'Refuse a client for a while after repeated distinct failed logins.',
    }),
    max_failures: Type.Integer({
      default: 10,
      minimum: 1,
      description:
        'Distinct failed credentials for one user from one client, within `window`, that block that user from that client; also the most checks of that pair in flight at once. A repeated wrong credential counts once.',
    }),
    max_failures_per_client: Type.Integer({
      default: 100,
      minimum: 1,
      description:
        'Distinct failed credentials from one client over all users, within `window`, that block the client (credentials that verified before still pass).',
    }),
    window: Duration({ default: '1m', description: 'Time over which failures are counted.' }),
    block: Duration({
      default: '1m',
      description: 'How long a blocked client is refused (with a retry-after) without any check.',
    }),
    trusted_proxies: Type.Array(Type.String(), {
      default: [],
      description:
        'Addresses or CIDR ranges of proxies (an ingress) whose forwarded client address (Forwarded, X-Forwarded-For, X-Real-IP; the right-most untrusted hop) is counted instead of the peer. Empty: the peer is the client and forwarded headers are ignored.',
    }),
  },
  {
    additionalProperties: false,
    description: 'telegate addition (server only): slows password guessing from one client. On by default.',
  },
);

/** The config schema. */
export const BasicAuthConfigSchema = Type.Object(
  {
    htpasswd: OptionalBlock(HtpasswdBlock),
    client_auth: OptionalBlock(ClientAuthBlock),
    throttle: ThrottleBlock,
  },
  {
    additionalProperties: false,
    description: 'HTTP Basic authentication for receivers (server) or exporters (client).',
  },
);

/** The validated config (durations in milliseconds). */
export type BasicAuthConfig = Static<typeof BasicAuthConfigSchema>;

/** Go's messages (config.go and the server's constructor). */
export const ERR_NO_CREDENTIAL_SOURCE = 'no credential source provided';
export const ERR_MULTIPLE_AUTHENTICATORS = 'only one of `htpasswd` or `client_auth` can be specified';

/** Cross-field rules as [relative path, message]. */
export function validateBasicAuthConfig(config: unknown): [string, string][] {
  const cfg = config as BasicAuthConfig;
  const server = cfg.htpasswd !== undefined;
  const client = cfg.client_auth !== undefined;
  if (server && client) return [['', ERR_MULTIPLE_AUTHENTICATORS]];
  if (!server && !client) return [['', ERR_NO_CREDENTIAL_SOURCE]];
  const problems: [string, string][] = [];
  // Go refuses these when the extension is created or used; telegate says so at validation.
  if (cfg.htpasswd !== undefined && cfg.htpasswd.file === '' && cfg.htpasswd.inline.isEmpty)
    problems.push(['htpasswd', `${ERR_NO_CREDENTIAL_SOURCE}: set htpasswd.file or htpasswd.inline`]);
  // An unreadable file or a malformed line shows at `telegate validate`, not first at start.
  else if (cfg.htpasswd !== undefined)
    problems.push(...htpasswdProblems(cfg.htpasswd.file, cfg.htpasswd.inline.reveal()));
  if (cfg.client_auth?.username.includes(':') === true)
    problems.push(['client_auth.username', 'invalid authorization format: a Basic user name cannot contain ":"']);
  if (cfg.throttle.window <= 0) problems.push(['throttle.window', 'window must be greater than 0']);
  if (cfg.throttle.block <= 0) problems.push(['throttle.block', 'block must be greater than 0']);
  cfg.throttle.trusted_proxies.forEach((entry, i) => {
    const problem = cidrProblem(entry);
    if (problem !== undefined) problems.push([`throttle.trusted_proxies[${String(i)}]`, problem]);
  });
  return problems;
}

/** The authenticator role a config gives the extension (contracts ExtensionFactory.authenticatorRoles). */
export function basicAuthRoles(config: unknown): readonly ('server' | 'client')[] {
  const cfg = config as Partial<BasicAuthConfig> | undefined;
  if (cfg?.htpasswd !== undefined && cfg.client_auth === undefined) return ['server'];
  if (cfg?.client_auth !== undefined && cfg.htpasswd === undefined) return ['client'];
  return [];
}
