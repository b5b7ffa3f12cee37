// Issue 11's proofs at the authenticator: guessing is throttled (distinct credentials, reserved before
// the hash, even when sent all at once), misconfiguration is not (a repeat is free and never blocks),
// users behind one address have their own budgets, and hash work is bounded for the whole process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashSync } from '@node-rs/bcrypt';
import type { AuthResult, RequestHeaders } from '../../../contracts/auth.ts';
import { MemoryTelemetry, RecordingLogger, testSettings } from '../../../../test/helpers/fakes.ts';
import { AUTH_BLOCKS, AUTH_ENTRIES, AUTH_FAILURES, AUTH_VERIFICATIONS } from './auth-metrics.ts';
import type { BasicAuthConfig } from './config.ts';
import { HashWorkLimit } from './hash-work-limit.ts';
import { BasicAuthServer, type BasicAuthServerOptions } from './server-authenticator.ts';
import { Secret } from '../../../util/secret.ts';

const ID = { authenticator: 'basicauth/server' };
const THROTTLE = {
  enabled: true,
  max_failures: 10,
  max_failures_per_client: 100,
  window: 60_000,
  block: 60_000,
  trusted_proxies: [] as string[],
};
type Throttle = typeof THROTTLE;
type Refused = Extract<AuthResult, { ok: false }>;

