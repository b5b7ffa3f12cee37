// A minimal OpenID provider for unit tests: discovery document and JWKS on 127.0.0.1 (HTTP or HTTPS),
// keys made with jose, tokens signed on demand; it counts key set reads and can be taken down.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/** A signing key: its private half and its published JWK. */
export interface TestKey {
  readonly kid: string;
  readonly alg: string;
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
}

/** Makes a key pair for `alg` named `kid`. */
export async function makeKey(alg: string, kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, jwk };
}

/** The provider; `issuer` is its base URL. */
export class JwksProvider {
  issuer = '';
  /** Keys published in the JWKS. */
  published: TestKey[] = [];
  jwksReads = 0;
  /** While true, every request gets a 503. */
  down = false;
  private readonly server: http.Server;

  constructor(tls?: { key: Buffer; cert: Buffer }) {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      this.answer(req, res);
    };
    this.server = tls === undefined ? http.createServer(handler) : https.createServer(tls, handler);
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const scheme = this.server instanceof https.Server ? 'https' : 'http';
    this.issuer = `${scheme}://127.0.0.1:${String((this.server.address() as AddressInfo).port)}/realm`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
  }

  /** A JWT signed with `key` for `aud`, valid for an hour unless `claims` says otherwise. */
  sign(key: TestKey, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const payload = { iss: this.issuer, aud: 'telegate', sub: 'edge-1', iat: now, exp: now + 3600, ...claims };
    // An `undefined` claim (a test leaving one out) is dropped by JSON.stringify.
    return new SignJWT(payload)
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...header })
      .sign(key.privateKey);
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (this.down) json(503, { error: 'down' });
    else if (req.url === '/realm/.well-known/openid-configuration')
      json(200, { issuer: this.issuer, jwks_uri: `${this.issuer}/jwks` });
    else if (req.url === '/realm/jwks') {
      this.jwksReads++;
      json(200, { keys: this.published.map((k) => k.jwk) });
    } else json(404, { error: 'not found' });
  }
}
