// The `basicauth` extension factory: Go's type name and stability (beta). With `htpasswd` it is a
// server authenticator, with `client_auth` a client authenticator — never both.
import type { ExtensionFactory } from '../../../contracts/component.ts';
import { BasicAuthClient } from './client-authenticator.ts';
import { BasicAuthConfigSchema, basicAuthRoles, validateBasicAuthConfig, type BasicAuthConfig } from './config.ts';
import { BasicAuthServer } from './server-authenticator.ts';

/** HTTP Basic authentication for receivers (htpasswd) and exporters (client_auth). */
export const basicAuthFactory: ExtensionFactory<BasicAuthConfig> = {
  kind: 'extension',
  type: 'basicauth',
  stability: { extension: 'beta' },
  description:
    'HTTP Basic authentication: checks requests against htpasswd entries (server) or adds credentials to requests (client).',
  configSchema: BasicAuthConfigSchema,
  validate: validateBasicAuthConfig,
  authenticatorRoles: basicAuthRoles,
  create: (settings, config) =>
    config.htpasswd !== undefined ? new BasicAuthServer(settings, config) : new BasicAuthClient(settings.id.id, config),
};
