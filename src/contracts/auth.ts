// Authenticators are extensions (DESIGN.md §4). A receiver's `auth.authenticator` names a server
// authenticator, asked before any byte of a request body is read; an exporter's names a client
// authenticator, which adds credentials to every outgoing request.
import type { Component } from './component.ts';

/** Request headers or gRPC metadata as Node delivers them (keys lower-cased). */
export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** The outcome of checking a request's credentials. */
export type AuthResult =
  | {
      readonly ok: true;
      /** The verified identity, carried in the payload context (`auth.username`, …). */
      readonly auth: Readonly<Record<string, string>>;
    }
  | {
      readonly ok: false;
      /** `unauthenticated` → UNAUTHENTICATED / 401; `throttled` → RESOURCE_EXHAUSTED / 429. */
      readonly reason: 'unauthenticated' | 'throttled';
      /** For the client: helpful, never revealing which part of the credentials was wrong. */
      readonly message: string;
      /** HTTP `WWW-Authenticate` challenge, e.g. `Basic realm="telegate"`. */
      readonly challenge?: string;
      /** With `throttled`: when to try again. */
      readonly retryAfterMs?: number;
    };

/** A server-side authenticator extension. A cache hit should answer synchronously. */
export interface ServerAuthenticator extends Component {
  readonly isServerAuthenticator: true;
  authenticate(headers: RequestHeaders, clientAddress: string | undefined): AuthResult | Promise<AuthResult>;
}

/** A client-side authenticator extension. Header values are secrets: never log them. */
export interface ClientAuthenticator extends Component {
  readonly isClientAuthenticator: true;
  /** Headers (lower-case names) to add to every request; `user` names the identity for log messages. */
  requestHeaders(): Readonly<Record<string, string>>;
  /** Who this authenticator claims to be, for messages (a username, never a secret); '' when none. */
  readonly identity: string;
  /**
   * The destination answered UNAUTHENTICATED: obtain new credentials if that can help (a token
   * fetched again; rate-limited by the authenticator). Resolves when done; requestHeaders() then has
   * them. Absent: credentials cannot change on demand (a password, a static token).
   */
  renewCredentials?(): Promise<void>;
}

export function isServerAuthenticator(c: Component | undefined): c is ServerAuthenticator {
  return (c as Partial<ServerAuthenticator> | undefined)?.isServerAuthenticator === true;
}

export function isClientAuthenticator(c: Component | undefined): c is ClientAuthenticator {
  return (c as Partial<ClientAuthenticator> | undefined)?.isClientAuthenticator === true;
}
