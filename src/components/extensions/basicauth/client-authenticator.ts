// The client side of basicauth: an `Authorization: Basic base64(username:password)` header for every
// request an exporter sends, computed once. The header holds the password: it is never logged.
import type { ClientAuthenticator } from '../../../contracts/auth.ts';
import { TelegateError } from '../../../errors/catalogue.ts';
import type { BasicAuthConfig } from './config.ts';

/** A `basicauth` extension configured with `client_auth`. */
export class BasicAuthClient implements ClientAuthenticator {
  readonly isClientAuthenticator = true as const;
  readonly identity: string;
  private readonly id: string;
  private readonly headers: Readonly<Record<string, string>>;

  constructor(id: string, config: BasicAuthConfig) {
    const username = config.client_auth?.username ?? '';
    const password = config.client_auth?.password.reveal() ?? '';
    this.id = id;
    this.identity = username;
    const encoded = Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
    this.headers = Object.freeze({ authorization: `Basic ${encoded}` });
  }

  /** Refuses a user name with ':' as Go does (it would shift the password boundary). */
  start(): Promise<void> {
    if (this.identity.includes(':'))
      return Promise.reject(
        new TelegateError(
          'TG_START_FAILED',
          `extension ${this.id}: invalid authorization format: the user name contains ":"`,
        ),
      );
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  /** The same frozen object every time. */
  requestHeaders(): Readonly<Record<string, string>> {
    return this.headers;
  }

  /** Never the header or password, whatever prints this object. */
  toJSON(): Record<string, string> {
    return { authenticator: this.id, username: this.identity };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `BasicAuthClient { id: ${JSON.stringify(this.id)}, username: ${JSON.stringify(this.identity)} }`;
  }
}
