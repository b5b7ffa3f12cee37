// `gen --otlp-oauth2-*`: the token is fetched once (client credentials, Basic client authentication,
// the scopes) and becomes the Bearer authorization header; a refusal rejects with the provider's reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultsFor } from './options.ts';
import { requestHeaders } from './exporter.ts';
import { withOAuth2Token } from './oauth2-token.ts';

test('a token from the endpoint becomes `authorization: Bearer …`; a refusal names the reason', async () => {
  const forms: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      forms.push(`${req.headers.authorization ?? ''} ${body}`);
      const ok = req.headers.authorization === `Basic ${Buffer.from('edge-1:s3cret').toString('base64')}`;
      res
        .writeHead(ok ? 200 : 401, { 'content-type': 'application/json' })
        .end(JSON.stringify(ok ? { access_token: 'tok', token_type: 'Bearer' } : { error: 'invalid_client' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const tokenUrl = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/token`;
  try {
    const base = defaultsFor('traces');
    assert.equal(await withOAuth2Token(base), base);
    const oauth2 = { tokenUrl, clientId: 'edge-1', clientSecret: 's3cret', clientSecretFile: '', scopes: ['w'] };
    const o = await withOAuth2Token({ ...base, oauth2 });
    assert.equal(requestHeaders(o).authorization, 'Bearer tok');
    assert.match(forms[0] ?? '', /grant_type=client_credentials&scope=w$/);
    await assert.rejects(
      withOAuth2Token({ ...base, oauth2: { ...oauth2, clientSecret: 'wrong' } }),
      /refused client "edge-1": invalid_client/,
    );
  } finally {
    server.close();
  }
});
