// The words of the token step for the provider answers a real provider in the e2e test does not give
// (test/e2e/doctor-oauth.test.ts has the ones it does): the RFC 6749 §5.2 codes, another HTTP status,
// a token that is not Bearer, and files our side cannot read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenError } from '../components/extensions/oauth2client/token-request.ts';
import { SetupError, tokenFailure, type TokenSubject } from './token-failure.ts';

const who: TokenSubject = {
  authenticator: 'oauth2client/idp',
  clientId: 'edge-1',
  tokenUrl: 'https://idp.example/token',
};

function refused(error: string, status = 400): TokenError {
  return new TokenError('refused', `refused client "edge-1": ${error || `HTTP ${String(status)}`}`, { status, error });
}

test('each OAuth2 error code is said as what it means for this client', () => {
  assert.match(
    tokenFailure(who, refused('invalid_scope')).cause,
    /will not grant the scopes asked \(extensions\.oauth2client\/idp\.scopes\) to client `edge-1`/,
  );
  for (const code of ['unauthorized_client', 'unsupported_grant_type'])
    assert.match(tokenFailure(who, refused(code)).cause, /client `edge-1` may not use the client-credentials grant/);
  const other = tokenFailure(who, refused('invalid_target'));
  assert.equal(other.finding, 'invalid_target');
  assert.match(other.fix, /endpoint_params/);
  const noId = tokenFailure({ ...who, clientId: '' }, refused('invalid_client', 401));
  assert.equal(
    noId.cause,
    'the provider does not know this client (id read from client_id_file) or the secret is wrong',
  );
});

test('an HTTP error without an OAuth2 error, a non-Bearer token, unreachable hosts, our own files', () => {
  const e500 = tokenFailure(who, refused('', 500));
  assert.equal(e500.finding, 'token-http-500');
  assert.match(e500.cause, /answered HTTP 500 without an OAuth2 error/);
  const mac = tokenFailure(
    who,
    new TokenError('not-bearer', 'the token endpoint x gave a "mac" token, not a Bearer token'),
  );
  assert.equal(mac.finding, 'token-not-bearer');
  assert.match(mac.detail, /gave a "mac" token/);
  const dns = tokenFailure(who, new TokenError('unreachable', 'cannot reach', { code: 'ENOTFOUND' }));
  assert.equal(dns.finding, 'token-dns');
  assert.match(dns.cause, /idp\.example\) does not resolve/);
  const slow = tokenFailure(who, new TokenError('unreachable', 'cannot reach: no answer within 5 ms'));
  assert.equal(slow.finding, 'token-unreachable');
  const odd = tokenFailure(who, new TokenError('unreachable', 'cannot reach: socket hang up'));
  assert.match(odd.cause, /no answer from the provider/);
  const file = tokenFailure(who, new SetupError('credentials-file', 'cannot read the client secret file "/x"'));
  assert.equal(file.finding, 'credentials-file');
  assert.equal(tokenFailure(who, new SetupError('tls-files', 'no such CA')).finding, 'token-tls-files');
});
