// `telegate gen --otlp-oauth2-*`: a token obtained once at start by the client-credentials grant (the
// oauth2client extension's request), sent as `authorization: Bearer …` with every export. A generator
// run is short; a run longer than the token's life sees the gateway refuse it, as any expired token.
import { readFile } from 'node:fs/promises';
import type { ConnectionOptions } from 'node:tls';
import { requestToken } from '../components/extensions/oauth2client/token-request.ts';
import type { GenOptions } from './options.ts';

/** `o` with the token in its headers, or `o` itself without --otlp-oauth2-token-url. Rejects with the provider's reason. */
export async function withOAuth2Token(o: GenOptions): Promise<GenOptions> {
  const a = o.oauth2;
  if (a.tokenUrl === '') return o;
  const clientSecret = a.clientSecretFile === '' ? a.clientSecret : (await readFile(a.clientSecretFile, 'utf8')).trim();
  const grant = {
    tokenUrl: new URL(a.tokenUrl),
    clientId: a.clientId,
    clientSecret,
    scopes: a.scopes,
    params: {},
    timeoutMs: o.timeoutMs,
    tls: await tokenTls(o),
  };
  const { token } = await requestToken(grant, undefined);
  return { ...o, headers: { ...o.headers, authorization: `Bearer ${token.value}` } };
}

// The token endpoint is trusted as the export endpoint is: --ca-cert, --otlp-insecure-skip-verify.
async function tokenTls(o: GenOptions): Promise<ConnectionOptions> {
  const ca = o.caCert === '' ? {} : { ca: await readFile(o.caCert, 'utf8') };
  return { ...ca, rejectUnauthorized: !o.insecureSkipVerify };
}
