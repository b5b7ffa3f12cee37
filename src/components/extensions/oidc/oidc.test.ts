// The oidc extension against a small provider on loopback: Go's config rules; tokens accepted with
// each asymmetric algorithm and their identity in the context; every kind of bad token refused with
// its reason; verified tokens answered from the cache; key rotation, forged `kid`s rate-limited, a
// provider unreachable at start retried, and known keys kept while the provider is down.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { fromPlain } from '../../../config/node.ts';
import { validateConfig } from '../../../config/validate.ts';
import type { AuthResult } from '../../../contracts/auth.ts';
import { isServerAuthenticator } from '../../../contracts/auth.ts';
import { MemoryTelemetry, RecordingLogger, testHost, testSettings } from '../../../../test/helpers/fakes.ts';
import { JwksProvider, makeKey, type TestKey } from '../../../../test/helpers/jwks-provider.ts';
import { makeCa } from '../../../../test/helpers/tls.ts';
import type { OidcConfig } from './config.ts';
import { oidcFactory } from './factory.ts';
import { OidcAuth } from './oidc-auth.ts';
import type { ProviderKeysTiming } from './provider-keys.ts';

const FAST: ProviderKeysTiming = { refreshCooldownMs: 60_000, retryInitialMs: 50, retryMaxMs: 200 };

function parse(raw: Record<string, unknown>): { config?: OidcConfig; messages: string[] } {
  const r = validateConfig(oidcFactory.configSchema, fromPlain(raw, undefined), 'x', undefined);
  const messages = r.issues.map((i) => i.message);
  if (r.value === undefined) return { messages };
  const rules = oidcFactory.validate?.(r.value) ?? [];
  messages.push(...rules.map(([p, m]) => (p === '' ? m : `${p}: ${m}`)));
  return { config: r.value as OidcConfig, messages };
}

const started: OidcAuth[] = [];
async function startAuth(
  raw: Record<string, unknown>,
  timing = FAST,
): Promise<{ auth: OidcAuth; telemetry: MemoryTelemetry; logger: RecordingLogger }> {
  const { config, messages } = parse({ audience: 'telegate', ...raw });
  assert.deepEqual(messages, []);
  assert.ok(config);
  const settings = testSettings('extension', 'oidc');
  const auth = new OidcAuth(settings, config, timing);
  started.push(auth);
  await auth.start(testHost());
  return { auth, telemetry: settings.telemetry, logger: settings.logger };
}

const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
const message = (r: AuthResult): string => (r.ok ? 'accepted' : r.message);

let provider: JwksProvider;
let rsa: TestKey;
before(async () => {
  provider = await new JwksProvider().listen();
  rsa = await makeKey('RS256', 'rsa-1');
  provider.published = [rsa];
});
after(async () => {
  for (const a of started) await a.shutdown();
  await provider.close();
});

test("config: Go's defaults and validation messages", () => {
  const { config } = parse({ issuer_url: 'https://id.example/realm', audience: 'a' });
  assert.ok(config);
  assert.equal(config.attribute, 'authorization');
  assert.deepEqual(parse({ issuer_url: 'https://x' }).messages, ['no Audience provided for the OIDC configuration']);
  assert.deepEqual(parse({ audience: 'a' }).messages, ['no IssuerURL provided for the OIDC configuration']);
  assert.deepEqual(parse({ ignore_audience: true, issuer_url: 'ftp://x' }).messages, [
    'issuer_url: "ftp://x" is not an http(s) URL',
  ]);
  assert.deepEqual(parse({ audience: 'a', issuer_url: 'http://x', attribute: 'a b' }).messages, [
    'attribute: "a b" is not a valid header name',
  ]);
  assert.deepEqual(oidcFactory.authenticatorRoles?.({}), ['server']);
  assert.ok(isServerAuthenticator(oidcFactory.create(testSettings('extension', 'oidc'), config)));
});

test('accepts RS/PS/ES/EdDSA tokens; subject, membership and scalar claims go into the context', async () => {
  const keys = await Promise.all(['PS256', 'ES256', 'ES384', 'EdDSA', 'RS512'].map((alg) => makeKey(alg, alg)));
  provider.published = [rsa, ...keys];
  const { auth } = await startAuth({ issuer_url: provider.issuer, groups_claim: 'groups' });
  for (const key of [rsa, ...keys]) {
    const token = await provider.sign(key, { groups: ['ops', 'edge'], tenant: 'acme', n: 3, nested: { x: 1 } });
    const r = await auth.authenticate(bearer(token), '127.0.0.1:1');
    assert.deepEqual(r.ok && r.auth.subject, 'edge-1', `${key.alg}: ${message(r)}`);
    assert.ok(r.ok);
    assert.equal(r.auth.membership, 'ops;edge');
    assert.equal(r.auth.tenant, 'acme');
    assert.equal(r.auth.n, '3');
    assert.equal(r.auth.nested, undefined);
  }
  provider.published = [rsa];
});

