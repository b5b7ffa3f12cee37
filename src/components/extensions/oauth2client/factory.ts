// The `oauth2client` extension factory: Go contrib's type name and stability; a client authenticator only.
import type { ExtensionFactory } from '../../../contracts/component.ts';
import { OAuth2ClientConfigSchema, validateOAuth2ClientConfig, type OAuth2ClientConfig } from './config.ts';
import { OAuth2ClientAuth } from './oauth2-client-auth.ts';

/** `extensions: oauth2client:` */
export const oauth2ClientFactory: ExtensionFactory<OAuth2ClientConfig> = {
  kind: 'extension',
  type: 'oauth2client',
  stability: { extension: 'beta' },
  description: 'Sends an OAuth2 access token obtained by the client-credentials grant (client only).',
  configSchema: OAuth2ClientConfigSchema,
  validate: validateOAuth2ClientConfig,
  authenticatorRoles: () => ['client'],
  create: (settings, config) => new OAuth2ClientAuth(settings, config),
};
