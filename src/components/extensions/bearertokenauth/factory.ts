// The `bearertokenauth` extension factory: Go contrib's type name and stability; an instance is
// both a server authenticator (receivers) and a client authenticator (exporters).
import type { ExtensionFactory } from '../../../contracts/component.ts';
import { BearerTokenAuth } from './bearer-token-auth.ts';
import { BearerTokenAuthConfigSchema, validateBearerTokenAuthConfig, type BearerTokenAuthConfig } from './config.ts';

/** `extensions: bearertokenauth:` */
export const bearerTokenAuthFactory: ExtensionFactory<BearerTokenAuthConfig> = {
  kind: 'extension',
  type: 'bearertokenauth',
  stability: { extension: 'beta' },
  description: 'Authenticates with a static bearer token: receivers check it, exporters send it.',
  configSchema: BearerTokenAuthConfigSchema,
  validate: validateBearerTokenAuthConfig,
  authenticatorRoles: () => ['server', 'client'],
  create: (settings, config) => new BearerTokenAuth(settings, config),
};