test('username_claim names the subject; a missing username or groups claim is refused', async () => {
  const { auth } = await startAuth({ issuer_url: provider.issuer, username_claim: 'email', groups_claim: 'groups' });
  const ok = await auth.authenticate(bearer(await provider.sign(rsa, { email: 'a@b', groups: 'solo' })), undefined);
  assert.ok(ok.ok);
  assert.equal(ok.auth.subject, 'a@b');
  assert.equal(ok.auth.membership, 'solo');
  const noEmail = await auth.authenticate(bearer(await provider.sign(rsa, { groups: 'g' })), undefined);
  assert.match(message(noEmail), /username claim .* not found/);
  const badEmail = await auth.authenticate(bearer(await provider.sign(rsa, { email: 1, groups: 'g' })), undefined);
  assert.match(message(badEmail), /not a string/);
  const noGroups = await auth.authenticate(bearer(await provider.sign(rsa, { email: 'a@b' })), undefined);
  assert.match(message(noGroups), /groups claim .* not found/);
});

test('a verified token is answered from the cache, synchronously, until it expires', async () => {
  const { auth, telemetry } = await startAuth({ issuer_url: provider.issuer });
  const token = await provider.sign(rsa);
  const first = auth.authenticate(bearer(token), undefined);
  assert.ok(first instanceof Promise);
  assert.equal((await first).ok, true);
  const second = auth.authenticate(bearer(token), undefined);
  assert.equal(second instanceof Promise, false);
  assert.equal((second as AuthResult).ok, true);
  assert.equal(telemetry.get('telegate_oidc_verified_tokens', { authenticator: 'oidc' }), 1);
  assert.equal(telemetry.get('telegate_oidc_token_checks', { authenticator: 'oidc' }), 1);
  // A burst of calls with a new token shares one check.
  const fresh = await provider.sign(rsa, { sub: 'burst' });
  const burst = await Promise.all(
    Array.from({ length: 16 }, () => Promise.resolve(auth.authenticate(bearer(fresh), undefined))),
  );
  assert.ok(burst.every((r) => r.ok));
  assert.equal(telemetry.get('telegate_oidc_token_checks', { authenticator: 'oidc' }), 2);
  // Case-insensitive scheme; several header values: the first counts.
  assert.equal((auth.authenticate({ authorization: [`bearer ${token}`, 'x'] }, undefined) as AuthResult).ok, true);
});

test('refusals: each bad token with its own reason, counted', async () => {
  const { auth, telemetry } = await startAuth({ issuer_url: provider.issuer });
  const now = Math.floor(Date.now() / 1000);
  const unpublished = await makeKey('RS256', 'rsa-1');
  const [h, p] = (await provider.sign(rsa)).split('.') as [string, string];
  const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const hmacWithPublicKey = (): string => {
    const head = b64({ alg: 'HS256', kid: 'rsa-1', typ: 'JWT' });
    const sig = createHmac('sha256', JSON.stringify(rsa.jwk)).update(`${head}.${p}`).digest('base64url');
    return `${head}.${p}.${sig}`;
  };
  const cases: [string, Record<string, string | string[]>, RegExp, string][] = [
    ['missing header', {}, /missing or empty authorization header/, 'missing'],
    ['no scheme', { authorization: 'token' }, /invalid authorization header format/, 'header'],
    ['basic scheme', { authorization: 'Basic dTpw' }, /invalid authorization header format/, 'header'],
    ['garbage', bearer('garbage'), /not a signed JWT/, 'malformed'],
    ['alg none', bearer(`${b64({ alg: 'none', typ: 'JWT' })}.${p}.`), /algorithm that is not accepted/, 'algorithm'],
    ['HMAC keyed with the public key', bearer(hmacWithPublicKey()), /algorithm that is not accepted/, 'algorithm'],
    ['signature altered', bearer(`${h}.${p}.${'A'.repeat(342)}`), /signature is invalid/, 'signature'],
    ['unpublished key, same kid', bearer(await provider.sign(unpublished)), /signature is invalid/, 'signature'],
    ['unknown kid', bearer(await provider.sign({ ...unpublished, kid: 'nope' })), /unknown key/, 'unknown_key'],
    ['expired', bearer(await provider.sign(rsa, { exp: now - 120 })), /has expired/, 'expired'],
    ['not yet valid', bearer(await provider.sign(rsa, { nbf: now + 600 })), /not valid yet/, 'not_yet_valid'],
    ['other audience', bearer(await provider.sign(rsa, { aud: 'someone-else' })), /another audience/, 'audience'],
    ['other issuer', bearer(await provider.sign(rsa, { iss: 'https://evil' })), /another issuer/, 'issuer'],
    ['no exp', bearer(await provider.sign(rsa, { exp: undefined })), /lacks a required claim/, 'claims'],
  ];
  for (const [name, headers, pattern, reason] of cases) {
    const r = await auth.authenticate(headers, undefined);
    assert.ok(!r.ok && r.reason === 'unauthenticated', name);
    assert.match(r.message, pattern, name);
    assert.match(r.challenge ?? '', /^Bearer realm="telegate"/, name);
    assert.ok(telemetry.get('telegate_auth_failures', { authenticator: 'oidc', reason }) >= 1, `${name}: counted`);
  }
  // Within the skew, a just-expired token still passes.
  assert.equal((await auth.authenticate(bearer(await provider.sign(rsa, { exp: now - 5 })), undefined)).ok, true);
  // ignore_audience accepts any audience.
  const { auth: any } = await startAuth({ issuer_url: provider.issuer, audience: '', ignore_audience: true });
  assert.equal((await any.authenticate(bearer(await provider.sign(rsa, { aud: 'x' })), undefined)).ok, true);
});

