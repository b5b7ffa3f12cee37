// The `oidc` extension factory: Go contrib's type name and stability; a server authenticator only.
import type { ExtensionFactory } from '../../../contracts/component.ts';
import { OidcConfigSchema, validateOidcConfig, type OidcConfig } from './config.ts';
import { OidcAuth } from './oidc-auth.ts';

/** `extensions: oidc:` */
export const oidcFactory: ExtensionFactory<OidcConfig> = {
  kind: 'extension',
  type: 'oidc',
  stability: { extension: 'beta' },
  description: 'Authenticates requests carrying a JWT from an OpenID Connect provider (server only).',
  configSchema: OidcConfigSchema,
  validate: validateOidcConfig,
  authenticatorRoles: () => ['server'],
  create: (settings, config) => new OidcAuth(settings, config),
};
