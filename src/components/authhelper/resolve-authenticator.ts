// Finding the authenticator an `auth.authenticator` reference names among the running extensions at
// start, with Go's configauth messages prefixed by the YAML path of the reference. Shared by every
// receiver (server role) and exporter (client role), so the wording is the same everywhere.
import {
  isClientAuthenticator,
  isServerAuthenticator,
  type ClientAuthenticator,
  type ServerAuthenticator,
} from '../../contracts/auth.ts';
import type { Host } from '../../contracts/component.ts';
import { TelegateError } from '../../errors/catalogue.ts';

const NEEDS = {
  server: 'a receiver needs one that checks credentials (basicauth with htpasswd, bearertokenauth, oidc)',
  client: 'an exporter needs one that sends credentials (basicauth with client_auth, bearertokenauth, oauth2client)',
} as const;

/** The extension `id` in `role`; throws TG_START_FAILED naming `at` (the reference's YAML path) otherwise. */
export function resolveAuthenticator(host: Host, id: string, at: string, role: 'server'): ServerAuthenticator;
export function resolveAuthenticator(host: Host, id: string, at: string, role: 'client'): ClientAuthenticator;
export function resolveAuthenticator(
  host: Host,
  id: string,
  at: string,
  role: 'server' | 'client',
): ServerAuthenticator | ClientAuthenticator {
  const extension = host.getExtension(id);
  if (extension === undefined) {
    throw new TelegateError(
      'TG_START_FAILED',
      `${at}: failed to resolve authenticator "${id}": authenticator not found; configure it under extensions and list it in service.extensions`,
    );
  }
  if (role === 'server' && isServerAuthenticator(extension)) return extension;
  if (role === 'client' && isClientAuthenticator(extension)) return extension;
  throw new TelegateError(
    'TG_START_FAILED',
    `${at}: requested authenticator "${id}" is not a ${role} authenticator; ${NEEDS[role]}`,
  );
}
