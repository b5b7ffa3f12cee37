// The oauth2client extension against a token endpoint on loopback: Go's config rules; the grant as
// sent (Basic client authentication, scopes, extra parameters; the form-body fallback); the token
// renewed before expiry and on demand (rate-limited); an unreachable endpoint retried, named, and the
// secret never in a log; secret files re-read per request.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromPlain } from '../../../config/node.ts';
import { validateConfig } from '../../../config/validate.ts';
import { isClientAuthenticator } from '../../../contracts/auth.ts';
import { testHost, testSettings, type RecordingLogger } from '../../../../test/helpers/fakes.ts';
import type { OAuth2ClientConfig } from './config.ts';
import { oauth2ClientFactory } from './factory.ts';
import { OAuth2ClientAuth, renewInMs, type TokenTiming } from './oauth2-client-auth.ts';

const FAST: TokenTiming = { retryInitialMs: 20, retryMaxMs: 100, renewCooldownMs: 60_000 };
const SECRET = 's3cr3t-value';

interface Seen {
  authorization: string | undefined;
  form: URLSearchParams;
}

/** A token endpoint: answers with `answer(seen)`, records each request, wakes waiters. */
class TokenEndpoint {
  url = '';
  readonly seen: Seen[] = [];
  answer: (seen: Seen) => [number, unknown] = () => [
    200,
    { access_token: `tok-${String(this.seen.length)}`, token_type: 'Bearer', expires_in: 3600 },
  ];
  private waiters: { n: number; wake: () => void }[] = [];
  private readonly server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const seen = { authorization: req.headers.authorization, form: new URLSearchParams(body) };
      this.seen.push(seen);
      const [status, json] = this.answer(seen);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      this.waiters = this.waiters.filter((w) => (this.seen.length >= w.n ? (w.wake(), false) : true));
    });
  });
  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${String((this.server.address() as AddressInfo).port)}/token`;
    return this;
  }
  /** Resolves once `n` requests have been answered. */
  requests(n: number): Promise<void> {
    return this.seen.length >= n ? Promise.resolve() : new Promise((wake) => this.waiters.push({ n, wake }));
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

function parse(raw: Record<string, unknown>): { config?: OAuth2ClientConfig; messages: string[] } {
  const r = validateConfig(oauth2ClientFactory.configSchema, fromPlain(raw, undefined), 'x', undefined);
  const messages = r.issues.map((i) => i.message);
  if (r.value === undefined) return { messages };
  const rules = oauth2ClientFactory.validate?.(r.value) ?? [];
  messages.push(...rules.map(([p, m]) => (p === '' ? m : `${p}: ${m}`)));
  return { config: r.value as OAuth2ClientConfig, messages };
}

const instances: OAuth2ClientAuth[] = [];
function create(raw: Record<string, unknown>, timing = FAST): { auth: OAuth2ClientAuth; logger: RecordingLogger } {
  const { config, messages } = parse({ client_id: 'edge-1', client_secret: SECRET, ...raw });
  assert.deepEqual(messages, []);
  assert.ok(config);
  const settings = testSettings('extension', 'oauth2client');
  const auth = new OAuth2ClientAuth(settings, config, timing);
  instances.push(auth);
  return { auth, logger: settings.logger };
}

let endpoint: TokenEndpoint;
const dir = mkdtempSync(join(tmpdir(), 'oauth2client-'));
before(async () => {
  endpoint = await new TokenEndpoint().listen();
});
after(async () => {
  for (const a of instances) await a.shutdown();
  await endpoint.close();
  rmSync(dir, { recursive: true, force: true });
});

test("config: Go's defaults and validation messages", () => {
  const { config } = parse({ client_id: 'a', client_secret: 'b', token_url: 'https://id.example/token' });
  assert.ok(config);
  assert.equal(config.expiry_buffer, 300_000);
  assert.equal(config.timeout, 0);
  assert.deepEqual(parse({}).messages, ['no ClientID provided in the OAuth2 exporter configuration']);
  assert.deepEqual(parse({ client_id: 'a' }).messages, [
    'no ClientSecret provided in OAuth Client Credentials configuration',
  ]);
  assert.deepEqual(parse({ client_id: 'a', client_secret_file: '/x' }).messages, [
    'no TokenURL provided in OAuth Client Credentials configuration',
  ]);
  assert.deepEqual(parse({ client_id_file: '/a', client_secret: 'b', token_url: 'ftp://x' }).messages, [
    'token_url: "ftp://x" is not an http(s) URL',
  ]);
  assert.match(
    parse({
      client_id: 'a',
      client_secret: 'b',
      token_url: 'https://x/t',
      tls: { ca_file: '/absent.pem' },
    }).messages.join(),
    /^tls\.ca_file: /,
  );
  assert.deepEqual(oauth2ClientFactory.authenticatorRoles?.({}), ['client']);
  assert.ok(isClientAuthenticator(oauth2ClientFactory.create(testSettings('extension', 'oauth2client'), config)));
});

test('renewal time: the buffer before expiry, at most half the lifetime', () => {
  assert.equal(renewInMs(3_600_000, 300_000), 3_300_000);
  assert.equal(renewInMs(60_000, 300_000), 30_000);
});

test('start fetches a token by the client-credentials grant; exporters get `Bearer <token>`', async () => {
  const at = endpoint.seen.length;
  const { auth } = create({
    token_url: endpoint.url,
    scopes: ['traces.write', 'metrics.write'],
    endpoint_params: { audience: 'telegate', resource: ['a', 'b'] },
  });
  assert.deepEqual(auth.requestHeaders(), {});
  await auth.start(testHost());
  const seen = endpoint.seen[at];
  assert.ok(seen);
  assert.equal(seen.authorization, `Basic ${Buffer.from(`edge-1:${SECRET}`).toString('base64')}`);
  assert.equal(seen.form.get('grant_type'), 'client_credentials');
  assert.equal(seen.form.get('scope'), 'traces.write metrics.write');
  assert.equal(seen.form.get('audience'), 'telegate');
  assert.deepEqual(seen.form.getAll('resource'), ['a', 'b']);
  assert.equal(seen.form.get('client_secret'), null);
  assert.deepEqual(auth.requestHeaders(), { authorization: `Bearer tok-${String(at + 1)}` });
  assert.equal(auth.requestHeaders(), auth.requestHeaders());
  assert.equal(auth.identity, 'edge-1');
});

test('a server refusing Basic client authentication gets the credentials in the form body', async () => {
  const at = endpoint.seen.length;
  endpoint.answer = (s) =>
    s.authorization === undefined && s.form.get('client_secret') === SECRET
      ? [200, { access_token: 'body-style', expires_in: 3600 }]
      : [401, { error: 'invalid_client' }];
  try {
    const { auth } = create({ token_url: endpoint.url });
    await auth.start(testHost());
    assert.deepEqual(auth.requestHeaders(), { authorization: 'Bearer body-style' });
    assert.equal(endpoint.seen[at + 1]?.form.get('client_id'), 'edge-1');
  } finally {
    endpoint.answer = () => [200, { access_token: `tok-${String(endpoint.seen.length)}`, expires_in: 3600 }];
  }
});

test('the token is renewed before it expires, and again on demand at most once per cooldown', async () => {
  endpoint.answer = () => [200, { access_token: `short-${String(endpoint.seen.length)}`, expires_in: 1 }];
  const at = endpoint.seen.length;
  const { auth } = create({ token_url: endpoint.url });
  await auth.start(testHost());
  const first = auth.requestHeaders();
  // expires_in 1 s with a 5 m buffer: renewed after half a second, no sooner.
  await endpoint.requests(at + 2);
  endpoint.answer = () => [200, { access_token: `long-${String(endpoint.seen.length)}`, expires_in: 3600 }];
  await endpoint.requests(at + 3);
  await auth.shutdown();
  assert.notEqual(auth.requestHeaders(), first);
  const { auth: demand } = create({ token_url: endpoint.url }, { ...FAST, renewCooldownMs: 0 });
  await demand.start(testHost());
  const before = demand.requestHeaders();
  await demand.renewCredentials();
  assert.notEqual(demand.requestHeaders(), before);
  const { auth: cooled } = create({ token_url: endpoint.url });
  await cooled.start(testHost());
  const count = endpoint.seen.length;
  await Promise.all([cooled.renewCredentials(), cooled.renewCredentials()]);
  assert.equal(endpoint.seen.length, count, 'within the cooldown: no new request');
});

test('an unreachable or refusing endpoint: retried with backoff, named once, the secret never logged', async () => {
  endpoint.answer = () => [401, { error: 'invalid_client', error_description: 'bad secret' }];
  const at = endpoint.seen.length;
  const { auth, logger } = create({ token_url: endpoint.url });
  await auth.start(testHost());
  assert.deepEqual(auth.requestHeaders(), {});
  await endpoint.requests(at + 6); // Basic + body on each of three attempts
  const obtained = auth.nextToken();
  endpoint.answer = () => [200, { access_token: 'finally', expires_in: 3600 }];
  await obtained;
  assert.deepEqual(auth.requestHeaders(), { authorization: 'Bearer finally' });
  const warnings = logger.lines.filter((l) => l.level === 'warn');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]?.msg ?? '', /refused client "edge-1": invalid_client: bad secret; retrying with backoff/);
  assert.ok(logger.lines.some((l) => l.msg === 'token obtained again'));
  assert.doesNotMatch(logger.text(), new RegExp(SECRET));

  const { auth: down, logger: downLog } = create({ token_url: 'http://127.0.0.1:1/token' });
  await down.start(testHost());
  assert.match(downLog.text(), /cannot reach the token endpoint http:\/\/127\.0\.0\.1:1\/token/);
});

test('client_id_file and client_secret_file are read at each request', async () => {
  const idFile = join(dir, 'id');
  const secretFile = join(dir, 'secret');
  writeFileSync(idFile, 'from-file\n');
  writeFileSync(secretFile, 'first-secret\n');
  const at = endpoint.seen.length;
  const { auth } = create(
    {
      client_id: '',
      client_secret: '',
      client_id_file: idFile,
      client_secret_file: secretFile,
      token_url: endpoint.url,
    },
    { ...FAST, renewCooldownMs: 0 },
  );
  await auth.start(testHost());
  assert.equal(auth.identity, '');
  assert.equal(endpoint.seen[at]?.authorization, `Basic ${Buffer.from('from-file:first-secret').toString('base64')}`);
  writeFileSync(secretFile, 'rotated\n');
  await auth.renewCredentials();
  assert.equal(endpoint.seen[at + 1]?.authorization, `Basic ${Buffer.from('from-file:rotated').toString('base64')}`);
  writeFileSync(secretFile, '');
  const { auth: empty, logger } = create({
    client_secret: '',
    client_secret_file: secretFile,
    token_url: endpoint.url,
  });
  await empty.start(testHost());
  assert.match(logger.text(), /the client secret file ".*secret" is empty/);
});

test('shutdown is idempotent and safe before start', async () => {
  const { auth } = create({ token_url: 'http://127.0.0.1:1/token' });
  await auth.shutdown();
  await auth.start(testHost());
  await auth.start(testHost());
  await auth.shutdown();
  await auth.shutdown();
});
