// The token step, for an exporter whose authenticator is an oauth2client: one client-credentials grant
// sent by the extension's own code (token-grant.ts, token-request.ts) to its token_url, and the
// provider's answer said in plain words. The secret and the token are never part of a result.
import { readClientCredentials } from '../components/extensions/oauth2client/client-credentials.ts';
import type { OAuth2ClientConfig } from '../components/extensions/oauth2client/config.ts';
import { tokenGrant } from '../components/extensions/oauth2client/token-grant.ts';
import { requestToken, TokenError, type AccessToken } from '../components/extensions/oauth2client/token-request.ts';
import { errorMessage } from '../errors/thrown.ts';
import { loadTlsOptions } from '../transport/grpc-client-tls.ts';
import { redactSecrets } from '../util/redact.ts';
import { fail, pass, skip, type StepResult } from './result.ts';
import type { DoctorTarget } from './target.ts';
import { SetupError, tokenFailure, type TokenSubject } from './token-failure.ts';

/** Requests a token as the exporter's oauth2client would; `skip` without one. Never rejects. */
export async function checkToken(target: DoctorTarget, timeoutMs: number): Promise<StepResult> {
  if (target.oauth2 === undefined) return skip('token', 'not used: the authenticator is not an oauth2client');
  const { authenticator, config } = target.oauth2;
  const subject: TokenSubject = { authenticator, clientId: config.client_id, tokenUrl: config.token_url };
  let secret = '';
  try {
    const credentials = await readClientCredentials(config);
    secret = credentials.clientSecret;
    const grant = tokenGrant(config, credentials, await tlsOptions(config), timeoutMs);
    const { token } = await requestToken(grant, undefined);
    return pass('token', granted({ ...subject, clientId: credentials.clientId }, config, token));
  } catch (err) {
    const failure = tokenFailure(subject, err instanceof TokenError ? err : setupError(err));
    // The messages name the client, never its secret; redacted all the same, as the extension does.
    const hide = secret === '' ? [] : [secret];
    return fail('token', { ...failure, detail: redactSecrets(failure.detail, hide) });
  }
}

async function tlsOptions(config: OAuth2ClientConfig) {
  const url = new URL(config.token_url);
  if (url.protocol !== 'https:') return undefined;
  try {
    return await loadTlsOptions(config.tls, url.hostname);
  } catch (err) {
    throw new SetupError('tls-files', errorMessage(err));
  }
}

function setupError(err: unknown): SetupError {
  return err instanceof SetupError ? err : new SetupError('credentials-file', errorMessage(err));
}

function granted(subject: TokenSubject, config: OAuth2ClientConfig, token: AccessToken): string {
  const type = token.tokenType === '' ? 'a token (no token_type, used as Bearer)' : `a ${token.tokenType} token`;
  const expiry =
    token.expiresInMs === undefined
      ? 'no expiry given'
      : `expires in ${String(Math.round(token.expiresInMs / 1000))} s`;
  const asked = config.scopes.length === 0 ? 'none asked' : `asked: ${config.scopes.join(' ')}`;
  // RFC 6749 §5.1: no `scope` means as asked — but some providers (oidc-provider) drop unknown scopes silently.
  const scopes =
    token.scope === undefined
      ? `the provider named no scopes (${asked})`
      : `scopes granted: ${token.scope === '' ? 'none' : token.scope} (${asked})`;
  return `${subject.tokenUrl} gave client \`${subject.clientId}\` ${type}, ${expiry}, ${scopes}`;
}
