// The headers an exporter's authenticator would add, got by creating and starting that extension
// from the config exactly as the service would (basicauth reads its password, bearertokenauth its
// token file), then stopping it. The values are secrets: they are sent, never printed.
import { isClientAuthenticator } from '../contracts/auth.ts';
import type { Logger, Telemetry } from '../contracts/component.ts';
import type { ResolvedConfig } from '../config/load-config.ts';
import { TelegateError } from '../errors/catalogue.ts';

/** The authenticator's headers and who it claims to be. */
export interface ClientCredentials {
  readonly headers: Readonly<Record<string, string>>;
  readonly authenticator: string;
  readonly identity: string;
}

/** Creates, starts and stops the client authenticator `id`; throws TG_START_FAILED when it cannot. */
export async function clientCredentials(
  config: ResolvedConfig,
  id: string,
  logger: Logger,
): Promise<ClientCredentials> {
  const resolved = config.extensions.get(id);
  if (resolved === undefined)
    throw new TelegateError('TG_START_FAILED', `authenticator "${id}" is not configured under extensions`);
  const extension = resolved.factory.create(
    { id: resolved.id, kind: 'extension', logger, telemetry: NO_TELEMETRY },
    resolved.config,
  );
  try {
    await extension.start({ getExtension: () => undefined });
    if (!isClientAuthenticator(extension))
      throw new TelegateError('TG_START_FAILED', `"${id}" is not a client authenticator (basicauth needs client_auth)`);
    return { headers: extension.requestHeaders(), authenticator: id, identity: extension.identity };
  } finally {
    await extension.shutdown();
  }
}

// Doctor reports nothing as metrics: an authenticator's counters go nowhere.
const NO_TELEMETRY: Telemetry = {
  counter: () => ({ add: () => undefined }),
  gauge: () => ({ set: () => undefined }),
  observe: () => undefined,
  histogram: () => ({ record: () => undefined }),
};
