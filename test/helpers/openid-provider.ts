// A real OpenID provider for end-to-end tests: oidc-provider (the certified Node implementation), in
// memory, over HTTPS on 127.0.0.1, issuing JWT access tokens by the client-credentials grant. Its
// signing keys are made here, so tests can rotate them (a new provider instance behind the same
// address and issuer) and sign tokens of their own with them (expired, for another audience).
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

/** One signing key: the private JWK the provider signs with and the CryptoKey tests sign with. */
export interface ProviderKey {
  readonly kid: string;
  readonly jwk: JWK;
  readonly privateKey: CryptoKey;
}

/** Makes an ES256 signing key named `kid`. */
export async function makeProviderKey(kid: string): Promise<ProviderKey> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256', use: 'sig' } };
}

/** What the provider knows. */
export interface ProviderSetup {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The `aud` of its access tokens. */
  readonly audience: string;
  readonly tokenTtlS: number;
}

/** oidc-provider behind an HTTPS server whose request handler can be swapped (key rotation). */
export class OpenIdProvider {
  issuer = '';
  private readonly server: https.Server;
  private readonly setup: ProviderSetup;
  private handler: ReturnType<Provider['callback']> | undefined;

  constructor(tls: { key: Buffer; cert: Buffer }, setup: ProviderSetup) {
    this.setup = setup;
    this.server = https.createServer(tls, (req, res) => {
      if (this.handler === undefined) res.writeHead(503).end();
      else void this.handler(req, res);
    });
  }

  /** Listens and serves with `keys` (the first one signs). */
  async start(keys: readonly ProviderKey[]): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.issuer = `https://127.0.0.1:${String((this.server.address() as AddressInfo).port)}`;
    this.useKeys(keys);
    return this;
  }

  /** A provider with these keys from now on (the first signs; the others stay published). */
  useKeys(keys: readonly ProviderKey[]): void {
    const s = this.setup;
    const provider = new Provider(this.issuer, {
      clients: [
        {
          client_id: s.clientId,
          client_secret: s.clientSecret,
          grant_types: ['client_credentials'],
          redirect_uris: [],
          response_types: [],
          id_token_signed_response_alg: 'ES256',
        },
      ],
      jwks: { keys: keys.map((k) => k.jwk) },
      features: {
        devInteractions: { enabled: false },
        clientCredentials: { enabled: true },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => 'urn:telegate:gateway',
          useGrantedResource: () => true,
          getResourceServerInfo: () => ({
            scope: 'telemetry.write',
            audience: s.audience,
            accessTokenFormat: 'jwt',
            accessTokenTTL: s.tokenTtlS,
            jwt: { sign: { alg: 'ES256' } },
          }),
        },
      },
    });
    this.handler = provider.callback();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
  }
}
