// The OpenID provider the telegate-oidc row's gateway verifies against: discovery and a JWKS (one
// RS256 key) served by the bench process itself, and one token signed with that key for the load
// client. The gateway reads the keys once at start and verifies the token once (then answers from its
// cache), so serving them here costs the measured process nothing.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

/** Where the provider is and what the client sends. */
export interface BenchIssuer {
  readonly issuer: string;
  readonly audience: string;
  /** `Bearer <jwt>`, valid for a day. */
  readonly authorization: string;
}

const AUDIENCE = 'telegate-bench';
let started: Promise<BenchIssuer> | undefined;

/** Starts the provider once per bench process (unref'd: it never keeps the bench alive). */
export function benchIssuer(): Promise<BenchIssuer> {
  started ??= start();
  return started;
}

async function start(): Promise<BenchIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench-1', alg: 'RS256', use: 'sig' };
  let issuer = '';
  const server = http.createServer((req, res) => {
    const body =
      req.url === '/.well-known/openid-configuration' ? { issuer, jwks_uri: `${issuer}/jwks` } : { keys: [jwk] };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  issuer = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  const token = await new SignJWT({ sub: 'bench-edge' })
    .setProtectedHeader({ alg: 'RS256', kid: 'bench-1' })
    .setIssuer(issuer)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('24h')
    .sign(privateKey);
  return { issuer, audience: AUDIENCE, authorization: `Bearer ${token}` };
}