function basic(user: string, password: string, extra: RequestHeaders = {}): RequestHeaders {
  return { ...extra, authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

async function started(inline: string, throttle: Partial<Throttle> = {}, options: BasicAuthServerOptions = {}) {
  const telemetry = new MemoryTelemetry();
  const logger = new RecordingLogger();
  const config: BasicAuthConfig = {
    htpasswd: { file: '', inline: new Secret(inline) },
    client_auth: undefined,
    throttle: { ...THROTTLE, ...throttle },
  };
  const server = new BasicAuthServer(testSettings('extension', 'basicauth/server', telemetry, logger), config, {
    hashWork: new HashWorkLimit(4),
    ...options,
  });
  await server.start();
  const metric = (name: string, labels: Record<string, string> = {}): number =>
    telemetry.get(name, { ...ID, ...labels });
  const failures = (reason: string): number => metric(AUTH_FAILURES, { reason });
  return { server, logger, metric, failures };
}

const BCRYPT_USER = `alice:${hashSync('the-right-one', 4)}`;

test('200 distinct passwords at once, the right one last: at most max_failures are hashed, the rest refused first', async () => {
  const { server, metric, failures } = await started(BCRYPT_USER);
  const answers: (AuthResult | Promise<AuthResult>)[] = [];
  for (let i = 0; i < 199; i++) answers.push(server.authenticate(basic('alice', `guess-${i}`), '192.0.2.1:40000'));
  answers.push(server.authenticate(basic('alice', 'the-right-one'), '192.0.2.1:40000'));
  const refusedAtOnce = answers.filter((a) => !(a instanceof Promise) && !a.ok && a.reason === 'throttled').length;
  assert.equal(refusedAtOnce, 190, 'refused synchronously, before any hash work');
  const results = await Promise.all(answers.map((a) => Promise.resolve(a)));
  assert.equal(metric(AUTH_VERIFICATIONS), 10);
  assert.equal(results.filter((r) => r.ok).length, 0, 'the right one does not get in during the burst');
  assert.equal((results[199] as Refused).reason, 'throttled');
  assert.equal(failures('wrong_password'), 10);
  assert.equal(metric(AUTH_BLOCKS, { scope: 'user' }), 1);
  const after = (await server.authenticate(basic('alice', 'the-right-one'), '192.0.2.1:1')) as Refused;
  assert.equal(after.reason, 'throttled', 'the block holds after the burst');
});

test('a brute force of 1,000 distinct passwords from one address is blocked after max_failures', async () => {
  const { server, metric, failures } = await started(BCRYPT_USER);
  const reasons = new Map<string, number>();
  for (let i = 0; i < 1000; i++) {
    const r = await server.authenticate(basic('alice', `guess-${i}`), '192.0.2.2:1');
    const key = r.ok ? 'ok' : r.reason;
    reasons.set(key, (reasons.get(key) ?? 0) + 1);
  }
  assert.deepEqual(Object.fromEntries(reasons), { unauthenticated: 10, throttled: 990 });
  assert.equal(metric(AUTH_VERIFICATIONS), 10);
  assert.equal(failures('throttled'), 990);
});

test('a stale password repeated 1,000 times costs one hash, never blocks, and never blocks others', async () => {
  const { server, metric, failures } = await started(`${BCRYPT_USER}\nbob:${hashSync('bob-pw', 4)}`);
  for (let i = 0; i < 1000; i++) {
    const r = (await server.authenticate(basic('alice', 'last-month'), '10.0.0.1:1')) as Refused;
    assert.equal(r.reason, 'unauthenticated');
    assert.match(r.message, /^invalid credentials for user "alice"/);
    const other = await server.authenticate(basic('bob', 'bob-pw'), '10.0.0.1:2');
    assert.equal(other.ok, true);
  }
  assert.equal(metric(AUTH_VERIFICATIONS), 2, 'one for the stale password, one for bob');
  assert.equal(failures('wrong_password'), 1);
  assert.equal(failures('repeat'), 999);
  assert.equal(failures('throttled'), 0);
  assert.equal(metric(AUTH_ENTRIES, { cache: 'failure' }), 1);
  assert.equal(metric(AUTH_ENTRIES, { cache: 'success' }), 1);
});

test('six users from one address, each wrong then right: every right password gets in', async () => {
  const users = [1, 2, 3, 4, 5, 6].map((n) => `user-${n}`);
  const { server } = await started(users.map((u) => `${u}:pw-${u}`).join('\n'), {
    max_failures: 3,
    max_failures_per_client: 20,
  });
  for (const user of users) {
    assert.equal((await server.authenticate(basic(user, 'wrong'), '10.0.0.2:1')).ok, false);
    assert.deepEqual(await server.authenticate(basic(user, `pw-${user}`), '10.0.0.2:1'), {
      ok: true,
      auth: { username: user },
    });
  }
});

test('a known-good credential passes while its client is blocked; a repeat during the block stays UNAUTHENTICATED', async () => {
  const { server } = await started('edge:good', { max_failures: 2, max_failures_per_client: 2 });
  assert.equal((await server.authenticate(basic('edge', 'good'), '10.0.0.3:1')).ok, true);
  assert.equal((await server.authenticate(basic('edge', 'stale'), '10.0.0.3:1')).ok, false);
  for (let i = 0; i < 2; i++) await server.authenticate(basic('guesser', `g${i}`), '10.0.0.3:1');
  assert.equal(((await server.authenticate(basic('x', 'new'), '10.0.0.3:1')) as Refused).reason, 'throttled');
  assert.equal((await server.authenticate(basic('edge', 'good'), '10.0.0.3:1')).ok, true);
  assert.equal(
    ((await server.authenticate(basic('edge', 'stale'), '10.0.0.3:1')) as Refused).reason,
    'unauthenticated',
  );
});

test('hash work is bounded for the process: a check that cannot get a slot is refused with retry advice, uncounted', async () => {
  const hashWork = new HashWorkLimit(1, 1_000, 0);
  const { server, failures, metric } = await started(BCRYPT_USER, {}, { hashWork });
  const first = server.authenticate(basic('alice', 'guess-a'), '192.0.2.10:1');
  const second = (await server.authenticate(basic('alice', 'guess-b'), '192.0.2.11:1')) as Refused;
  assert.equal(second.reason, 'throttled');
  assert.equal(second.retryAfterMs, 1000);
  assert.match(second.message, /busy/);
  await first;
  assert.equal(failures('busy'), 1);
  assert.equal(metric(AUTH_VERIFICATIONS), 1);
  assert.equal(hashWork.inFlight, 0, 'every slot is returned');
  assert.equal(
    (await server.authenticate(basic('alice', 'the-right-one'), '192.0.2.11:1')).ok,
    true,
    'the refusal did not count',
  );
});

test('behind a trusted proxy, forwarded clients are throttled separately; a forged header from elsewhere is ignored', async () => {
  const { server } = await started(BCRYPT_USER, { max_failures: 2, trusted_proxies: ['127.0.0.1/32'] });
  const via = (ip: string): RequestHeaders => ({ 'x-real-ip': ip });
  for (let i = 0; i < 2; i++) await server.authenticate(basic('alice', `g${i}`, via('127.0.0.2')), '127.0.0.1:1');
  assert.equal(
    ((await server.authenticate(basic('alice', 'g9', via('127.0.0.2')), '127.0.0.1:1')) as Refused).reason,
    'throttled',
  );
  assert.equal((await server.authenticate(basic('alice', 'the-right-one', via('127.0.0.3')), '127.0.0.1:1')).ok, true);
  const forged = { 'x-forwarded-for': '127.0.0.4' };
  for (let i = 0; i < 2; i++) await server.authenticate(basic('alice', `h${i}`, forged), '192.0.2.20:1');
  const r = (await server.authenticate(
    basic('alice', 'h9', { 'x-forwarded-for': '127.0.0.5' }),
    '192.0.2.20:1',
  )) as Refused;
  assert.equal(r.reason, 'throttled', 'the untrusted peer is the client, whatever it forwards');
});

test('the gateway log names the refused user and client, never the password, and is rate-limited', async () => {
  const { server, logger } = await started('edge-1:s3cret-pw');
  for (let i = 0; i < 5; i++) await server.authenticate(basic('edge-1', `wrong-pw-${i}`), '10.9.9.9:1');
  const lines = logger.lines.filter((l) => l.msg.startsWith('authentication failed'));
  assert.equal(lines.length, 1);
  assert.deepEqual(lines[0]?.fields, { user: '"edge-1"', client: '10.9.9.9', reason: 'wrong_password' });
  assert.doesNotMatch(logger.text(), /wrong-pw|s3cret/);
});
