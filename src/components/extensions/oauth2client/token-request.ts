// One client-credentials grant (RFC 6749 §4.4): a form POST to the token endpoint with the client
// authenticated by HTTP Basic (§2.3.1, which every server supports) or, for a server that refuses that,
// in the form body, as Go's oauth2 AuthStyleAutoDetect does. Errors name the endpoint, the client id
// and the provider's error code — never the secret.
import type { ConnectionOptions } from 'node:tls';
import { errorMessage } from '../../../errors/thrown.ts';
import { requestJson, type JsonAnswer } from '../../../transport/json-request.ts';

/** What is sent. */
export interface TokenGrant {
  readonly tokenUrl: URL;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes: readonly string[];
  readonly params: Readonly<Record<string, string | readonly string[]>>;
  readonly timeoutMs: number;
  readonly tls: ConnectionOptions;
}

/** How the client authenticates at the token endpoint. */
export type ClientAuthStyle = 'basic' | 'body';

/** An access token, and when it expires (undefined: the provider did not say; it is kept until refused). */
export interface AccessToken {
  readonly value: string;
  readonly expiresInMs: number | undefined;
  /** The `token_type` the provider named ('' when it named none). */
  readonly tokenType: string;
  /** The scopes granted, when the provider said (RFC 6749 §5.1: it may omit them when as requested). */
  readonly scope: string | undefined;
}

/**
 * Why no token was had, as a value doctor can explain: the endpoint could not be reached (`code` is
 * the Node error code), it refused the client (`status`, the OAuth2 `error`), its answer was not JSON,
 * held no access_token, or held a token that is not Bearer. The message never holds the secret.
 */
export class TokenError extends Error {
  readonly kind: 'unreachable' | 'refused' | 'not-json' | 'no-token' | 'not-bearer';
  readonly status: number;
  /** The OAuth2 `error` code (RFC 6749 §5.2), '' when none. */
  readonly error: string;
  readonly code: string;

  constructor(
    kind: TokenError['kind'],
    message: string,
    fields: { status?: number; error?: string; code?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: fields.cause });
    this.name = 'TokenError';
    this.kind = kind;
    this.status = fields.status ?? 0;
    this.error = fields.error ?? '';
    this.code = fields.code ?? '';
  }
}

/** Requests a token; `style` undefined tries Basic, then the body. Resolves with the style that worked. */
export async function requestToken(
  grant: TokenGrant,
  style: ClientAuthStyle | undefined,
): Promise<{ token: AccessToken; style: ClientAuthStyle }> {
  const first = await post(grant, style ?? 'basic');
  // RFC 6749 §5.2: invalid_client (400 or 401) is how a server says it wants the other style.
  if (style === undefined && isClientRefusal(first)) {
    const second = await post(grant, 'body');
    if (!isClientRefusal(second)) return { token: tokenOf(second, grant), style: 'body' };
  }
  return { token: tokenOf(first, grant), style: style ?? 'basic' };
}

async function post(grant: TokenGrant, style: ClientAuthStyle): Promise<JsonAnswer> {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (grant.scopes.length > 0) form.set('scope', grant.scopes.join(' '));
  for (const [k, v] of Object.entries(grant.params))
    for (const one of typeof v === 'string' ? [v] : v) form.append(k, one);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (style === 'basic') {
    // §2.3.1: both parts form-urlencoded before Base64.
    const pair = `${encodeURIComponent(grant.clientId)}:${encodeURIComponent(grant.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
  } else {
    form.set('client_id', grant.clientId);
    form.set('client_secret', grant.clientSecret);
  }
  try {
    return await requestJson(grant.tokenUrl, {
      method: 'POST',
      headers,
      body: form.toString(),
      tls: grant.tls,
      timeoutMs: grant.timeoutMs,
    });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new TokenError(
      'unreachable',
      `cannot reach the token endpoint ${grant.tokenUrl.href}: ${errorMessage(err)}`,
      {
        cause: err,
        code: typeof code === 'string' ? code : '',
      },
    );
  }
}

function isClientRefusal(answer: JsonAnswer): boolean {
  return (answer.status === 400 || answer.status === 401) && errorCode(answer.json) === 'invalid_client';
}

function tokenOf(answer: JsonAnswer, grant: TokenGrant): AccessToken {
  const body = (answer.json ?? {}) as TokenAnswer;
  const where = `the token endpoint ${grant.tokenUrl.href}`;
  if (answer.status !== 200) {
    const error = errorCode(answer.json);
    const code = error ?? `HTTP ${String(answer.status)}`;
    const description = (answer.json as { error_description?: unknown } | undefined)?.error_description;
    const why = typeof description === 'string' && description !== '' ? `${code}: ${description}` : code;
    throw new TokenError('refused', `${where} refused client "${grant.clientId}": ${why}`, {
      status: answer.status,
      error: error ?? '',
    });
  }
  if (answer.json === undefined)
    throw new TokenError('not-json', `${where} answered with something that is not JSON`, { status: 200 });
  if (typeof body.access_token !== 'string' || body.access_token === '')
    throw new TokenError('no-token', `${where} answered without an access_token`, { status: 200 });
  const tokenType = typeof body.token_type === 'string' ? body.token_type : '';
  if (tokenType !== '' && tokenType.toLowerCase() !== 'bearer')
    throw new TokenError('not-bearer', `${where} gave a "${tokenType}" token, not a Bearer token`, { status: 200 });
  const expiresIn = Number(body.expires_in);
  return {
    value: body.access_token,
    expiresInMs: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : undefined,
    tokenType,
    scope: typeof body.scope === 'string' ? body.scope : undefined,
  };
}

interface TokenAnswer {
  access_token?: unknown;
  token_type?: unknown;
  expires_in?: unknown;
  scope?: unknown;
}

function errorCode(json: unknown): string | undefined {
  const code = (json as { error?: unknown } | undefined)?.error;
  return typeof code === 'string' ? code : undefined;
}
