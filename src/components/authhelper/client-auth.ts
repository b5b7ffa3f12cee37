// An exporter's side of a client authenticator (DESIGN.md §4), shared by otlp and otlphttp: its headers
// added to every call after the configured `headers` (so the authenticator wins), a warning when they
// would cross the network unencrypted, and secrets cut out of server messages.
import type { ClientAuthenticator } from '../../contracts/auth.ts';
import type { Logger } from '../../contracts/component.ts';
import { redactSecrets } from '../../util/redact.ts';
import { isLoopbackHost } from '../../util/loopback.ts';

/** Who authenticates an exporter's calls, for messages: the extension id and the user it claims. */
export interface AuthIdentity {
  readonly authenticator: string;
  readonly identity: string;
}

/**
 * Why an export failed on credentials, naming the authenticator and the user it claims (never a
 * secret) so that an operator knows which credentials were refused; `answer` is what the server said.
 */
export function refusedCredentialsMessage(answer: string, auth: AuthIdentity | undefined): string {
  if (auth === undefined) {
    return `the destination refused the credentials (${answer}); check headers / auth.authenticator of this exporter`;
  }
  const who = auth.identity === '' ? '' : ` for user "${auth.identity}"`;
  return `the destination refused the credentials of authenticator "${auth.authenticator}"${who}: ${answer}; check that these credentials are accepted there`;
}

/** Where an exporter sends: a gRPC target or an HTTP URL's host (unix sockets never leave the machine). */
export interface SendTarget {
  readonly transport: 'tcp' | 'unix';
  readonly host?: string;
  /** `host:port`, for the message. */
  readonly authority: string;
}

/** Warns when credentials would be sent without TLS to a host other than this machine. */
export function warnIfPlaintext(logger: Logger, id: string, target: SendTarget, useTls: boolean): void {
  if (useTls || target.transport !== 'tcp' || isLoopbackHost(target.host ?? '')) return;
  logger.warn(
    `auth.authenticator "${id}" is used over a plaintext connection to ${target.authority}: credentials would cross the network in plaintext; enable TLS (remove tls.insecure, or use https://)`,
    { authenticator: id, endpoint: target.authority },
  );
}

/** Per-call metadata: the configured headers, then the authenticator's (recomputed only when they change). */
export class CallMetadata {
  private readonly base: Readonly<Record<string, string>>;
  private authenticator: ClientAuthenticator | undefined;
  private lastAuth: Readonly<Record<string, string>> | undefined;
  private merged: Readonly<Record<string, string>>;

  constructor(base: Readonly<Record<string, string>>) {
    this.base = base;
    this.merged = base;
  }

  /** Starts adding `authenticator`'s headers. */
  use(authenticator: ClientAuthenticator): void {
    this.authenticator = authenticator;
    this.lastAuth = undefined;
  }

  /** The metadata for the next call. */
  current(): Readonly<Record<string, string>> {
    const auth = this.authenticator?.requestHeaders();
    if (auth === undefined || auth === this.lastAuth) return this.merged;
    this.lastAuth = auth;
    const lower: Record<string, string> = {};
    for (const [k, v] of Object.entries(auth)) lower[k.toLowerCase()] = v;
    this.merged = Object.freeze({ ...this.base, ...lower });
    return this.merged;
  }

  /** `text` with every header value of the last call (and the words after a scheme) redacted. */
  redact(text: string): string {
    return redactSecrets(text, Object.values(this.merged));
  }
}
