// Finding a protocol's server authenticator among the running extensions at start, with Go's
// configauth messages prefixed by the YAML path of the reference.
import { isServerAuthenticator, type ServerAuthenticator } from '../../../contracts/auth.ts';
import type { Host } from '../../../contracts/component.ts';
import { TelegateError } from '../../../errors/catalogue.ts';

/** The extension `id` as a server authenticator; throws TG_START_FAILED naming `at` otherwise. */
export function resolveServerAuthenticator(host: Host, id: string, at: string): ServerAuthenticator {
  const extension = host.getExtension(id);
  if (extension === undefined) {
    throw new TelegateError(
      'TG_START_FAILED',
      `${at}: failed to resolve authenticator "${id}": authenticator not found; configure it under extensions and list it in service.extensions`,
    );
  }
  if (!isServerAuthenticator(extension)) {
    throw new TelegateError(
      'TG_START_FAILED',
      `${at}: requested authenticator "${id}" is not a server authenticator; a receiver needs one that checks credentials (basicauth with htpasswd, bearertokenauth)`,
    );
  }
  return extension;
}