test('key rotation is picked up; forged kids read the key set at most once per cooldown', async () => {
  const { auth } = await startAuth({ issuer_url: provider.issuer });
  const readsAtStart = provider.jwksReads;
  const rotated = await makeKey('ES256', 'rsa-2');
  provider.published = [rsa, rotated];
  assert.equal((await auth.authenticate(bearer(await provider.sign(rotated)), undefined)).ok, true);
  assert.equal(provider.jwksReads, readsAtStart + 1);
  // 50 tokens naming unknown keys, at once and after: no further read within the cooldown.
  const forged = await Promise.all(
    Array.from({ length: 50 }, async (_, i) => provider.sign({ ...rotated, kid: `forged-${String(i)}` })),
  );
  const results = await Promise.all(forged.map((t) => Promise.resolve(auth.authenticate(bearer(t), undefined))));
  assert.ok(results.every((r) => !r.ok && /unknown key/.test(r.message)));
  assert.equal(provider.jwksReads, readsAtStart + 1);
  provider.published = [rsa];
});

test('concurrent unknown kids share one read when the cooldown has passed', async () => {
  const { auth } = await startAuth({ issuer_url: provider.issuer }, { ...FAST, refreshCooldownMs: 0 });
  const before = provider.jwksReads;
  const forged = await Promise.all(
    Array.from({ length: 20 }, async (_, i) => provider.sign({ ...rsa, kid: `f-${String(i)}` })),
  );
  await Promise.all(forged.map((t) => Promise.resolve(auth.authenticate(bearer(t), undefined))));
  assert.ok(provider.jwksReads - before < 20, `${String(provider.jwksReads - before)} reads for 20 forged tokens`);
});

test('an unreachable provider: retry-after refusals, retried with backoff, then tokens accepted', async () => {
  const late = new JwksProvider();
  late.down = true;
  await late.listen();
  late.published = [rsa];
  try {
    const { auth, logger } = await startAuth({ issuer_url: late.issuer });
    const token = await late.sign(rsa);
    const r = await auth.authenticate(bearer(token), undefined);
    assert.ok(!r.ok && r.reason === 'throttled' && (r.retryAfterMs ?? 0) > 0, message(r));
    assert.ok(logger.lines.some((l) => l.level === 'warn' && l.msg.includes(late.issuer) && /retrying in/.test(l.msg)));
    late.down = false;
    await auth.whenReady();
    assert.equal((await auth.authenticate(bearer(token), undefined)).ok, true);
  } finally {
    await late.close();
  }
});

test('a provider down after start: tokens signed by keys already held are still accepted', async () => {
  const { auth, logger } = await startAuth({ issuer_url: provider.issuer }, { ...FAST, refreshCooldownMs: 0 });
  provider.down = true;
  try {
    assert.equal((await auth.authenticate(bearer(await provider.sign(rsa, { sub: 'new' })), undefined)).ok, true);
    const unknown = await auth.authenticate(bearer(await provider.sign({ ...rsa, kid: 'other' })), undefined);
    assert.match(message(unknown), /unknown key/);
    assert.ok(logger.lines.some((l) => l.level === 'warn' && /keeping|cannot re-read/.test(l.msg)));
  } finally {
    provider.down = false;
  }
});

test('issuer_ca_path: discovery over TLS trusting that CA; a bad CA file is named', async () => {
  const ca = makeCa();
  const cert = ca.issue('provider');
  const secure = await new JwksProvider({ key: cert.key, cert: cert.cert }).listen();
  secure.published = [rsa];
  try {
    const { auth } = await startAuth({ issuer_url: secure.issuer, issuer_ca_path: ca.certFile });
    assert.equal((await auth.authenticate(bearer(await secure.sign(rsa)), undefined)).ok, true);
    const { logger } = await startAuth({ issuer_url: secure.issuer, issuer_ca_path: `${ca.dir}/absent.pem` });
    assert.ok(logger.lines.some((l) => /could not read the CA file ".*absent.pem"/.test(l.msg)));
    const { logger: untrusted } = await startAuth({ issuer_url: secure.issuer });
    assert.ok(untrusted.lines.some((l) => l.msg.includes(secure.issuer) && /certificate/.test(l.msg)));
  } finally {
    await secure.close();
  }
});

test('shutdown is idempotent and safe before start', async () => {
  const { config } = parse({ audience: 'a', issuer_url: 'http://127.0.0.1:1/x' });
  const auth = new OidcAuth(testSettings('extension', 'oidc'), config as OidcConfig, FAST);
  await auth.shutdown();
  await auth.start(testHost());
  await auth.shutdown();
  await auth.shutdown();
});
